"""Reading a story and writing its chapters.

A request for /works/<id>/chapters/<chapter_id> flows: the URL names the story and chapter;
`_readable_story` fetches the story through `Story.objects.readable_by(user)` (drafts are 404 to
all but their authors); `Chapter.objects.readable_in(story, user)` lists the chapters this
reader may open (the index and previous/next links); the page renders
chapters/work_detail.html, whose comment thread comes from the comments app's template tag.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from archive.caching.pages import not_shared, shared_except, shared_page
from archive.chapters import preview
from archive.chapters.forms import ChapterForm, ChapterOrderForm
from archive.chapters.models import MAX_REVISIONS_PER_CHAPTER, Chapter, ChapterRevision
from archive.chapters.services import (
    LastChapterError,
    StaleOrderError,
    add_chapter,
    create_story,
    delete_chapter,
    post_story,
    reorder_chapters,
    update_chapter,
)
from archive.core.give_back import login_required_keeping_post
from archive.core.ratelimits import rate_limit
from archive.hits.services import count_hit
from archive.series.forms import WorkSeriesForm
from archive.series.services import SeriesError, set_work_series
from archive.stories.choices import ADULT_RATINGS
from archive.stories.forms import StoryForm
from archive.stories.models import Story

INDEX_FIELDS = ["id", "story_id", "position", "title", "published_at"]


def _readable_story(request: HttpRequest, story_id: int) -> Story:
    return get_object_or_404(Story.objects.readable_by(request.user).for_reading(), pk=story_id)


def _wants_post(request: HttpRequest) -> bool:
    return request.POST.get("action") == "post"


def _newest_id(queryset) -> int:
    """What a "new" form's autosave compares with: it moves once a post has gone through."""
    return queryset.aggregate(newest=Max("id"))["newest"] or 0


@login_required_keeping_post
@rate_limit("work", unless=preview.wanted)
def story_create(request: HttpRequest) -> HttpResponse:
    shown = None
    if request.method == "POST":
        form = StoryForm(request.POST)
        chapter_form = ChapterForm(request.POST, prefix="chapter")
        series_form = WorkSeriesForm(request.POST, user=request.user, prefix="series")
        if form.is_valid() and chapter_form.is_valid() and preview.wanted(request):
            shown = preview.new_work(
                author=request.user,
                story_fields=form.story_fields(),
                tags_by_kind=form.tags_by_kind(),
                mains_by_kind=form.mains_by_kind(),
                chapter_fields=chapter_form.chapter_fields(),
            )
        elif form.is_valid() and chapter_form.is_valid() and series_form.is_valid():
            post = _wants_post(request)
            try:
                # One transaction: a work that can't join its series isn't posted, and its
                # series' subscribers hear of it once both are done.
                with transaction.atomic():
                    story = create_story(
                        author=request.user,
                        story_fields=form.story_fields(),
                        tags_by_kind=form.tags_by_kind(),
                        mains_by_kind=form.mains_by_kind(),
                        chapter_fields=chapter_form.chapter_fields(),
                        post=post,
                    )
                    set_work_series(story=story, user=request.user, **series_form.changes())
            except SeriesError as error:
                series_form.add_error(None, str(error))
            else:
                messages.success(request, "Your work was posted." if post else "Your draft was saved.")
                return redirect(story)
    else:
        form = StoryForm()
        chapter_form = ChapterForm(prefix="chapter")
        series_form = WorkSeriesForm(user=request.user, prefix="series")
    context = {
        "form": form,
        "chapter_form": chapter_form,
        "series_form": series_form,
        "autosave_version": _newest_id(Story.objects.written_by(request.user)),
        "preview": shown,
    }
    return render(request, "chapters/story_create.html", context)


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
    story = _readable_story(request, story_id)
    if warning := _adult_warning(request, story):
        return warning
    index = Chapter.objects.only(*INDEX_FIELDS).numbered_for(story, request.user)
    if not index:
        raise Http404("This work has no chapters you can read.")
    if request.GET.get("view_full_work") == "true":
        chapters = Chapter.objects.numbered_for(story, request.user)
        count_hit(request, story)
        context = {"story": story, "chapters": chapters, "index": index, **_author_context(request, story)}
        return render(request, "chapters/work_full.html", context)
    # The work page opens on chapter 1: it never moves a returning reader's place back.
    return _render_chapter(request, story, index, index[0].pk, keep_place=True)


@shared_page(work="story_id")
def chapter_detail(request: HttpRequest, story_id: int, chapter_id: int) -> HttpResponse:
    story = _readable_story(request, story_id)
    if warning := _adult_warning(request, story):
        return warning
    index = Chapter.objects.only(*INDEX_FIELDS).numbered_for(story, request.user)
    return _render_chapter(request, story, index, chapter_id)


def _render_chapter(
    request: HttpRequest, story: Story, index: list[Chapter], chapter_id: int, *, keep_place: bool = False
) -> HttpResponse:
    positions = {chapter.pk: number for number, chapter in enumerate(index)}
    if chapter_id not in positions:
        raise Http404("No such chapter.")
    number = positions[chapter_id]
    chapter = Chapter.objects.get(pk=chapter_id)
    chapter.story = story
    chapter.number = index[number].number
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
    story = _readable_story(request, story_id)
    index = Chapter.objects.only(*INDEX_FIELDS).numbered_for(story, request.user)
    # The chapter select on a chapter page sends the chosen chapter here (AO3's `selected_id`).
    chosen = next((chapter for chapter in index if str(chapter.pk) == request.GET.get("selected_id")), None)
    if chosen is not None:
        return redirect(chosen)
    return render(request, "chapters/chapter_index.html", {"story": story, "index": index})


@login_required
@require_POST
def story_post(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.written_by(request.user), pk=story_id)
    story = post_story(story=story)
    messages.success(request, "Your work was posted.")
    return redirect(story)


@login_required_keeping_post
@rate_limit("chapter", unless=preview.wanted)
def chapter_create(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.written_by(request.user), pk=story_id)
    shown = None
    if request.method == "POST":
        form = ChapterForm(request.POST)
        if form.is_valid() and preview.wanted(request):
            shown = preview.chapter(story=_story_for_preview(story), chapter_fields=form.chapter_fields())
        elif form.is_valid():
            post = _wants_post(request)
            chapter = add_chapter(story=story, fields=form.chapter_fields(), post=post)
            if story.is_draft:  # the chapter waits with its work: nobody reads it until the work is posted
                messages.success(request, "Your chapter was added to your draft.")
            else:
                messages.success(request, "Your chapter was posted." if post else "Your chapter draft was saved.")
            return redirect(chapter)
    else:
        form = ChapterForm()
    context = {"form": form, "story": story, "autosave_version": _newest_id(story.chapters.all()), "preview": shown}
    return render(request, "chapters/chapter_form.html", context)


def _story_for_preview(story: Story) -> Story:
    """A copy of the work to dress up as the preview: the page's own copy stays as it is saved."""
    return Story.objects.for_reading().get(pk=story.pk)


def _own_chapter(request: HttpRequest, story_id: int, chapter_id: int) -> Chapter:
    return get_object_or_404(
        Chapter.objects.filter(story__in=Story.objects.written_by(request.user)).select_related("story"),
        story_id=story_id,
        pk=chapter_id,
    )


@login_required_keeping_post
def chapter_edit(request: HttpRequest, story_id: int, chapter_id: int) -> HttpResponse:
    chapter = _own_chapter(request, story_id, chapter_id)
    shown = None
    if request.method == "POST":
        form = ChapterForm(request.POST, instance=chapter)
        if form.is_valid() and preview.wanted(request):
            shown = preview.chapter(
                story=_story_for_preview(chapter.story),
                chapter_fields=form.chapter_fields(),
                chapter=Chapter.objects.get(pk=chapter.pk),
            )
        elif form.is_valid():
            chapter = update_chapter(
                chapter=chapter, fields=form.chapter_fields(), post=_wants_post(request), edited_by=request.user
            )
            messages.success(request, "Your chapter was saved.")
            return redirect(chapter)
    else:
        form = ChapterForm(instance=chapter)
    context = {"form": form, "story": chapter.story, "chapter": chapter, "preview": shown}
    return render(request, "chapters/chapter_form.html", context)


@login_required
def chapter_delete(request: HttpRequest, story_id: int, chapter_id: int) -> HttpResponse:
    chapter = _own_chapter(request, story_id, chapter_id)
    if request.method == "POST":
        try:
            delete_chapter(chapter=chapter)
        except LastChapterError as error:
            messages.error(request, str(error))
            return redirect(chapter)
        messages.success(request, f"{chapter.heading} was deleted.")
        return redirect(chapter.story)
    return render(request, "chapters/chapter_confirm_delete.html", {"chapter": chapter, "story": chapter.story})


@login_required
def chapter_manage(request: HttpRequest, story_id: int) -> HttpResponse:
    """Reorder a work's chapters (AO3's "Manage chapters")."""
    story = get_object_or_404(Story.objects.written_by(request.user), pk=story_id)
    chapters = list(story.chapters.only(*INDEX_FIELDS).order_by("position"))
    refused = None
    if request.method == "POST":
        form = ChapterOrderForm(request.POST, chapters=chapters)
        if form.is_valid():
            try:
                reorder_chapters(story=story, seen=form.cleaned_data["seen"], order=form.order())
            except StaleOrderError as error:
                refused = str(error)
                form = ChapterOrderForm(chapters=list(story.chapters.only(*INDEX_FIELDS).order_by("position")))
            else:
                messages.success(request, "The chapters are in their new order.")
                return redirect("chapters:manage", story.pk)
    else:
        form = ChapterOrderForm(chapters=chapters)
    return render(request, "chapters/chapter_manage.html", {"story": story, "form": form, "refused": refused})


# Revisions: every edit keeps the text it replaced; only the work's authors see them.


def _own_revision(request: HttpRequest, story_id: int, chapter_id: int, revision_id: int) -> ChapterRevision:
    return get_object_or_404(
        ChapterRevision.objects.filter(chapter__story__in=Story.objects.written_by(request.user)).select_related(
            "chapter__story", "edited_by"
        ),
        chapter__story_id=story_id,
        chapter_id=chapter_id,
        pk=revision_id,
    )


@login_required
@require_safe
def chapter_revisions(request: HttpRequest, story_id: int, chapter_id: int) -> HttpResponse:
    chapter = _own_chapter(request, story_id, chapter_id)
    revisions = chapter.revisions.select_related("edited_by").only(
        "id", "chapter_id", "title", "word_count", "created_at", "edited_by__username"
    )
    context = {"chapter": chapter, "story": chapter.story, "revisions": revisions, "cap": MAX_REVISIONS_PER_CHAPTER}
    return render(request, "chapters/revision_list.html", context)


@login_required
def chapter_revision(request: HttpRequest, story_id: int, chapter_id: int, revision_id: int) -> HttpResponse:
    revision = _own_revision(request, story_id, chapter_id, revision_id)
    context = {"revision": revision, "chapter": revision.chapter, "story": revision.chapter.story}
    return render(request, "chapters/revision_detail.html", context)


@login_required
@require_POST
def chapter_revision_restore(request: HttpRequest, story_id: int, chapter_id: int, revision_id: int) -> HttpResponse:
    revision = _own_revision(request, story_id, chapter_id, revision_id)
    chapter = update_chapter(chapter=revision.chapter, fields=revision.text_fields(), edited_by=request.user)
    messages.success(
        request,
        f"The text from before the edit of {timezone.localtime(revision.created_at):%Y-%m-%d %H:%M} is back. "
        "The text it replaced is kept as a revision, so you can undo this.",
    )
    return redirect(chapter)
