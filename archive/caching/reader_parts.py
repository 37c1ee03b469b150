"""A reader's own parts of a page every logged-in reader otherwise shares.

A work page looks the same to every logged-in reader but for a few small parts: the header (their
name, their unread count), "Continue reading", the subscribe button, their bookmark box, the Edit
and Delete links on their own comments. Each such part is named here, with the function that
renders it for a reader, and a template shows it with `{% reader_part "name" arg ... %}`.

Rendered for one reader (any page, any visitor), the tag is that function's output. Rendered for
the readers' copy of a shared page (archive/caching/middleware.py), it is a marker naming the part
and its arguments instead, and the page is kept with its markers; serving it to a reader fills
every marker, each part's markers with one call (so one query for all of them, not one each).

A part's function takes the request and a list of argument tuples (strings, as the tag gave them)
and returns one piece of HTML for each. It must not rely on the page's template context: what it
needs beyond the reader comes in its arguments. A part that reads the cache names the keys it will
read (`KEYS`), and reads them with `cached`: `fill` reads every part's keys in one round trip.
"""

import hashlib
import re
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from archive.caching.versions import template_version

# The parts, each by the dotted path of its function, in the order a page's are filled: the
# bookmark box before the subscribe button, since its query also tells the work's subscription.
PARTS = {
    "header": "archive.accounts.reader_parts.header_links",
    "reading": "archive.history.reader_parts.continue_reading",
    "continue_box": "archive.history.reader_parts.continue_box",
    "bookmark": "archive.bookmarks.reader_parts.bookmark_box",
    "subscribe": "archive.notifications.reader_parts.subscribe_button",
    "own_comment": "archive.comments.reader_parts.own_comment_actions",
    "save_search": "archive.search.reader_parts.save_search_form",
}

# The parts that read the cache, each by the dotted path of a function of the request and the
# part's argument tuples naming the keys it will read: the reader's place in the work, their
# bookmark box's state and their subscriptions.
KEYS = {
    "reading": "archive.history.reader_parts.place_keys",
    "bookmark": "archive.bookmarks.reader_parts.state_keys",
    "subscribe": "archive.notifications.reader_parts.state_keys",
}

# What `fill` read ahead for the parts it is filling: each key asked for, with what the cache held.
_read_ahead: ContextVar[dict | None] = ContextVar("reader_parts_read_ahead", default=None)


def cached(key: str):
    """What the cache holds at `key`: read ahead with the page's other parts' keys when `fill`
    named it (`KEYS`), else read now."""
    ahead = _read_ahead.get()
    if ahead is not None and key in ahead:
        return ahead[key]
    return cache.get(key)


# Markers (these and counters.py's) carry a value derived from the secret key, so no text a user
# wrote can pose as one (and user HTML loses its comments anyway).
# (Made on first use: commands that sign nothing run without a SECRET_KEY.)
@lru_cache(maxsize=1)
def nonce() -> str:
    return hashlib.blake2b(f"reader-parts\n{settings.SECRET_KEY}".encode(), digest_size=6).hexdigest()


@lru_cache(maxsize=1)
def _marker() -> re.Pattern:
    return re.compile(rb"<!--reader-part:" + nonce().encode() + rb":([a-z_]+):([^>]*?)-->")


READERS = "readers"  # request._shared_page while rendering the readers' copy of a page

# Exactly as long as a masked CSRF token and made of the characters HTML escaping leaves alone,
# so it is found and replaced in the rendered bytes whatever the template did with it: a shared
# page and a remembered part carry it, and each visitor gets their own token in its place.
CSRF_PLACEHOLDER = "sharedpagecsrftokenplaceholder".ljust(64, "X")
REMEMBERED_PARTS = 5_000  # a bookmark box is ~3 kB: at most ~15 MB a worker
_remembered: OrderedDict[tuple, str] = OrderedDict()


def remembered(kind: str, template_name: str, shown, context: Callable[[], dict] | None = None) -> str:
    """`template_name` rendered with `context()` (default: `shown`, a dict of plain values), without
    a request and with the CSRF placeholder for `csrf_token`, remembered in this process under
    `shown`: what the part shows. A part changes only with what it shows, so each distinct one
    is rendered once (the caller puts the visitor's token in, or the page's server does)."""
    key = (kind, template_version(template_name), repr(shown))
    html = _remembered.get(key)
    if html is None:
        values = shown if context is None else context()
        html = get_template(template_name).render({**values, "csrf_token": CSRF_PLACEHOLDER})
        _remembered[key] = html
        if len(_remembered) > REMEMBERED_PARTS:
            _remembered.popitem(last=False)
    else:
        _remembered.move_to_end(key)
    return html


def is_shared_render(request: HttpRequest) -> bool:
    """Whether this request renders a page kept for others (guests' or readers' copy), whose forms
    carry the CSRF placeholder instead of this visitor's token."""
    return bool(getattr(request, "_shared_page", False))


def is_readers_render(request: HttpRequest) -> bool:
    return getattr(request, "_shared_page", False) == READERS


def _function(name: str):
    return import_string(PARTS[name])


def part(request: HttpRequest, name: str, *args) -> SafeString:
    """The part for this request's reader, or its marker when rendering the readers' copy."""
    values = tuple("" if arg is None else str(arg) for arg in args)
    if name not in PARTS:
        raise KeyError(f"No reader part {name!r}: add it to archive/caching/reader_parts.PARTS")
    if is_readers_render(request):
        encoded = "/".join(quote(value, safe="") for value in values)
        return mark_safe(f"<!--reader-part:{nonce()}:{name}:{encoded}-->")  # noqa: S308 - quoted values
    html = _function(name)(request, [values])[0]
    if not is_shared_render(request):  # else the page's visitor gets theirs as it is served
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - our templates' output


def _decoded(encoded: bytes) -> tuple[str, ...]:
    return tuple(unquote(value) for value in encoded.decode().split("/")) if encoded else ()


class Plan(NamedTuple):
    """What filling a page takes: each part named on it with its arguments (encoded, as the markers
    carry them, and decoded), in the order they are filled, and the cache keys they will read."""

    parts: list[tuple[str, list[bytes], list[tuple[str, ...]]]]
    keys: list[str]


def plan(request: HttpRequest, content: bytes) -> Plan | None:
    """The plan for filling `content` for this request's reader; None if it has no marker. The
    kept copy's server reads the plan's keys with its own (archive/caching/middleware.py)."""
    if b"<!--reader-part:" not in content:
        return None
    wanted: dict[bytes, list[bytes]] = defaultdict(list)
    for match in _marker().finditer(content):
        if match[2] not in wanted[match[1]]:
            wanted[match[1]].append(match[2])
    order = list(PARTS)
    parts = [
        (name.decode(), encoded_args, [_decoded(encoded) for encoded in encoded_args])
        for name, encoded_args in sorted(wanted.items(), key=lambda item: order.index(item[0].decode()))
    ]
    keys = [key for name, _, args in parts if name in KEYS for key in import_string(KEYS[name])(request, args)]
    return Plan(parts, keys)


def fill(request: HttpRequest, content: bytes, planned: Plan | None = None, found: dict | None = None) -> bytes:
    """The page with every marker replaced by this reader's part: as `planned` (made now if not
    given), with what the cache held for its keys in `found` (read now if not given)."""
    planned = planned or plan(request, content)
    if planned is None:
        return content
    if found is None:
        found = cache.get_many(planned.keys) if planned.keys else {}
    made: dict[tuple[bytes, bytes], bytes] = {}
    reset = _read_ahead.set({key: found.get(key) for key in planned.keys})
    try:
        for name, encoded_args, args in planned.parts:
            for encoded, html in zip(encoded_args, _function(name)(request, args), strict=True):
                made[name.encode(), encoded] = html.encode()
    finally:
        _read_ahead.reset(reset)
    return _marker().sub(lambda match: made[match[1], match[2]], content)
