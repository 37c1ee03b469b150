"""Counters filled in as a kept page is served: a work's hit count.

Hits grow with every visitor's first view of the day and reach `Story.hit_count` with each
flush, once a minute (archive/hits). If the count were baked into a kept work page, every flush
would have to throw away the kept copies of every work viewed that minute, and a popular work
would be rendered again every minute for nothing else. Instead a page rendered for the shared
cache carries a marker where the count goes, holding the count it was rendered with; each time
the page is served, the marker becomes the work's latest flushed total, which the flush keeps in
the cache (`hits.services.total_key`) and the page's server reads in the same round trip that
checks the page's versions. So a kept work page follows its versions alone and lives
`WORK_PAGE_CACHE_SECONDS`, and its hits are as fresh as a page rendered from the database.
"""

import re
from collections.abc import Iterable
from functools import lru_cache

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from archive.caching.reader_parts import is_shared_render, nonce
from archive.hits.services import shown_totals, total_key


@lru_cache(maxsize=1)
def _marker() -> re.Pattern:
    return re.compile(rb"<!--hits:" + nonce().encode() + rb":(\d+):(\d+)-->")


def hit_count(request: HttpRequest | None, story_id: int, count: int) -> SafeString:
    """The hit count a page shows: the number, or on a page kept for others its marker."""
    if request is not None and is_shared_render(request):
        return mark_safe(f"<!--hits:{nonce()}:{int(story_id)}:{int(count)}-->")  # noqa: S308 - two integers
    return mark_safe(f"{count:,}")  # noqa: S308 - an integer


def counted_works(content: bytes) -> tuple[int, ...]:
    """The works whose hit counts this page shows through markers."""
    if b"<!--hits:" not in content:
        return ()
    return tuple(sorted({int(match[1]) for match in _marker().finditer(content)}))


def keys(story_ids: Iterable[int]) -> list[str]:
    """The cache keys to read, with the page's versions, to fill these works' counts."""
    return [total_key(story_id) for story_id in story_ids]


def fill(content: bytes, story_ids: tuple[int, ...], found: dict) -> tuple[bytes, str]:
    """The page with each marker replaced by its work's latest total (from `found`, what a
    `get_many` that included `keys(story_ids)` returned) or else the count it was rendered
    with; and the numbers shown, for the page's ETag."""
    if not story_ids:
        return content, ""
    totals = shown_totals(found, story_ids)

    def number(match: re.Match) -> bytes:
        return f"{max(int(match[2]), totals.get(int(match[1]), 0)):,}".encode()

    filled = _marker().sub(number, content)
    return filled, ",".join(str(totals.get(story_id, "")) for story_id in story_ids)


def as_rendered(content: bytes) -> bytes:
    """A page rendered for the cache but not kept after all: each marker becomes the count it was
    rendered with (the database's, read just now)."""
    counted = counted_works(content)
    return fill(content, counted, {})[0] if counted else content
