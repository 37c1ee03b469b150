"""Filtering, sorting and facet counts for lists of works: tag pages and the work search.

One description of what a reader asked for (`WorkFilter`) turns into one queryset
(`filter_works`) and one set of facet counts over the whole result (`facet_counts`). Tag
conditions are tests on `Story.filter_ids` (a GIN-indexed bigint[] on PostgreSQL), so a filter
with five tags and two exclusions costs one index probe, not seven joins.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from archive.stories.choices import Rating
from archive.tags.filtering import IN_ROMANCE
from archive.tags.models import Tag

SORTS = {
    "updated": ("updated_at", "Date updated"),
    "posted": ("published_at", "Date posted"),
    "words": ("word_count", "Word count"),
    "title": ("title", "Title"),
    "comments": ("comment_count", "Comments"),
}
FACET_SIZE = 10


@dataclass
class WorkFilter:
    """What a reader asked for. Tag ids are filter ids (canonical, or derived "in a ship" ids)."""

    all_of: list[int] = field(default_factory=list)
    any_of: list[list[int]] = field(default_factory=list)  # each group: at least one id
    none_of: list[int] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)
    excluded_ratings: list[str] = field(default_factory=list)
    warnings: int = 0  # every one of these bits
    excluded_warnings: int = 0
    categories: int = 0
    excluded_categories: int = 0
    complete: bool | None = None
    single_chapter: bool = False
    single_relationship: bool = False
    words_from: int | None = None
    words_to: int | None = None
    updated_from: date | None = None
    updated_to: date | None = None
    language: str = ""
    crossover: str = ""  # "", "exclude" or "only"
    sort: str = "updated"
    ascending: bool | None = None  # None: the sort's natural direction (A to Z, newest first)


def filter_works(works: QuerySet, wanted: WorkFilter) -> QuerySet:
    """These works narrowed to what the reader asked for, sorted as asked (unsorted extras last)."""
    conditions = Q()
    if wanted.all_of:
        conditions &= Q(filter_ids__has_all=sorted(set(wanted.all_of)))
    for group in wanted.any_of:
        conditions &= Q(filter_ids__has_any=sorted(set(group)))
    if wanted.none_of:
        conditions &= ~Q(filter_ids__has_any=sorted(set(wanted.none_of)))
    if wanted.ratings:
        conditions &= Q(rating__in=wanted.ratings)
    if wanted.excluded_ratings:
        conditions &= ~Q(rating__in=wanted.excluded_ratings)
    if wanted.complete is True:
        conditions &= Q(chapter_count__gte=F("expected_chapters"))
    elif wanted.complete is False:
        conditions &= Q(expected_chapters__isnull=True) | Q(chapter_count__lt=F("expected_chapters"))
    if wanted.single_chapter:
        conditions &= Q(chapter_count=1, expected_chapters=1)
    if wanted.single_relationship:
        conditions &= Q(relationship_count=1)
    if wanted.words_from is not None:
        conditions &= Q(word_count__gte=wanted.words_from)
    if wanted.words_to is not None:
        conditions &= Q(word_count__lte=wanted.words_to)
    if wanted.updated_from:
        conditions &= Q(updated_at__gte=_start_of(wanted.updated_from))
    if wanted.updated_to:
        conditions &= Q(updated_at__lt=_start_of(wanted.updated_to + timedelta(days=1)))
    if wanted.language:
        conditions &= Q(language=wanted.language)
    if wanted.crossover == "exclude":
        conditions &= Q(fandom_count__lte=1)
    elif wanted.crossover == "only":
        conditions &= Q(fandom_count__gte=2)
    works = works.filter(conditions)
    works = _with_flags(works, "warnings", wanted.warnings, wanted.excluded_warnings)
    works = _with_flags(works, "categories", wanted.categories, wanted.excluded_categories)
    return sort_works(works, wanted.sort, wanted.ascending)


def sort_works(works: QuerySet, sort: str, ascending: bool | None = None) -> QuerySet:
    column, _ = SORTS.get(sort, SORTS["updated"])
    if ascending is None:
        ascending = sort == "title"  # titles A to Z; dates and numbers biggest first
    direction = "" if ascending else "-"
    return works.order_by(f"{direction}{column}", f"{direction}id")


def _with_flags(works: QuerySet, column: str, required: int, excluded: int) -> QuerySet:
    if required:
        works = works.alias(**{f"{column}_required": F(column).bitand(required)}).filter(
            **{f"{column}_required": required}
        )
    if excluded:
        works = works.alias(**{f"{column}_excluded": F(column).bitand(excluded)}).filter(**{f"{column}_excluded": 0})
    return works


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Facet:
    tag: Tag
    count: int


@dataclass
class Facets:
    ratings: list[tuple[str, str, int]]  # value, label, count
    by_kind: dict[str, list[Facet]]

    def __iter__(self):
        return iter(self.by_kind.items())


def facet_counts(
    works: QuerySet, size: int = FACET_SIZE, pinned: list[int] = (), pinned_ratings: list[str] = ()
) -> Facets:
    """The most common ratings and tags of each kind among these works, with their counts.

    Two queries whatever the size of the result or the filters: one groups the works' filter ids
    (unnest on PostgreSQL, json_each on SQLite), ranks them per kind and adds the `pinned` tags
    (those the reader already included or excluded, so their boxes stay on the form); one groups
    ratings.
    """
    try:
        matched_sql, params = works.order_by().values("filter_ids").query.sql_with_params()
    except EmptyResultSet:
        return Facets(ratings=[], by_kind={kind: [] for kind in Tag.Kind.values})  # a search for nothing
    if connection.vendor == "postgresql":
        expand, fid, pinned_sql, pinned_param = "unnest(m.filter_ids) AS f(id)", "f.id", "= ANY(%s)", list(pinned)
    else:
        expand, fid = "json_each(m.filter_ids) AS f", "f.value"
        pinned_sql, pinned_param = "IN (SELECT value FROM json_each(%s))", json.dumps(list(pinned))
    sql = f"""
        SELECT id, name, kind, n FROM (
            SELECT t.id, t.name, t.kind, c.n, row_number() OVER (PARTITION BY t.kind ORDER BY c.n DESC, t.name) AS rank
            FROM (SELECT {fid} AS id, count(*) AS n FROM ({matched_sql}) AS m, {expand}
                  WHERE {fid} < %s GROUP BY {fid}) AS c
            JOIN tags_tag t ON t.id = c.id
        ) AS ranked WHERE rank <= %s
        UNION ALL
        SELECT id, name, kind, 0 FROM tags_tag WHERE id {pinned_sql}
    """  # noqa: S608 - built from compiled SQL and constants; values travel as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, IN_ROMANCE, size, pinned_param])
        rows = cursor.fetchall()
    by_kind: dict[str, dict[int, Facet]] = {kind: {} for kind in Tag.Kind.values}
    for tag_id, name, kind, count in rows:
        facets = by_kind[kind]
        if tag_id not in facets or count > facets[tag_id].count:
            facets[tag_id] = Facet(Tag(id=tag_id, name=name, kind=kind), count)
    ordered = {
        kind: sorted(facets.values(), key=lambda facet: (-facet.count, facet.tag.name.lower()))
        for kind, facets in by_kind.items()
    }
    rating_counts = dict(works.order_by().values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    ratings = [(value, label, rating_counts.get(value, 0)) for value, label in Rating.choices]
    return Facets(ratings=[rating for rating in ratings if rating[2] or rating[0] in pinned_ratings], by_kind=ordered)
