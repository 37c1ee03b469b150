from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from archive.caching.pages import shared_page
from archive.discovery.filter_forms import carried_params
from archive.discovery.listing import list_works
from archive.discovery.text import MAX_TERMS, has_terms, left_out, match_text, match_title
from archive.search.forms import WorkSearchForm
from archive.series.models import SeriesWork
from archive.stories.models import Story
from archive.tags.models import Tag


@shared_page()
def work_search(request: HttpRequest) -> HttpResponse:
    form = WorkSearchForm(request.GET or None)
    context = {"form": form, "page": None, "unknown": [], "facets": None}
    if form.has_criteria():
        keys = form.tag_keys()
        # One query, even when no tag is named: the query count stays the same whatever the filters.
        tags = {tag.match_key: tag for tag in Tag.objects.filter(match_key__in=[*keys, ""])}
        wanted, unknown = form.search_filter(tags)
        works = Story.objects.visible_to(request.user)
        if unknown:
            works = works.none()
        text = form.value("q", "")
        best = has_terms(text) and form.value("sort") == "best"
        works = match_text(_narrow(works, form), text, rank=best)
        listing = list_works(request, works, wanted, ranked=best)
        context.update(
            unknown=unknown,
            left_out=left_out(text),
            max_terms=MAX_TERMS,
            page=listing.page,
            facets=listing.facets,
            sampled=listing.sampled,
            unranked=listing.unranked,
            hiding=listing.hiding,
            extra_params=carried_params(request.GET),
            offer_main_only=bool(form.value("characters") or form.value("relationships")),
        )
    return render(request, "search/search.html", context)


def _narrow(works, form: WorkSearchForm):
    title, author = form.value("title", ""), form.value("author", "").strip()
    works = match_title(works, title)
    if series := form.value("series", "").strip():
        words = Q()
        for word in series.split():
            words &= Q(series__title__icontains=word)
        works = works.filter(Exists(SeriesWork.objects.filter(words, story=OuterRef("pk"))))
    if author:
        writers = Story.authors.through.objects.filter(
            story=OuterRef("pk"),
            user__in=get_user_model().objects.filter(username__iexact=author),
        )
        works = works.filter(Exists(writers))
    return works
