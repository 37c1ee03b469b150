"""Which pages every logged-out reader shares, and what each is built from.

A view says so with `@shared_page()` (a list of works), `@shared_page(tag="name")` (one tag's
works, named by that URL argument), `@shared_page(searched_tags=...)` (a search: the match keys
of the tags its query asks for) or `@shared_page(work="story_id")` (one work's page); a feed
class sets `shared_page = SharedPage(...)`.
`archive/caching/middleware.py` serves those pages from the cache to visitors without a session,
and a second copy, with markers where each reader's own parts go (reader_parts.py), to
logged-in readers. A view that finds its page is one reader's own after all (an author's view of
their work, the adult-content question) says so with `not_shared`; a work page names the readers
its kept copy must not be served to with `shared_except`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve

from archive.caching import versions


@dataclass(frozen=True)
class SharedPage:
    work: str | None = None  # the URL argument naming the work this page shows, if it shows one
    anyone: bool = False  # the same for logged-in readers too (feeds): served to them from it as well
    tag: str | None = None  # the URL argument naming the tag whose works this page lists, if it does
    # For a search: the match keys of the tags its query string asks every work to have. It lists
    # only works listed under each of them, so it follows their `tag_search` versions; the view
    # renders a page for others only when the form read the same tags (`not_shared` otherwise).
    searched_tags: Callable[[QueryDict], list[str]] | None = None

    def depends_on(self, kwargs: dict, query: QueryDict | None = None) -> list[str]:
        """The versions this page is built from."""
        if self.work is not None:
            return [versions.EVERYTHING, versions.TAGS, versions.work(kwargs[self.work])]
        if self.tag is not None and (tag_list := versions.tag_list(kwargs[self.tag])) is not None:
            return [versions.EVERYTHING, versions.TAGS, tag_list]
        if self.searched_tags is not None and query is not None:
            keys = self.searched_tags(query)
            if 0 < len(keys) <= MAX_SEARCHED_TAGS:
                return [versions.EVERYTHING, versions.TAGS, *map(versions.tag_search, keys)]
        return [versions.EVERYTHING, versions.TAGS, versions.LISTINGS]


# A search naming more tags than this follows every list instead (a bounded number of versions to read).
MAX_SEARCHED_TAGS = 10


def shared_page(
    *,
    work: str | None = None,
    tag: str | None = None,
    searched_tags: Callable[[QueryDict], list[str]] | None = None,
):
    """Mark a view as a page every logged-out reader sees alike (see the module docstring)."""
    page = SharedPage(work=work, tag=tag, searched_tags=searched_tags)

    def mark(view):
        view.shared_page = page
        return view

    return mark


@lru_cache(maxsize=20_000)
def page_at(path: str) -> tuple[SharedPage, dict] | None:
    """The shared page at this path and its URL arguments, or None (remembered per path)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    page = getattr(match.func, "shared_page", None)
    return (page, match.kwargs) if page is not None else None


def not_shared(request: HttpRequest) -> None:
    """What this request renders is its visitor's own: nothing of it is kept for others (the
    reader parts rendered from here on are this reader's, not markers)."""
    request._shared_page = False


def shared_except(request: HttpRequest, *, user_ids: frozenset[int], adult: bool = False) -> None:
    """The readers' copy of this page must not be served to these readers (they see more: an
    author their own controls, a commenter their comment awaiting approval), nor, if `adult`, to
    a reader who has not yet said they are willing to see adult content."""
    if request.user.is_authenticated and request.user.pk in user_ids:
        not_shared(request)
    excluded, adult_before = getattr(request, "kept_copy_limits", (frozenset(), False))
    request.kept_copy_limits = (excluded | frozenset(user_ids), adult_before or adult)
