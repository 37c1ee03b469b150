"""The author's pages of a work's life cycle: new work, preview, post, edit, delete, and its
chapters (add, edit, delete, reorder, revisions). Each fetches the work through
`Story.objects.written_by(request.user)`, so another user's work is a 404, and hands the change to
one service in archive/publishing/services.py. Preview is the forms' "Preview" button: the same
view renders the page from archive/publishing/preview.py and saves nothing.

Their URLs keep the names they have always had ("chapters:story_create", "stories:edit": see
archive/publishing/urls.py). The pages readers see (work, chapter, chapter index) are
archive/chapters/views.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from archive.chapters.models import INDEX_FIELDS, MAX_REVISIONS_PER_CHAPTER, Chapter, ChapterRevision
from archive.core.give_back import login_required_keeping_post
from archive.core.ratelimits import rate_limit
from archive.publishing import preview
from archive.publishing.forms import ChapterForm, ChapterOrderForm, StoryForm
from archive.publishing.services import (
    LastChapterError,
    StaleOrderError,
    add_chapter,
    create_story,
    delete_chapter,
    delete_story,
    post_story,
    reorder_chapters,
    update_chapter,
    update_story,
)
from archive.series.forms import WorkSeriesForm
from archive.series.services import SeriesError, set_work_series
from archive.stories.models import Story


def _wants_post(request: HttpRequest) -> bool:
    return request.POST.get("action") == "post"


def _newest_id(queryset) -> int:
    """What a "new" form's autosave compares with: it moves once a post has gone through."""
    return queryset.aggregate(newest=Max("id"))["newest"] or 0


# A work.


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


@login_required
@require_POST
def story_post(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.written_by(request.user), pk=story_id)
    story = post_story(story=story)
    messages.success(request, "Your work was posted.")
    return redirect(story)


@login_required_keeping_post
def story_edit(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.written_by(request.user), pk=story_id)
    shown = None
    if request.method == "POST":
        form = StoryForm(request.POST, instance=story)
        series_form = WorkSeriesForm(request.POST, user=request.user, story=story, prefix="series")
        if form.is_valid() and preview.wanted(request):
            shown = preview.work_edit(
                story=Story.objects.for_reading().get(pk=story.pk),
                story_fields=form.story_fields(),
                tags_by_kind=form.tags_by_kind(),
                mains_by_kind=form.mains_by_kind(),
            )
        elif form.is_valid() and series_form.is_valid():
            try:
                with transaction.atomic():
                    update_story(
                        story=story,
                        fields=form.story_fields(),
                        tags_by_kind=form.tags_by_kind(),
                        mains_by_kind=form.mains_by_kind(),
                    )
                    set_work_series(story=story, user=request.user, **series_form.changes())
            except SeriesError as error:
                series_form.add_error(None, str(error))
            else:
                messages.success(request, "Your changes were saved.")
                return redirect(story)
    else:
        form = StoryForm(instance=story)
        series_form = WorkSeriesForm(user=request.user, story=story, prefix="series")
    # The heading names the work as saved: a valid form has already set its fields on `story`.
    saved = Story.objects.only("title", "edited_at").get(pk=story.pk) if shown else story
    context = {"form": form, "series_form": series_form, "story": saved, "preview": shown}
    return render(request, "stories/story_form.html", context)


@login_required
def story_delete(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.written_by(request.user), pk=story_id)
    if request.method == "POST":
        title = story.title
        delete_story(story=story)
        messages.success(request, f"“{title}” was deleted.")
        return redirect("stories:dashboard")
    return render(request, "stories/story_confirm_delete.html", {"story": story})


# Its chapters.


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
