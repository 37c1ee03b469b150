from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 20


def paginate(request: HttpRequest, object_list, per_page: int = PER_PAGE) -> Page:
    """The requested page; a missing, malformed or too-large page number gives the nearest page."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))
