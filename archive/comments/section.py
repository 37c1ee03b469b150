"""What the comment section under a chapter shows: its threads, counts, and the form a reader
may use. The chapter page renders it through `{% comment_section %}`, the entire-work page through
`{% work_comment_section %}` (every chapter's threads, the form on the last chapter); the comment
views render it alone for a reader whose browser posted a comment without leaving the page."""

from collections.abc import Sequence

from django.core.paginator import Paginator
from django.http import HttpRequest

from archive.caching.pages import not_shared, shared_except
from archive.caching.reader_parts import is_readers_render, is_shared_render
from archive.chapters.models import Chapter
from archive.chapters.reading import held_comment_writers
from archive.comments.forms import CommentForm, GuestCommentForm
from archive.comments.fragments import attach_heads
from archive.comments.services import closed_reason
from archive.comments.threads import PER_PAGE, CommentPage, load_page, own_comment_ids
from archive.core.pagination import page_number
from archive.stories.models import Story

# What the entire-work page's form sends, so that its comment comes back to that page.
WHOLE_WORK = "whole_work"


def empty_form(request: HttpRequest) -> CommentForm:
    return CommentForm() if request.user.is_authenticated else GuestCommentForm()


def wants_whole_work(request: HttpRequest) -> bool:
    return (request.POST if request.method == "POST" else request.GET).get(WHOLE_WORK) == "true"


def whole_work_chapters(request: HttpRequest, story: Story) -> list[Chapter]:
    """The chapters the entire-work page shows this reader, numbered, without their text."""
    return Chapter.objects.only("id", "story_id", "position", "title", "published_at").numbered_for(story, request.user)


def commented_chapter(chapters: Sequence[Chapter]) -> Chapter:
    """The chapter the entire-work page's form comments on: the last posted one, as on the Archive
    of Our Own (an author reading their own work also sees their draft chapters)."""
    return next((chapter for chapter in reversed(chapters) if not chapter.is_draft), chapters[-1])


def _limit_readers_copy(request: HttpRequest, story: Story) -> None:
    """A comment awaiting approval is seen by its writer too: the readers' copy of the page is
    not theirs (nor a guest-turned-reader's whose session still names their held comments)."""
    if own_comment_ids(request):
        not_shared(request)
        return
    writers = getattr(story, "held_comment_writers", None)  # the kept work's (archive/chapters/reading.py)
    if writers is None:
        writers = held_comment_writers(story.pk)
    shared_except(request, user_ids=writers)


def section_context(
    request: HttpRequest,
    *,
    chapter: Chapter,
    story: Story,
    form: CommentForm | None = None,
    number: int | None = None,
    whole_work: Sequence[Chapter] = (),
) -> dict:
    """The section for `chapter`, or with `whole_work` (the entire-work page's numbered chapters)
    the threads of all of them, with `chapter` the one the form comments on."""
    if is_readers_render(request):
        _limit_readers_copy(request, story)
    if not whole_work and is_shared_render(request) and getattr(chapter, "has_comments", None) is False:
        # Kept for readers who see approved comments alone, and it has none (archive/chapters/reading.py).
        comments = CommentPage(threads=[], page=Paginator([], PER_PAGE).get_page(1), total=0)
    else:
        number = number or page_number(request)
        comments = load_page(request, story=story, chapters=whole_work or [chapter], number=number)
    # Blocks are checked when a reader posts, not on every page view.
    reason = closed_reason(story=story, user=request.user)
    if reason is None and chapter.is_draft:
        reason = "Draft chapters can't be commented on."
    author_ids = {author.pk for author in story.authors.all()}
    attach_heads(comments.threads, author_ids=author_ids)
    return {
        "request": request,
        "user": request.user,
        "chapter": chapter,
        "story": story,
        "whole_work": bool(whole_work),
        "threads": comments.threads,
        "page": comments.page,
        "total": comments.total,
        "author_ids": author_ids,
        "is_author": story.is_written_by(request.user),
        "form": form or empty_form(request),
        "refusal": reason,
        "can_comment": reason is None,
    }
