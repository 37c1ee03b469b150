from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from archive.caching.pages import shared_page
from archive.chapters import preview
from archive.core.give_back import login_required_keeping_post
from archive.core.pagination import paginate
from archive.discovery.filter_forms import WorkFilterForm
from archive.discovery.listing import list_works
from archive.series.forms import WorkSeriesForm
from archive.series.models import Series
from archive.series.services import SeriesError, set_work_series
from archive.stories.forms import StoryForm
from archive.stories.models import Story
from archive.stories.services import delete_story, update_story
from archive.tags.models import Tag

AUTHOR_SERIES = 20  # shown on the author's works page; /users/<name>/series lists them all


@shared_page()
def home(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.visible_to(request.user).card_rows().recently_updated()
    return render(
        request, "stories/story_list.html", {"page": paginate(request, stories), "heading": "Recently updated"}
    )


@shared_page(tag="name")
def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = Tag.objects.named(name).select_related("merger").first()
    if tag is None:
        raise Http404("No such tag.")
    if tag.merger:
        query = request.GET.urlencode()
        return redirect(tag.merger.get_absolute_url() + (f"?{query}" if query else ""))
    form = WorkFilterForm(request.GET or None)
    wanted = form.tag_filter(tag)
    listing = list_works(request, Story.objects.visible_to(request.user), wanted)
    context = {"tag": tag, "form": form, "page": listing.page, "facets": listing.facets, "sampled": listing.sampled}
    return render(request, "stories/tag_works.html", context)


@shared_page()
def author_works(request: HttpRequest, username: str) -> HttpResponse:
    author = get_object_or_404(get_user_model(), username=username)
    stories = Story.objects.visible_to(request.user).filter(authors=author).card_rows().recently_updated()
    # Their series with a work this reader may see, as their series page lists them.
    series = Series.objects.filter(creators=author).with_stats(request.user).filter(work_count__gt=0).only("title")
    context = {"author": author, "page": paginate(request, stories), "series": series.order_by("title")[:AUTHOR_SERIES]}
    return render(request, "stories/author_works.html", context)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.written_by(request.user).card_rows().recently_updated()
    held = Story.objects.written_by(request.user).with_held_comments().only("title").order_by("title")
    # Their cards are not kept, and count the chapters a draft will post (not the 0 it has posted).
    drafts = stories.drafts().with_draft_counts().with_tags_and_authors().order_by("-created_at")
    context = {"drafts": drafts, "page": paginate(request, stories.published())}
    return render(request, "stories/dashboard.html", {**context, "held": held})


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
            )
        elif form.is_valid() and series_form.is_valid():
            try:
                with transaction.atomic():
                    update_story(story=story, fields=form.story_fields(), tags_by_kind=form.tags_by_kind())
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
