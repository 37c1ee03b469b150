"""Reading a work: its work page, chapter pages, entire work and chapter index. (Writing it is
archive/publishing.)

A request for /works/<id>/chapters/<chapter_id> flows: the URL names the story and chapter;
`readable_work` (reading.py) gives the story through `Story.objects.readable_by(user)` (drafts
are 404 to all but their authors) and the chapters this reader may open
(`Chapter.objects.readable_in(story, user)`: the index and previous/next links), kept per work
for readers who are not its authors; the page renders
chapters/work_detail.html, whose comment thread comes from the comments app's template tag.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from archive.caching.pages import not_shared, shared_except, shared_page
from archive.chapters import reading
from archive.chapters.models import Chapter
from archive.chapters.reading import readable_index, readable_work
from archive.hits.services import count_hit
from archive.stories.choices import ADULT_RATINGS
from archive.stories.models import Story


def _adult_warning(request: HttpRequest, story: Story) -> HttpResponse | None:
    """The "this work may have adult content" page, until the reader proceeds once.

    `?view_adult=true` (the Archive of Our Own's parameter) proceeds and is remembered for the
    rest of the session; authors never see the warning on their own works.
    """
    adult = story.rating in ADULT_RATINGS
    # The readers' copy of the page goes to readers who are not its authors, and if adult, to
    # those who said yes to adult content.
    shared_except(request, user_ids=frozenset(author.pk for author in story.authors.all()), adult=adult)
    if not adult or request.session.get("adult_ok") or story.is_written_by(request.user):
        return None
    if request.GET.get("view_adult") == "true":
        request.session["adult_ok"] = True
        not_shared(request)  # this visitor's answer: a later visit without it must still ask
        return None
    if request.user.is_authenticated:
        not_shared(request)
    proceed = request.GET.copy()
    proceed["view_adult"] = "true"
    return render(request, "chapters/adult_warning.html", {"story": story, "proceed": proceed.urlencode()})


@shared_page(work="story_id")
def work(request: HttpRequest, story_id: int) -> HttpResponse:
    story, index = readable_index(request, story_id)
    if warning := _adult_warning(request, story):
        return warning
    if request.GET.get("view_full_work") == "true":
        chapters = Chapter.objects.numbered_for(story, request.user)
        count_hit(request, story)
        context = {"story": story, "chapters": chapters, "index": index, **_author_context(request, story)}
        return render(request, "chapters/work_full.html", context)
    # The work page opens on chapter 1: it never moves a returning reader's place back.
    return _render_chapter(request, story, index, index[0].pk, keep_place=True)


@shared_page(work="story_id")
def chapter_detail(request: HttpRequest, story_id: int, chapter_id: int) -> HttpResponse:
    story, index = readable_work(request, story_id)
    if warning := _adult_warning(request, story):
        return warning
    return _render_chapter(request, story, index, chapter_id)


def _render_chapter(
    request: HttpRequest, story: Story, index: list[Chapter], chapter_id: int, *, keep_place: bool = False
) -> HttpResponse:
    positions = {chapter.pk: number for number, chapter in enumerate(index)}
    if chapter_id not in positions:
        raise Http404("No such chapter.")
    number = positions[chapter_id]
    chapter = reading.chapter(chapter_id)
    chapter.story = story
    chapter.number = index[number].number
    chapter.has_comments = getattr(index[number], "has_comments", None)
    count_hit(request, story)
    context = {
        "story": story,
        "chapter": chapter,
        "index": index,
        "previous": index[number - 1] if number > 0 else None,
        "next": index[number + 1] if number + 1 < len(index) else None,
        "keep_place": keep_place,
        **_author_context(request, story),
    }
    return render(request, "chapters/work_detail.html", context)


def _author_context(request: HttpRequest, story: Story) -> dict:
    """What a work's pages show its authors alone (those pages are never shared: `_adult_warning`)."""
    is_author = story.is_written_by(request.user)
    return {"is_author": is_author, "draft_stats": story.draft_stats() if is_author and story.is_draft else None}


def navigate(request: HttpRequest, story_id: int) -> HttpResponse:
    story, index = readable_work(request, story_id)
    # The chapter select on a chapter page sends the chosen chapter here (AO3's `selected_id`).
    chosen = next((chapter for chapter in index if str(chapter.pk) == request.GET.get("selected_id")), None)
    if chosen is not None:
        return redirect(chosen)
    return render(request, "chapters/chapter_index.html", {"story": story, "index": index})
