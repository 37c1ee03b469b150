"""The shared page cache: logged-out readers' pages served from the cache, never stale; and
logged-in readers' copies of the same pages, each reader's own parts filled in as they are served
(`ReaderPageCacheMiddleware`, at the end of this module).

Which pages: those marked `@shared_page` (archive/caching/pages.py), asked for with GET by a
visitor with no cookie but the CSRF one: no session, so no login, no adult-content consent and
no messages. Everyone who fits sees the same page, so it is rendered once and kept under its
address, with the version tokens it was built from (archive/caching/versions.py). It is served
only while those tokens still hold; a change that matters bumps them, so the next reader gets a
fresh page. A work's page lives `WORK_PAGE_CACHE_SECONDS` (an hour), other pages
`PAGE_CACHE_SECONDS` (a minute): the counts on a list of works (hits) may lag that long, while a
work page's hit count is filled in as it is served (counters.py), so it lags nothing but the flush.

What is per visitor on such a page is put in as it is served, never stored: the CSRF token in
guest forms is rendered as a placeholder (context_processors.py) and replaced by the visitor's
own, with their CSRF cookie set when they have none. A hit on a work still counts.

Nothing that sets a cookie, or is not a 200, or a view marked private, is stored. A logged-out
visitor with saved exclusions (their `exclusions` cookie, archive/discovery/exclusions.py) is not
such a visitor on lists of works: those are rendered for them, marked private, and never kept
(a work's own page, which exclusions don't change, is served to them from the cache as usual).

This middleware sits near the top, so a page served from the cache costs one cache round trip
and none of the session, CSRF, auth and message middleware. The stored headers are those the
inner middleware set on the page when it was rendered (security headers, CSP, frame options).
Responses also say how others may keep them: shared pages `public, s-maxage` with an ETag
(304 when it matches), anything to a visitor with a session `private`.
"""

import hashlib
import os
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.cache import cc_delim_re, patch_cache_control

from archive.caching import counters, deferred, versions
from archive.caching.pages import SharedPage, page_at
from archive.caching.reader_parts import CSRF_PLACEHOLDER, READERS, Plan, fill, plan
from archive.caching.redis import get_many_and_add
from archive.discovery import exclusions
from archive.hits.services import (
    count_first_view,
    count_guest_view,
    count_reader_view,
    guest_seen_key,
    reader_seen_key,
)

_PLACEHOLDER = CSRF_PLACEHOLDER.encode()
_NOT_STORED_HEADERS = {"content-length", "etag", "cache-control", "expires", "last-modified"}


def _visitor_is_anonymous(request: HttpRequest, *, page: SharedPage) -> bool:
    # Saved exclusions change lists of works, never a work's own page (a logged-out visitor can't
    # mute anyone): there, their cookie makes no visitor different.
    ignored = {settings.CSRF_COOKIE_NAME, exclusions.COOKIE} if page.work is not None else {settings.CSRF_COOKIE_NAME}
    return all(name in ignored for name in request.COOKIES)


def _page_key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.path}?{request.META.get('QUERY_STRING', '')}"
    return "page:" + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


_CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_BASE = len(CSRF_ALLOWED_CHARS)
_UNBIASED = 256 - 256 % _BASE  # bytes at or above this would favour the first characters
# Random bytes become characters in one C call: each byte below _UNBIASED maps to a character,
# the others are dropped (so every character is equally likely).
_TO_CHARS = bytes(ord(CSRF_ALLOWED_CHARS[byte % _BASE]) for byte in range(256))
_DROPPED = bytes(range(_UNBIASED, 256))


def _random_csrf_string() -> str:
    """CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS from the OS's randomness, without bias:
    Django's get_random_string does the same one `secrets.choice` at a time, far slower."""
    chars = b""
    while len(chars) < CSRF_SECRET_LENGTH:
        chars += os.urandom(48).translate(_TO_CHARS, _DROPPED)
    return chars[:CSRF_SECRET_LENGTH].decode()


def _masked(secret: str) -> str:
    """The form token for a CSRF secret, masked afresh as Django masks it (a random mask, then the
    secret shifted by it), so a compressed page never repeats it (BREACH); Django unmasks it."""
    mask = _random_csrf_string()
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_CHAR_INDEX[s] + _CHAR_INDEX[m]) % _BASE] for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher


def _csrf_secret(request: HttpRequest) -> tuple[str, bool]:
    """The visitor's CSRF secret, and whether it is new (and so must be sent as a cookie)."""
    if "CSRF_COOKIE" in request.META:  # read (or made and sent) by Django's CSRF middleware
        return request.META["CSRF_COOKIE"], False
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if len(secret) == CSRF_SECRET_LENGTH and all(char in CSRF_ALLOWED_CHARS for char in secret):
        return secret, False
    return _random_csrf_string(), True


def _set_csrf_cookie(response: HttpResponse, secret: str) -> None:
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return wanted == "*" or etag in (tag.strip().removeprefix("W/") for tag in wanted.split(","))


class Entry(NamedTuple):
    """A kept page: the version tokens it was built from, and what to answer."""

    tokens: tuple
    status: int
    headers: dict
    content: bytes
    etag: str
    hit_on: int | None  # the work a view of it counts a hit on, if it counts one
    kept_until: float  # when it leaves the cache (time.time())
    not_for: frozenset = frozenset()  # a readers' copy: readers it must not be served to
    adult: bool = False  # a readers' copy: served only to readers who agreed to adult content
    counted: tuple = ()  # the works whose hit counts are filled in as it is served (counters.py)


def _lifetime(page: SharedPage) -> int:
    """How long a kept page lives: a work's page until something it shows changes (its hits are
    filled in as it is served), within WORK_PAGE_CACHE_SECONDS; a list of works, whose counts
    are baked in, PAGE_CACHE_SECONDS."""
    return settings.WORK_PAGE_CACHE_SECONDS if page.work is not None else settings.PAGE_CACHE_SECONDS


def _counted_keys(page: SharedPage, kwargs: dict) -> list[str]:
    """The counter keys a kept copy of this page will want: its work's hit total, read in the same
    round trip as the page and its versions."""
    return counters.keys([int(kwargs[page.work])]) if page.work is not None else []


def _missing_counts(entry: Entry, found: dict) -> dict:
    """`found`, with the counter keys of `entry` that were not asked for fetched now (rare: a page
    showing another work's count)."""
    missing = [key for key in counters.keys(entry.counted) if key not in found]
    return {**found, **cache.get_many(missing)} if missing else found


class _RecentPages:
    def __init__(self, get_response):
        self.get_response = get_response
        # Pages this process served lately, checked against the shared versions on every use:
        # a page in it is served after one small round trip, not a copy of the page from Redis.
        self.recent: OrderedDict[str, Entry] = OrderedDict()
        self.recent_bytes = 0

    def _remember(self, key: str, entry: Entry) -> None:
        self._forget(key)
        self.recent[key] = entry
        self.recent_bytes += len(entry.content)
        while self.recent_bytes > settings.PAGE_CACHE_PROCESS_BYTES and self.recent:
            self._forget(next(iter(self.recent)))

    def _forget(self, key: str) -> None:
        gone = self.recent.pop(key, None)
        if gone is not None:
            self.recent_bytes -= len(gone.content)


class SharedPageCacheMiddleware(_RecentPages):
    def __call__(self, request: HttpRequest) -> HttpResponse:
        # What the page keeps for later readers (itself, its fragments, its work's index) is
        # written in one round trip once it is answered (deferred.py).
        with deferred.batched():
            return self._answer(request)

    def _answer(self, request: HttpRequest) -> HttpResponse:
        found = self._shared_page(request) if getattr(settings, "PAGE_CACHE", False) else None
        if found is None:
            response = self.get_response(request)
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.COOKIES.get(exclusions.COOKIE):
                patch_cache_control(response, private=True)
            return response
        page, kwargs, key = found
        names = page.depends_on(kwargs, request.GET)
        version_keys = versions.lookup_keys(names)

        recent = self.recent.get(key)
        if recent is not None and recent.kept_until < time.time():
            self._forget(key)
            recent = None
        if recent is not None:
            seen = guest_seen_key(request, recent.hit_on) if recent.hit_on is not None else None
            current, first_view = get_many_and_add([*version_keys, *counters.keys(recent.counted)], seen)
            if recent.tokens == tuple(current.get(version_key) for version_key in version_keys):
                if first_view:
                    count_first_view(recent.hit_on)
                self.recent.move_to_end(key)
                return self._respond(request, recent, current)
            self._forget(key)
            if first_view:  # not served after all: the page's own view decides whether it counts
                cache.delete(seen[0])

        cached = cache.get_many([key, *version_keys, *_counted_keys(page, kwargs)])
        tokens = tuple(cached.get(version_key) for version_key in version_keys)
        entry = cached.get(key)
        if entry is not None and entry.tokens == tokens and None not in tokens:
            if entry.hit_on is not None:  # the page counted a hit when it was rendered: so does this view
                count_guest_view(request, entry.hit_on)
            self._remember(key, entry)
            return self._respond(request, entry, _missing_counts(entry, cached))
        if None in tokens:
            tokens = versions.completed(names, tokens)
        request._shared_page = True
        with versions.read_for_page(names, tokens):
            response = self.get_response(request)
        if not self._storable(response):
            return self._with_visitor_token(request, response)
        headers = {name: value for name, value in response.items() if name.lower() not in _NOT_STORED_HEADERS}
        # A proxy in front keeps it a minute whatever it is: it fills in no counts.
        headers["Cache-Control"] = f"public, max-age=0, s-maxage={settings.PAGE_CACHE_SECONDS}"
        vary = [name for name in cc_delim_re.split(headers.get("Vary", "")) if name]
        headers["Vary"] = ", ".join(vary if "cookie" in map(str.lower, vary) else [*vary, "Cookie"])
        content = response.content
        etag = hashlib.blake2b(content, digest_size=12).hexdigest()
        hit_on = getattr(request, "hit_counted_on", None)
        lifetime = _lifetime(page)
        counted = counters.counted_works(content)
        entry = Entry(
            tokens, response.status_code, headers, content, etag, hit_on, time.time() + lifetime, counted=counted
        )
        deferred.keep({key: entry}, lifetime)
        self._remember(key, entry)
        return self._respond(request, entry, {})

    def _shared_page(self, request: HttpRequest):
        if request.method != "GET" or "X-Requested-With" in request.headers:
            return None
        found = page_at(request.path_info)
        if found is None or not (found[0].anyone or _visitor_is_anonymous(request, page=found[0])):
            return None
        try:
            key = _page_key(request)
        except DisallowedHost:
            return None  # the usual path answers it with a 400
        return (*found, key)

    @staticmethod
    def _storable(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        control = response.get("Cache-Control", "")
        return not any(word in control for word in ("private", "no-store", "no-cache"))

    def _respond(self, request: HttpRequest, entry: Entry, found: dict) -> HttpResponse:
        """The kept page for this visitor: its counts filled in from `found` (what the cache held
        for `counters.keys(entry.counted)`) and their CSRF token put in."""
        content, etag, new_secret = entry.content, entry.etag, None
        if entry.counted:
            content, shown = counters.fill(content, entry.counted, found)
            etag += "-" + hashlib.blake2b(shown.encode(), digest_size=4).hexdigest()
        has_token = _PLACEHOLDER in content
        if has_token:
            secret, is_new = _csrf_secret(request)
            new_secret = secret if is_new else None
            etag += "-" + hashlib.blake2b(secret.encode(), digest_size=4).hexdigest()
        etag = f'"{etag}"'
        if _etag_matches(request, etag):
            response = HttpResponseNotModified()
            response["Cache-Control"] = entry.headers["Cache-Control"]
            response["Vary"] = entry.headers["Vary"]
        else:
            if has_token:
                content = content.replace(_PLACEHOLDER, _masked(secret).encode())
            response = HttpResponse(content, status=entry.status, headers=entry.headers)
            response["Content-Length"] = str(len(content))
        response["ETag"] = etag
        if new_secret:
            _set_csrf_cookie(response, new_secret)
        return response

    def _with_visitor_token(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A page rendered for the cache but not kept (a 404, say): its counts and the visitor's
        token go in."""
        if response.streaming:
            return response
        response.content = counters.as_rendered(response.content)
        if _PLACEHOLDER not in response.content:
            return response
        secret, is_new = _csrf_secret(request)
        response.content = response.content.replace(_PLACEHOLDER, _masked(secret).encode())
        if is_new and settings.CSRF_COOKIE_NAME not in response.cookies:
            _set_csrf_cookie(response, secret)
        return response


class ReaderPageCacheMiddleware(_RecentPages):
    """Shared pages for logged-in readers: one copy kept per page with markers where each reader's
    own parts go (reader_parts.py), filled for each reader as it is served. It sits last, so the
    reader's session and user are known; what a kept copy saves is the view and its template.

    A copy is kept only from a render the view left shared: not an author's view of their work,
    not the adult-content question (pages.py). It is served to a reader only if it was not made
    off limits to them (`Entry.not_for`, `Entry.adult`) and they have no message waiting (which
    the page would show). The CSRF placeholder in its forms becomes the reader's own token.
    """

    def __call__(self, request: HttpRequest) -> HttpResponse:
        found = self._readers_page(request)
        if found is None:
            return self.get_response(request)
        page, kwargs, key = found
        version_keys = versions.lookup_keys(page.depends_on(kwargs, request.GET))
        recent, found_counts, planned = self._recent_copy(request, key, version_keys)
        if recent is not None:
            return self._respond(request, recent, found_counts, planned)
        entry, tokens, found_counts = self._kept(key, version_keys, _counted_keys(page, kwargs))
        if entry is not None:
            if not self._serves(entry, request):
                return self.get_response(request)
            if entry.hit_on is not None:
                count_reader_view(request, entry.hit_on)
            return self._respond(request, entry, _missing_counts(entry, found_counts))
        names = page.depends_on(kwargs, request.GET)
        if None in tokens:
            tokens = versions.completed(names, tokens)
        request._shared_page = READERS
        with versions.read_for_page(names, tokens):
            response = self.get_response(request)
        if getattr(request, "_shared_page", False) != READERS or not SharedPageCacheMiddleware._storable(response):
            if not response.streaming:
                content = counters.as_rendered(response.content)
                response.content = fill(request, content).replace(_PLACEHOLDER, get_token(request).encode())
            return response
        not_for, adult = getattr(request, "kept_copy_limits", (frozenset(), False))
        headers = {name: value for name, value in response.items() if name.lower() not in _NOT_STORED_HEADERS}
        lifetime = _lifetime(page)
        entry = Entry(
            tokens,
            response.status_code,
            headers,
            response.content,
            "",
            getattr(request, "hit_counted_on", None),
            time.time() + lifetime,
            not_for,
            adult,
            counters.counted_works(response.content),
        )
        deferred.keep({key: entry}, lifetime)
        self._remember(key, entry)
        return self._respond(request, entry, {})

    def _readers_page(self, request: HttpRequest):
        if not getattr(settings, "PAGE_CACHE", False) or request.method != "GET":
            return None
        if "X-Requested-With" in request.headers or not request.user.is_authenticated:
            return None
        found = page_at(request.path_info)
        if found is None or found[0].anyone:  # pages for anyone are served before the session is read
            return None
        if _has_messages(request) or _differs_for(request, found[0]):
            return None
        return (*found, _page_key(request) + ":readers")

    @staticmethod
    def _serves(entry: Entry, request: HttpRequest) -> bool:
        if request.user.pk in entry.not_for:
            return False
        return not entry.adult or bool(request.session.get("adult_ok"))

    def _recent_copy(
        self, request: HttpRequest, key: str, version_keys: list[str]
    ) -> tuple[Entry | None, dict, Plan | None]:
        """This process's recent copy at `key`, if its versions still hold and it serves this
        reader, with its counts, how to fill it, and what the cache holds for its reader's parts:
        checked (and the reader's hit counted) in one round trip."""
        recent = self.recent.get(key)
        if recent is None or not self._serves(recent, request):
            return None, {}, None
        if recent.kept_until < time.time():
            self._forget(key)
            return None, {}, None
        seen = reader_seen_key(request, recent.hit_on) if recent.hit_on is not None else None
        planned = plan(request, recent.content)
        part_keys = planned.keys if planned is not None else []
        current, first_view = get_many_and_add([*version_keys, *counters.keys(recent.counted), *part_keys], seen)
        if recent.tokens != tuple(current.get(version_key) for version_key in version_keys):
            self._forget(key)
            if first_view:  # not served after all: the page's own view decides whether it counts
                cache.delete(seen[0])
            return None, {}, None
        if first_view:
            count_first_view(recent.hit_on)
        self.recent.move_to_end(key)
        return recent, current, planned

    def _kept(self, key: str, version_keys: list[str], counted_keys: list[str]) -> tuple[Entry | None, tuple, dict]:
        """The kept copy at `key` if its versions still hold, the versions' tokens, and what the
        cache held for `counted_keys`."""
        cached = cache.get_many([key, *version_keys, *counted_keys])
        tokens = tuple(cached.get(version_key) for version_key in version_keys)
        entry = cached.get(key)
        if entry is not None and entry.tokens == tokens and None not in tokens:
            self._remember(key, entry)
            return entry, tokens, cached
        return None, tokens, cached

    @staticmethod
    def _respond(request: HttpRequest, entry: Entry, found: dict, planned: Plan | None = None) -> HttpResponse:
        """The kept copy for this reader: its counts filled in from `found`, and its reader's parts
        (as `planned`, with `found` holding their keys, when the caller read them)."""
        content = counters.fill(entry.content, entry.counted, found)[0]
        content = fill(request, content, planned, found if planned is not None else None)
        if _PLACEHOLDER in content:
            content = content.replace(_PLACEHOLDER, get_token(request).encode())
        etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
        if _etag_matches(request, etag):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(content, status=entry.status, headers=entry.headers)
            response["Content-Length"] = str(len(content))
        response["ETag"] = etag
        return response


def _differs_for(request: HttpRequest, page: SharedPage) -> bool:
    """Whether this reader's saved exclusions change the page: every list of works, and a work's
    page if they muted anyone (whose comments it hides)."""
    saved = exclusions.saved_exclusions(request)
    return bool(saved.muted_ids) if page.work is not None else bool(saved)


def _has_messages(request: HttpRequest) -> bool:
    """Whether a message waits to be shown to this visitor (in its cookie or its session)."""
    return CookieStorage.cookie_name in request.COOKIES or SessionStorage.session_key in request.session
