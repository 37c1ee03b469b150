"""A series' page, its creators' edit and delete pages, and an author's series.

Creators' pages fetch through `Series.objects.created_by(request.user)`, so another's series
is a 404. The series page and an author's series list are shared by logged-out readers (they
depend on the archive's lists, which every series change moves: archive/series/services.py).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from archive.caching.pages import shared_except, shared_page
from archive.core.give_back import login_required_keeping_post
from archive.core.pagination import paginate
from archive.series.forms import SeriesForm, SeriesOrderForm
from archive.series.models import Series, SeriesWork
from archive.series.services import SeriesError, arrange_works, delete_series, update_series
from archive.stories.cards import story_cards
from archive.stories.models import Story


def _shown_links(series: Series, viewer):
    """The series' works this viewer may see, in order, with what their cards show."""
    return (
        SeriesWork.objects.filter(series=series, story__in=Story.objects.visible_to(viewer).values("pk"))
        .prefetch_related(Prefetch("story", queryset=Story.objects.card_rows()))
        .order_by("position")
    )


@shared_page()
@require_safe
def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(
        Series.objects.with_stats(request.user).prefetch_related(
            Prefetch("creators", queryset=get_user_model().objects.only("username").order_by("username"))
        ),
        pk=series_id,
    )
    # Its creators see their Edit and Delete links: the readers' copy of the page is not theirs.
    shared_except(request, user_ids=frozenset(creator.pk for creator in series.creators.all()))
    is_creator = series.is_created_by(request.user)
    if not is_creator and not series.work_count:
        raise Http404("No such series.")  # nothing in it anyone may read yet: drafts leak nowhere
    page = paginate(request, _shown_links(series, request.user))
    # Parts are numbered among the works this reader sees, as each work's page numbers them.
    first = page.start_index() if page.object_list else 1
    cards = story_cards([link.story for link in page.object_list])
    parts = [(first + offset, card) for offset, card in enumerate(cards)]
    context = {"series": series, "page": page, "parts": parts, "is_creator": is_creator}
    return render(request, "series/series_detail.html", context)


@shared_page()
@require_safe
def user_series(request: HttpRequest, username: str) -> HttpResponse:
    author = get_object_or_404(get_user_model(), username=username)
    series = Series.objects.filter(creators=author).for_blurbs(request.user).order_by("-updated_at", "-id")
    shared_except(request, user_ids=frozenset([author.pk]))  # their own list shows their empty series too
    if request.user != author:
        series = series.filter(work_count__gt=0)
    return render(request, "series/user_series.html", {"author": author, "page": paginate(request, series)})


def _own_series(request: HttpRequest, series_id: int) -> Series:
    return get_object_or_404(Series.objects.created_by(request.user), pk=series_id)


def _order_form(series: Series, data=None) -> SeriesOrderForm:
    links = list(
        series.series_works.select_related("story").only("position", "story_id", "story__title").order_by("position")
    )
    return SeriesOrderForm(data, links=links, prefix="order")


@login_required_keeping_post
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    series = _own_series(request, series_id)
    if request.method == "POST":
        form = SeriesForm(request.POST, instance=series)
        order_form = _order_form(series, request.POST)
        if form.is_valid() and order_form.is_valid():
            order, removed = order_form.order()
            try:
                arrange_works(series=series, order=order, removed=removed)
            except SeriesError as error:
                form.add_error(None, str(error))
            else:
                update_series(series=series, fields=form.series_fields())
                messages.success(request, "Your series was saved.")
                return redirect(series)
    else:
        form = SeriesForm(instance=series)
        order_form = _order_form(series)
    return render(request, "series/series_form.html", {"form": form, "order_form": order_form, "series": series})


@login_required
def series_delete(request: HttpRequest, series_id: int) -> HttpResponse:
    series = _own_series(request, series_id)
    if request.method == "POST":
        delete_series(series=series)
        messages.success(request, f"The series “{series.title}” was deleted; its works are still here.")
        return redirect("series:by_user", request.user.username)
    return render(request, "series/series_confirm_delete.html", {"series": series})
