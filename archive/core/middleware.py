"""Keeping NUL characters out of what views read without a form.

PostgreSQL text can't hold a NUL, and a query carrying one fails (a DataError: a 500). No link,
form or cookie of ours ever holds one, so it is dropped from query parameters, and a cookie with
one is ignored (a session key with a NUL would otherwise be looked up). Paths refuse it in their
converters (archive/core/converters.py) and form fields with a message (Django's CharField), so
what an author typed is never silently changed.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


class NoNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or NUL in query:
            request.GET = _without_nul(request.GET)
        if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
            request.COOKIES = {name: value for name, value in request.COOKIES.items() if NUL not in name + value}
        return self.get_response(request)


def _without_nul(params: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for name, values in params.lists():
        for value in values:
            cleaned.appendlist(name.replace(NUL, ""), value.replace(NUL, ""))
    cleaned._mutable = False
    return cleaned
