"""What the comment section under a chapter shows: its threads, counts, and the form a reader
may use. The chapter page renders it through `{% comment_section %}`; the comment views render
it alone for a reader whose browser posted a comment without leaving the page."""

from django.http import HttpRequest

from archive.chapters.models import Chapter
from archive.comments.forms import CommentForm, GuestCommentForm
from archive.comments.services import closed_reason
from archive.comments.threads import load_page
from archive.core.pagination import page_number
from archive.stories.models import Story


def empty_form(request: HttpRequest) -> CommentForm:
    return CommentForm() if request.user.is_authenticated else GuestCommentForm()


def section_context(
    request: HttpRequest,
    *,
    chapter: Chapter,
    story: Story,
    form: CommentForm | None = None,
    number: int | None = None,
) -> dict:
    comments = load_page(request, story=story, chapter=chapter, number=number or page_number(request))
    # Blocks are checked when a reader posts, not on every page view.
    reason = closed_reason(story=story, user=request.user)
    if reason is None and chapter.is_draft:
        reason = "Draft chapters can't be commented on."
    return {
        "request": request,
        "user": request.user,
        "chapter": chapter,
        "story": story,
        "threads": comments.threads,
        "page": comments.page,
        "chapter_total": comments.chapter_total,
        "author_ids": {author.pk for author in story.authors.all()},
        "is_author": story.is_written_by(request.user),
        "form": form or empty_form(request),
        "refusal": reason,
        "can_comment": reason is None,
    }
