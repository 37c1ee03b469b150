from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from archive.core.pagination import paginate
from archive.search.forms import WorkSearchForm
from archive.stories.models import Story


def work_search(request: HttpRequest) -> HttpResponse:
    form = WorkSearchForm(request.GET or None)
    page, unknown = None, []
    if form.is_bound and form.is_valid() and form.tag_names():
        tag_ids, unknown = form.resolve()
        stories = Story.objects.visible_to(request.user)
        stories = stories.none() if unknown else stories.with_tag_ids(tag_ids)
        page = paginate(request, stories.for_cards().recently_updated())
    return render(request, "search/search.html", {"form": form, "page": page, "unknown": unknown})
