from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from archive.caching.pages import not_shared, shared_page
from archive.discovery.filter_forms import carried_params
from archive.discovery.listing import list_works
from archive.discovery.text import MAX_TERMS, has_terms, left_out
from archive.search.forms import SavedSearchForm, SaveSearchForm, WorkSearchForm, searched_tags
from archive.search.models import SavedSearch
from archive.search.querying import searched_works, tags_named_in
from archive.search.services import SavedSearchError, delete_saved_search, save_search, update_saved_search
from archive.stories.models import Story


@shared_page(searched_tags=searched_tags)
def work_search(request: HttpRequest) -> HttpResponse:
    form = WorkSearchForm(request.GET or None)
    context = {"form": form, "page": None, "unknown": [], "facets": None}
    if form.has_criteria():
        if form.required_tag_keys() != searched_tags(request.GET):
            not_shared(request)  # the page was looked up under tags the form did not read (bad input)
        tags = tags_named_in(form.tag_keys())
        text = form.value("q", "")
        best = has_terms(text) and form.value("sort") == "best"
        works, wanted, unknown = searched_works(Story.objects.visible_to(request.user), form, tags, rank=best)
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


@login_required
@require_safe
def saved_search_list(request: HttpRequest) -> HttpResponse:
    searches = SavedSearch.objects.filter(user=request.user).select_related("tag").order_by("name", "id")
    return render(request, "search/savedsearch_list.html", {"searches": searches})


@login_required
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """ "Save this search": the form comes from the search or tag page; when something is wrong it
    is shown again here, with what was typed."""
    if request.method != "POST":
        return redirect("search:saved")
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = save_search(
                user=request.user, name=data["name"], query=data["query"], tag=data["tag"], alerts=data["alerts"]
            )
        except SavedSearchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your search “{saved.name}” was saved.")
            return redirect("search:saved")
    return render(request, "search/savedsearch_form.html", {"form": form, "saved": None})


@login_required
def saved_search_edit(request: HttpRequest, saved_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=saved_id)
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
        if form.is_valid():
            update_saved_search(saved=saved, **form.cleaned_data)
            messages.success(request, f"Your saved search “{saved.name}” was updated.")
            return redirect("search:saved")
    else:
        form = SavedSearchForm(initial={"name": saved.name, "alerts": saved.alerts})
    return render(request, "search/savedsearch_form.html", {"form": form, "saved": saved})


@login_required
def saved_search_delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=saved_id)
    if request.method == "POST":
        delete_saved_search(saved=saved)
        messages.success(request, f"Your saved search “{saved.name}” was deleted.")
        return redirect("search:saved")
    return render(request, "search/savedsearch_confirm_delete.html", {"saved": saved})
