"""Filtering, sorting and facet counts for lists of works: tag pages and the work search.

One description of what a reader asked for (`WorkFilter`) turns into one queryset
(`filter_works`); archive/discovery/listing.py pages it and counts its facets. Tag
conditions are tests on `Story.filter_ids`, `Story.role_ids` and `Story.main_ids` (GIN-indexed
bigint[] on PostgreSQL), so a filter with five tags and two exclusions costs one index probe, not seven joins.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from archive.stories.choices import CROSSOVER_FILTER_ID, Rating, rating_filter_id, warning_filter_ids
from archive.tags.filtering import is_role
from archive.tags.models import Tag

SORTS = {
    "updated": ("updated_at", "Date updated"),
    "posted": ("published_at", "Date posted"),
    "words": ("word_count", "Word count"),
    "title": ("title", "Title"),
    "comments": ("comment_count", "Comments"),
    "kudos": ("kudos_count", "Kudos"),
}
FACET_SIZE = 10


@dataclass
class WorkFilter:
    """What a reader asked for. Tag ids are filter ids (canonical, or derived "in a ship" ids)."""

    all_of: list[int] = field(default_factory=list)
    any_of: list[list[int]] = field(default_factory=list)  # each group: at least one id
    none_of: list[int] = field(default_factory=list)
    # The same, tested on `Story.main_ids`: where the characters and relationships are main.
    main_all_of: list[int] = field(default_factory=list)
    main_any_of: list[list[int]] = field(default_factory=list)
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


def required_and_excluded_ids(wanted: WorkFilter) -> tuple[list[int], list[int]]:
    """The filter ids every matching work carries (the tags, a single rating, the warnings asked
    for, "crossover" for crossovers only) and those none carries (excluded tags, ratings and
    warnings, "crossover" for no crossovers): the saved-search alerts index searches by them too."""
    all_of, none_of = set(wanted.all_of), set(wanted.none_of)
    ratings = [rating for rating in wanted.ratings if rating in Rating.values]
    if len(ratings) == 1:
        all_of.add(rating_filter_id(ratings[0]))
    all_of.update(warning_filter_ids(wanted.warnings))
    none_of.update(rating_filter_id(rating) for rating in wanted.excluded_ratings if rating in Rating.values)
    none_of.update(warning_filter_ids(wanted.excluded_warnings))
    if wanted.crossover == "only":
        all_of.add(CROSSOVER_FILTER_ID)
    elif wanted.crossover == "exclude":
        none_of.add(CROSSOVER_FILTER_ID)
    return sorted(all_of), sorted(none_of)


def filter_works(works: QuerySet, wanted: WorkFilter) -> QuerySet:
    """These works narrowed to what the reader asked for (archive/discovery/listing.py sorts them)."""
    conditions = Q()
    all_of, none_of = required_and_excluded_ids(wanted)
    for group in wanted.any_of:
        conditions &= _has_any(group)
    ratings = [rating_filter_id(rating) for rating in wanted.ratings if rating in Rating.values]
    if len(ratings) > 1:
        conditions &= Q(filter_ids__has_any=ratings)
    if len(ratings) == len(all_of) == 1 and not wanted.any_of:
        # Rating alone: the (rating, updated_at) index serves it better than the GIN index,
        # even hundreds of pages deep.
        conditions &= Q(rating__in=wanted.ratings)
    elif all_of:
        conditions &= _has_all(all_of)
    if none_of:
        conditions &= ~_has_any(none_of)
    conditions &= _is_main(wanted)
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
    if wanted.updated_to and wanted.updated_to < date.max:
        conditions &= Q(updated_at__lt=_start_of(wanted.updated_to + timedelta(days=1)))
    if wanted.language:
        conditions &= Q(language=wanted.language)
    works = works.filter(conditions)
    return _with_flags(works, "categories", wanted.categories, wanted.excluded_categories)


def _by_column(ids) -> dict[str, list[int]]:
    """Ids by the column that holds them: a character's roles are in `role_ids`, the rest in `filter_ids`."""
    columns: dict[str, set[int]] = {}
    for filter_id in ids:
        columns.setdefault("role_ids" if is_role(filter_id) else "filter_ids", set()).add(filter_id)
    return {column: sorted(found) for column, found in columns.items()}


def _has_all(ids) -> Q:
    conditions = Q()
    for column, found in _by_column(ids).items():
        conditions &= Q(**{f"{column}__has_all": found})
    return conditions


def _has_any(ids) -> Q:
    conditions = Q(pk__in=[])  # any of nothing matches nothing
    for column, found in _by_column(ids).items():
        conditions |= Q(**{f"{column}__has_any": found})
    return conditions


def _is_main(wanted: WorkFilter) -> Q:
    """ "Main character X" is one more GIN-indexed test, on `main_ids`, which holds role ids too."""
    conditions = Q()
    if wanted.main_all_of:
        conditions &= Q(main_ids__has_all=sorted(set(wanted.main_all_of)))
    for group in wanted.main_any_of:
        conditions &= Q(main_ids__has_any=sorted(set(group))) if group else Q(pk__in=[])
    return conditions


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
