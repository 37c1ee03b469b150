""" "Save this search" on the search and tag pages: the reader's own part of those shared pages
(archive/caching/reader_parts.py). No query: the form carries the page's search."""

from django.http import HttpRequest

from archive.caching.reader_parts import remembered

TEMPLATE = "search/includes/save_search.html"


def save_search_form(request: HttpRequest, items: list[tuple]) -> list[str]:
    """Each item (from `{% save_search_form %}`): the search's parameters, the tag's name on a
    tag page (else ""), and the name the form suggests."""
    if not request.user.is_authenticated:
        return [""] * len(items)
    return [
        remembered("save_search", TEMPLATE, {"query": query, "tag": tag, "name": name}) for query, tag, name in items
    ]
