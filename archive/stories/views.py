from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from archive.caching.pages import shared_page
from archive.core.pagination import paginate
from archive.discovery.exclusions import apply_exclusions
from archive.discovery.filter_forms import WorkFilterForm
from archive.discovery.listing import list_works
from archive.series.models import Series
from archive.stories.models import Story
from archive.tags.models import Tag

AUTHOR_SERIES = 20  # shown on the author's works page; /users/<name>/series lists them all


@shared_page()
def home(request: HttpRequest) -> HttpResponse:
    stories, hiding = apply_exclusions(request, Story.objects.visible_to(request.user))
    context = {"page": paginate(request, stories.card_rows().recently_updated()), "heading": "Recently updated"}
    return render(request, "stories/story_list.html", {**context, "hiding": hiding})


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
    context["hiding"] = listing.hiding
    return render(request, "stories/tag_works.html", context)


@shared_page()
def author_works(request: HttpRequest, username: str) -> HttpResponse:
    author = get_object_or_404(get_user_model(), username=username)
    stories, hiding = apply_exclusions(request, Story.objects.visible_to(request.user).filter(authors=author))
    stories = stories.card_rows().recently_updated()
    # Their series with a work this reader may see, as their series page lists them.
    series = Series.objects.filter(creators=author).with_stats(request.user).filter(work_count__gt=0).only("title")
    context = {"author": author, "page": paginate(request, stories), "series": series.order_by("title")[:AUTHOR_SERIES]}
    context["hiding"] = hiding
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
