from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse, UnreadablePostError
from django.shortcuts import render
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from archive.core.give_back import form_path, given_back_fields

# How much of a post too large to read is still read off the connection (and dropped), so that the
# browser, or the proxy in front, finishes sending and gets our page instead of a reset connection.
DRAIN_LIMIT = 64 * 1024 * 1024
DRAIN_CHUNK = 64 * 1024


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 while the database answers a query, 503 while it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """RATELIMIT_VIEW: the "Slow down" page, status 429.

    Nothing a refused POST sent was saved, so its text (a chapter, a comment) is shown back for
    the writer to copy, as after an expired session; passwords never are.
    """
    retry_after = getattr(request, "rate_limit_retry_after", 60)
    context = {
        "retry_minutes": max(1, round(retry_after / 60)),
        "fields": given_back_fields(request) if request.method == "POST" else [],
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400. A post Django won't read (larger than DATA_UPLOAD_MAX_MEMORY_SIZE, or with too
    many fields) is explained with status 413: what happened, and where the text still is. Its
    text can't be given back, as it was never read; settings size the limit above any form filled
    to every limit, so only absurd input meets it. Any other bad request gets Django's answer.
    """
    if not isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return defaults.bad_request(request, exception)
    _drain(request)
    return render(request, "413.html", {"form_path": form_path(request)}, status=413)


def _drain(request: HttpRequest) -> None:
    left = DRAIN_LIMIT
    try:
        while left > 0 and (chunk := request.read(min(DRAIN_CHUNK, left))):
            left -= len(chunk)
    except UnreadablePostError:
        pass
