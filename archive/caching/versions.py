"""Version tokens: what a cached page or fragment was built from, and the one way to say it changed.

A cached thing names the versions it depends on; it is good only while every one of them still
holds the token it held when the thing was built. These are the kinds:

- `work(id)`: what a work's own pages show (its chapters, comments, kudos, tags, privacy), and
  its series' previous and next links: a work's change with `listings` (posted, deleted, made
  restricted) moves the pages of the other works of its series too.
- `LISTINGS`: what lists of works show (the front page, author pages, searches, /fandoms).
- `tag_list(name)`: what one tag's works pages and feed show. A work's change moves the lists of
  every tag it is listed under, before and after the change (its canonical tags, and the
  characters of its relationships, which "in any relationship" lists), and `LISTINGS`: so a new
  chapter a second no longer makes every tag page in the archive render again.
- `tag_search(key)`: what searches naming the tag with this match key show (a search that asks
  for tags can only list works listed under each of them). A work's change moves it with
  `tag_list`, for the same tags and their synonyms, since a search may name a tag by either.
- `TAGS`: what tag names mean (wrangling: canonical, synonym, merge, rename); every page shows tags.
- `reader(id)`: a logged-in reader's own history, which their "Continue reading" box shows.
- `account(id)`: a logged-in reader's account row and unread count, which every page of theirs
  loads (archive/accounts/kept.py), and their bookmarks, reading lists and subscriptions.

The services that change those things call `changed(...)`; nothing else does. Tokens are random,
never counters, so a token evicted from the cache and made again can never match a page built
from an older one. They live in the cache (Redis in production), not in a column, so that a page
served from the cache costs no query.

`changed` writes the new tokens at once, inside the change's transaction, and again once it
commits: a reader who rendered the page from rows read before the commit stored it under the
token from before the second write, so it is never served after the commit.
"""

import hashlib
import logging
import secrets
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.template.loader import get_template

from archive.caching.redis import add_and_get

logger = logging.getLogger(__name__)

TAGS = "tags"
LISTINGS = "listings"
EVERYTHING = "everything"  # every page depends on it: `changed(everything=True)` forgets all


def work(story_id: int) -> str:
    return f"work:{story_id}"


def reader(user_id: int) -> str:
    return f"reader:{user_id}"


def account(user_id: int) -> str:
    return f"account:{user_id}"


def tag_list(name: str) -> str | None:
    """The version of the tag with this name's works pages, or None where a page can't know it
    from its URL alone and depends on `LISTINGS` instead: a name that isn't ASCII (PostgreSQL
    finds a tag whatever its case, and not every letter's case folds the same way in Python)."""
    if not name.isascii():
        return None
    return "list:" + hashlib.blake2b(name.lower().encode(), digest_size=10).hexdigest()


def tag_search(key: str) -> str:
    """The version of the searches that name the tag with this match key (tags.names.match_key)."""
    return "search:" + hashlib.blake2b(key.encode(), digest_size=10).hexdigest()


def _key(name: str) -> str:
    return f"version:{name}"


def _new_token() -> str:
    return secrets.token_hex(6)


# The tokens a page being rendered was looked up under (`read_for_page`): its fragments and the
# work it opens are kept under the same ones, read before any of their rows, without asking again.
_page_tokens: ContextVar[dict[str, str] | None] = ContextVar("page_tokens", default=None)


@contextmanager
def read_for_page(names: Iterable[str], tokens: Iterable[str]):
    """While a kept page renders: `current` answers these versions with the tokens the page itself
    is kept under. Read before any row of the page, so whatever a change commits after them moves
    them, and nothing rendered from older rows is kept under newer tokens."""
    reset = _page_tokens.set(dict(zip(names, tokens, strict=True)))
    try:
        yield
    finally:
        _page_tokens.reset(reset)


def known(names: Iterable[str]) -> tuple[str, ...] | None:
    """These versions' tokens if the page being rendered read them all (`read_for_page`), else None."""
    page = _page_tokens.get()
    if not page:
        return None
    names = list(names)
    return tuple(page[name] for name in names) if all(name in page for name in names) else None


def current(names: Iterable[str]) -> tuple[str, ...]:
    """The tokens these versions hold now, in order; a version the cache has lost starts anew."""
    names = list(names)
    if (tokens := known(names)) is not None:
        return tokens
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    return completed(names, [found.get(key) for key in keys])


def completed(names: Iterable[str], tokens: Iterable[str | None]) -> tuple[str, ...]:
    """These versions' tokens, from those a caller read already (None where the cache had none,
    in the order of `names`): the missing ones start anew, in one round trip, and none is read
    twice. Whichever process adds a token first, every one then reads that one."""
    names, tokens = list(names), list(tokens)
    missing = {_key(name): _new_token() for name, token in zip(names, tokens, strict=True) if token is None}
    if missing:
        added = add_and_get(missing)
        tokens = [added[_key(name)] if token is None else token for name, token in zip(names, tokens, strict=True)]
    return tuple(tokens)


def lookup_keys(names: Iterable[str]) -> list[str]:
    """The cache keys of these versions, for a caller that reads them with its own `get_many`."""
    return [_key(name) for name in names]


def _write(names: list[str]) -> None:
    try:
        cache.set_many({_key(name): _new_token() for name in names}, timeout=None)
    except Exception:  # a cache that is down serves no page either; the write itself must stand
        logger.exception("could not bump the page versions %s", names)


def changed(
    *,
    story_ids: Iterable[int] = (),
    listings: bool = False,
    tags: bool = False,
    everything: bool = False,
    reader_ids: Iterable[int] = (),
    account_ids: Iterable[int] = (),
) -> None:
    """Say that what these works' pages show changed (and lists of works, tags, everything, or
    these readers' history, or these accounts): every page and fragment built from the older versions is rebuilt
    on its next request. With `listings`, the lists of every tag these works are listed under
    change too, both the tags they had when this is called and the ones they have at commit."""
    story_ids = set(story_ids)
    names = [work(story_id) for story_id in story_ids] + [reader(user_id) for user_id in set(reader_ids)]
    names += [account(user_id) for user_id in set(account_ids)]
    names += [name for name, flag in ((LISTINGS, listings), (TAGS, tags), (EVERYTHING, everything)) if flag]
    if listings and not story_ids:
        names.append(EVERYTHING)  # no works named, so no telling which tags' lists: all of them
    if not names:
        return
    before = [*_tag_lists(story_ids), *_series_neighbours(story_ids)] if listings else []
    _write(names + before)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(
            lambda: _write(names + sorted({*before, *(_tag_lists(story_ids) if listings else [])})), robust=True
        )


def _series_neighbours(story_ids: set[int]) -> list[str]:
    """The `work` versions of the other works in these works' series, whose pages link to them."""
    from archive.series.models import SeriesWork

    if not story_ids:
        return []
    in_series = SeriesWork.objects.filter(series__series_works__story__in=story_ids).exclude(story__in=story_ids)
    return [work(story_id) for story_id in sorted(set(in_series.values_list("story_id", flat=True)))]


def _tag_lists(story_ids: set[int]) -> list[str]:
    """The `tag_list` and `tag_search` versions of every tag these works are listed under now."""
    from archive.stories.models import Story
    from archive.tags.filtering import IN_FRIENDSHIP, IN_ROMANCE, is_plain, is_role
    from archive.tags.models import Tag

    if not story_ids:
        return []
    tag_ids: set[int] = set()
    for filter_ids, role_ids in Story.objects.filter(pk__in=story_ids).values_list("filter_ids", "role_ids"):
        tag_ids.update(tag_id for tag_id in filter_ids or () if is_plain(tag_id))
        tag_ids.update(
            role_id - (IN_FRIENDSHIP if role_id >= IN_FRIENDSHIP else IN_ROMANCE)
            for role_id in role_ids or ()
            if is_role(role_id)
        )
    if not tag_ids:
        return []
    # The tags themselves and their synonyms: a search names a tag by either.
    listed = Tag.objects.filter(Q(pk__in=tag_ids) | Q(merger__in=tag_ids)).values_list("name", "match_key")
    found = {tag_list(name) for name, _ in listed} | {tag_search(key) for _, key in listed}
    return sorted(version for version in found if version is not None)


@lru_cache(maxsize=64)
def _template_version(name: str) -> str:
    return hashlib.blake2b(get_template(name).template.source.encode(), digest_size=6).hexdigest()


def template_version(name: str) -> str:
    """A digest of a template's source, for the keys of fragments rendered from it: a deploy (or,
    with DEBUG, an edit) that changes the template changes the keys."""
    if settings.DEBUG:
        _template_version.cache_clear()
    return _template_version(name)
