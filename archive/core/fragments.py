"""Sections posted in the background by static/js/community.js: the request marks itself, and the
view answers with just the re-rendered section instead of redirecting."""

from django.http import HttpRequest


def wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"
