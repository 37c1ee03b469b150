from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from archive.core.give_back import given_back_fields


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
