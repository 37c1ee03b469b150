"""Saved exclusions: what a reader never wants to see, applied to every list of works they read.

A logged-in reader's exclusions live on their account (`accounts.User`: excluded tags, a rating
cap, archive warnings, crossovers, muted users), so reading them costs no query. A logged-out
reader keeps the same choices (not muting: that needs an account) in a signed cookie,
`exclusions`. A visitor carrying that cookie is not a plain visitor to the shared page cache
(archive/caching/middleware.py serves and keeps pages only for visitors with no cookie but the
CSRF one), and a logged-in reader with exclusions is never served the readers' shared copy.

Every condition is on the works table itself, in the statement that lists the works: excluded
tags, ratings, warnings and crossovers are one `NOT (filter_ids && ARRAY[...])` (each is a
filter id: archive/stories/choices.py), which the listing indexes check from the index alone
(they carry filter_ids; JSON on SQLite, as archive/discovery/filtering.py does), and muted
authors a `NOT IN` subquery on the authorship table. The count of works
hidden costs one extra count query on a page, and only for a reader who has exclusions.
"""

import json
from dataclasses import dataclass

from django.core import signing
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from archive.core.pagination import COUNT_CAP
from archive.stories.choices import (
    CROSSOVER_FILTER_ID,
    Rating,
    Warning,
    all_flags,
    rating_filter_id,
    warning_filter_ids,
)

COOKIE = "exclusions"
_SALT = "archive.exclusions"
COOKIE_AGE = 365 * 24 * 3600
SHOW_PARAM = "show_excluded"
MAX_TAGS = 200
MAX_MUTED = 1000

# A cap hides the ratings above it. Not Rated may be anything, so any cap hides it, as the
# adult-content question treats it.
RATING_CAPS = {
    Rating.GENERAL: [Rating.TEEN, Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED],
    Rating.TEEN: [Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED],
    Rating.MATURE: [Rating.EXPLICIT, Rating.NOT_RATED],
}


@dataclass(frozen=True)
class Exclusions:
    tag_ids: tuple[int, ...] = ()  # filter ids (canonical): a synonym's works carry its canonical id
    rating_cap: str = ""
    warnings: int = 0  # hide works with any of these bits
    crossovers: bool = False
    muted_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.tag_ids or self.rating_cap in RATING_CAPS or self.warnings or self.crossovers or self.muted_ids
        )

    def hidden_ids(self) -> list[int]:
        """The filter ids no shown work may carry: the excluded tags', the ratings over the cap, the
        warnings and "crossover" (archive/stories/choices.py `work_filter_ids`)."""
        ids = {*self.tag_ids, *warning_filter_ids(self.warnings)}
        ids.update(rating_filter_id(rating) for rating in RATING_CAPS.get(self.rating_cap, []))
        if self.crossovers:
            ids.add(CROSSOVER_FILTER_ID)
        return sorted(ids)

    def keeps(self) -> Q:
        """The works these exclusions let through, as one condition on the works table."""
        from archive.stories.models import Story

        kept = Q()
        if hidden := self.hidden_ids():
            kept &= ~Q(filter_ids__has_any=hidden)
        if self.muted_ids:
            written = Story.authors.through.objects.filter(user_id__in=self.muted_ids).values("story_id")
            kept &= ~Q(pk__in=written)
        return kept

    def as_cookie(self) -> str:
        data = {"t": list(self.tag_ids), "r": self.rating_cap, "w": self.warnings, "c": self.crossovers}
        return signing.dumps(data, salt=_SALT, compress=True)


NONE = Exclusions()


def _from_cookie(value: str) -> Exclusions:
    try:
        data = signing.loads(value, salt=_SALT, max_age=COOKIE_AGE)
        return Exclusions(
            tag_ids=tuple(int(tag_id) for tag_id in data.get("t", [])[:MAX_TAGS]),
            rating_cap=str(data.get("r", "")) if data.get("r") in RATING_CAPS else "",
            warnings=int(data.get("w", 0)) & all_flags(Warning),
            crossovers=bool(data.get("c", False)),
        )
    except (signing.BadSignature, AttributeError, TypeError, ValueError, json.JSONDecodeError):
        return NONE


def saved_exclusions(request: HttpRequest) -> Exclusions:
    """The reader's saved exclusions, whether or not this page shows what they hide."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Exclusions(
            tag_ids=tuple(user.excluded_tag_ids or ()),
            rating_cap=user.rating_cap,
            warnings=user.excluded_warnings,
            crossovers=user.exclude_crossovers,
            muted_ids=tuple(user.muted_ids or ()),
        )
    if value := request.COOKIES.get(COOKIE):
        return _from_cookie(value)
    return NONE


def has_exclusions(request: HttpRequest) -> bool:
    """Whether this visitor's pages may differ from everyone else's (no query: see the docstring)."""
    return bool(saved_exclusions(request))


def set_cookie(response: HttpResponse, exclusions: Exclusions) -> None:
    if not exclusions:
        response.delete_cookie(COOKIE, samesite="Lax")
        return
    response.set_cookie(COOKIE, exclusions.as_cookie(), max_age=COOKIE_AGE, httponly=True, samesite="Lax")


@dataclass
class Hiding:
    """What one page did with the reader's exclusions: how many works it hid, or that it shows them."""

    active: bool = False  # the reader has exclusions
    shown: bool = False  # ... and asked to see what they hide on this page
    hidden: int = 0

    @property
    def capped(self) -> bool:
        return self.hidden > COUNT_CAP

    @property
    def count(self) -> int:
        return min(self.hidden, COUNT_CAP)


def apply_exclusions(request: HttpRequest, works: QuerySet) -> tuple[QuerySet, Hiding]:
    """`works` without what the reader excludes, and what the page says about it.

    Counting the hidden works is one query, capped as list totals are.
    """
    return _hide(request, works, lambda exclusions: exclusions.keeps())


def apply_exclusions_to_bookmarks(request: HttpRequest, bookmarks: QuerySet) -> tuple[QuerySet, Hiding]:
    """Bookmarks without those of excluded works and those made by muted users."""

    def kept(exclusions: Exclusions) -> Q:
        condition = Q(story__isnull=True) | _prefixed(exclusions.keeps(), "story__")
        return condition & ~Q(user_id__in=exclusions.muted_ids) if exclusions.muted_ids else condition

    return _hide(request, bookmarks, kept)


def without_muted(request: HttpRequest, rows: QuerySet, *, by: str = "user_id") -> QuerySet:
    """Rows (comments, bookmarks) not written by anyone the reader muted."""
    muted = saved_exclusions(request).muted_ids
    return rows.exclude(**{f"{by}__in": muted}) if muted else rows


def _hide(request: HttpRequest, rows: QuerySet, kept_by) -> tuple[QuerySet, Hiding]:
    exclusions = saved_exclusions(request)
    if not exclusions:
        return rows, Hiding()
    if request.GET.get(SHOW_PARAM) == "1":
        return rows, Hiding(active=True, shown=True)
    kept = kept_by(exclusions)
    # Only ids: a search's rank (an annotation) is not worked out for works the page doesn't show.
    hidden = rows.exclude(kept).order_by().values("pk")[: COUNT_CAP + 1].count()
    return rows.filter(kept), Hiding(active=True, hidden=hidden)


def _prefixed(condition: Q, path: str) -> Q:
    """The same condition on the work at `path` ("story__") of other rows (keeps() holds only lookups)."""
    prefixed = Q()
    prefixed.connector, prefixed.negated = condition.connector, condition.negated
    for child in condition.children:
        prefixed.children.append(_prefixed(child, path) if isinstance(child, Q) else (path + child[0], child[1]))
    return prefixed
