"""Sending the reader back where a form came from (`next`), only ever to a path on this site.

`next` arrives from the browser, so it is never passed to `redirect()`, which would take "zzz" for
a view name to reverse; and never to another site ("//evil.example") or a script ("javascript:").
Every view that honours `next` goes through `next_url` (`back_to` redirects there); Django's
log-in and log-out views through `LocalNextMixin`.
"""

import re

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

_CONTROLS = re.compile(r"[\x00-\x1f\x7f\\]")


def local_path(value: str) -> str | None:
    """`value` if it is a path on this site ("/works/1?page=2"), else None."""
    if not value.startswith("/") or value.startswith("//") or _CONTROLS.search(value):
        return None
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=None) else None


def next_url(request: HttpRequest, fallback: str) -> str:
    """Where the form asked to go back to, if that is a path here; else `fallback` (a URL, not a name)."""
    return local_path(request.POST.get("next") or request.GET.get("next") or "") or fallback


def back_to(request: HttpRequest, fallback: str, *, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url(request, fallback) + anchor)


class LocalNextMixin:
    """For Django's auth views (log in, log out): `next` only as a path here, like every other form."""

    def get_redirect_url(self) -> str:
        name = self.redirect_field_name
        return local_path(self.request.POST.get(name) or self.request.GET.get(name) or "") or ""
