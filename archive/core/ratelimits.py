"""Abuse limits: how often one user (or, for guests, one address) may sign up, post, leave kudos...

Each limit is named in settings.RATE_LIMITS ("comment": "10/m") and counted in the default cache
(Redis in production, so every worker shares the count) by django-ratelimit. A request over its
limit raises `Ratelimited`; django-ratelimit's middleware hands that to RATELIMIT_VIEW
(`archive.core.views.rate_limited`), which answers with the "Slow down" page and status 429.

Limit a view's POSTs with the decorator, below `login_required` so it counts by user::

    @login_required
    @rate_limit("comment")
    def comment_create(request, ...): ...

or, to count only some outcomes (failed log-ins), call `refuse_if_used_up` first and `count` after each one,
both with the same `key` (what is counted: by default the user or the address, as above).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django_ratelimit import UNSAFE
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

# django-ratelimit's own key: the user's id when logged in, else the client's address (an IPv6
# address counts by its /64 network, as one household or phone usually has a whole one).
BY_USER_OR_IP = "user_or_ip"
# The client's address, logged in or not.
BY_IP = "ip"
# django-ratelimit's key: one of its names, or a function of (group, request) returning a string.
Key = str | Callable[[str, HttpRequest], str]


def client_ip(request: HttpRequest) -> str:
    """The address a request came from; behind a proxy (DJANGO_BEHIND_PROXY), the one it forwards.

    The proxy in front appends the address it saw to X-Forwarded-For, so the last entry is the
    only one a client cannot forge.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    # Empty when gunicorn listens on a Unix socket with no proxy header: one shared bucket.
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


def _configured_rate(group: str, request: HttpRequest) -> str:
    # Read on every request, so settings overrides (tests, a quick production change) take effect.
    return settings.RATE_LIMITS[group]


def _usage(request: HttpRequest, name: str, *, increment: bool, method=UNSAFE, key: Key = BY_USER_OR_IP) -> dict | None:
    return get_usage(request, group=name, key=key, rate=_configured_rate, method=method, increment=increment)


def _check_name(name: str) -> None:
    if name not in settings.RATE_LIMITS:
        raise ImproperlyConfigured(f"No rate limit named {name!r} in settings.RATE_LIMITS")


def _refuse(request: HttpRequest, usage: dict) -> None:
    # For the 429 page's Retry-After and "try again in" (seconds until the window resets).
    request.rate_limit_retry_after = max(usage["time_left"], 1)
    raise Ratelimited()


def rate_limit(name: str, *, method=UNSAFE, unless: Callable[[HttpRequest], bool] | None = None) -> Callable:
    """Count each POST (by default) to the view against limit `name`; refuse it once over.
    A request for which `unless(request)` is true (a preview, which saves nothing) is not counted."""
    _check_name(name)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if unless is not None and unless(request):
                return view(request, *args, **kwargs)
            usage = _usage(request, name, increment=True, method=method)
            if usage and usage["should_limit"]:
                _refuse(request, usage)
            return view(request, *args, **kwargs)

        return limited_view

    return decorator


def refuse_if_used_up(request: HttpRequest, name: str, *, key: Key = BY_USER_OR_IP) -> None:
    """Raise `Ratelimited` if `key` (this user or address) has already counted limit `name` in full."""
    _check_name(name)
    usage = _usage(request, name, increment=False, key=key)
    if usage and usage["count"] >= usage["limit"]:
        _refuse(request, usage)


def count(request: HttpRequest, name: str, *, key: Key = BY_USER_OR_IP) -> None:
    """Count one event (a failed log-in, say) against limit `name` for `key`."""
    _check_name(name)
    _usage(request, name, increment=True, key=key)
