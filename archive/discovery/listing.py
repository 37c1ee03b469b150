"""One page of a filtered list of works, its total and its facet counts, in few queries.

A single statement finds the matching works once (one GIN probe on PostgreSQL), stopping after
`COUNT_CAP + 1` of them, and from that set returns the total, the rating counts, the top tags of
each kind (from the first `FACET_SAMPLE` matches) and, when the whole result fits under the cap,
the ids of the requested page in the requested order. Only a result bigger than the cap needs a
second, ordered query for its page; such a result is dense, so walking the date index is right
for it, while a small result is never found by walking that index (which is what makes "matches
nothing, sorted by date" slow on big archives).

Exact counts of very common tags are slow at a million works; past the cap the page says
"1,000+ works", counts facets over the first 1,000 matches, and still offers 500 pages.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest

from archive.core.pagination import COUNT_CAP, PER_PAGE, CappedPaginator, page_number
from archive.discovery.exclusions import Hiding, apply_exclusions
from archive.discovery.filtering import FACET_SIZE, SORTS, Facet, Facets, WorkFilter, filter_works
from archive.stories.choices import Rating
from archive.tags.filtering import IN_ROMANCE
from archive.tags.models import Tag

FACET_SAMPLE = COUNT_CAP


@dataclass
class Listing:
    page: Page
    facets: Facets
    sampled: bool  # facet counts come from the first FACET_SAMPLE matches only
    unranked: bool = False  # too many matches to sort by best match: sorted by date instead
    hiding: Hiding = field(default_factory=Hiding)  # what the reader's saved exclusions hid


def _order_columns(wanted: WorkFilter, ranked: bool) -> tuple[list[str], list[str]]:
    """The columns to select for sorting, and the ORDER BY terms over them."""
    if ranked:
        return ["rank", "updated_at", "id"], ["rank DESC", "updated_at DESC", "id DESC"]
    column, _ = SORTS.get(wanted.sort, SORTS["updated"])
    ascending = wanted.ascending if wanted.ascending is not None else wanted.sort == "title"
    direction = "ASC" if ascending else "DESC"
    return [column, "id"], [f"{column} {direction}", f"id {direction}"]


def list_works(
    request: HttpRequest, works: QuerySet, wanted: WorkFilter, *, ranked: bool = False, per_page: int = PER_PAGE
) -> Listing:
    """The requested page of `works` narrowed by `wanted`, with totals and facets.

    `works` may carry a `rank` annotation (free-text search); `ranked` sorts by it.
    """
    works, hiding = apply_exclusions(request, filter_works(works, wanted))
    columns, order_by = _order_columns(wanted, ranked)
    # The rank is computed for the page only, and only when the result is small enough to rank.
    selected = list(dict.fromkeys(["id", "rating", "filter_ids", *(c for c in columns if c != "rank")]))
    try:
        matched_sql, params = works.values(*selected).query.sql_with_params()
        rank = _compiled(works, "rank") if ranked else None
    except EmptyResultSet:
        return _empty(per_page, hiding)
    number = page_number(request)
    offset = (number - 1) * per_page
    rows = _summary(matched_sql, params, order_by, offset, per_page, wanted, rank)

    total = sum(count for section, _, _, _, count in rows if section == "rating")
    capped = total > COUNT_CAP
    unranked = ranked and capped
    if unranked:
        # Ranking every match of a very common word costs a scan of all of them; a result that
        # big is shown newest first instead, and the page says so.
        wanted.sort, wanted.ascending = "updated", None
        _, order_by = _order_columns(wanted, ranked=False)
    paginator = CappedPaginator([], per_page, count=total)
    page_ids = [row[1] for row in sorted((row for row in rows if row[0] == "page"), key=lambda row: row[4])]
    if capped and number <= paginator.num_pages:
        ordered = works.order_by(*[_django_order(term) for term in order_by])
        page_ids = list(ordered.values_list("pk", flat=True)[offset : offset + per_page])
    elif number > paginator.num_pages:
        page_ids = []  # past the end: an empty page that says so, not someone else's page
    fetched = works.model.objects.filter(pk__in=page_ids).card_rows() if page_ids else []
    stories = {story.pk: story for story in fetched}
    page = Page([stories[pk] for pk in page_ids if pk in stories], number, paginator)
    facets = _facets(rows, wanted)
    return Listing(page=page, facets=facets, sampled=total > FACET_SAMPLE, unranked=unranked, hiding=hiding)


def _django_order(term: str) -> str:
    column, direction = term.split()
    return column if direction == "ASC" else f"-{column}"


def _empty(per_page: int, hiding: Hiding) -> Listing:
    paginator = CappedPaginator([], per_page, count=0)
    facets = Facets(ratings=[], by_kind={kind: [] for kind in Tag.Kind.values})
    return Listing(Page([], 1, paginator), facets, False, hiding=hiding)


def _compiled(works: QuerySet, annotation: str) -> tuple[str, list]:
    """An annotation's SQL, over the stories table, for use outside the queryset."""
    compiler = works.query.get_compiler(connection=connection)
    sql, params = compiler.compile(works.query.annotations[annotation])
    return sql, list(params)


def _summary(
    matched_sql: str,
    params,
    order_by: list[str],
    offset: int,
    per_page: int,
    wanted: WorkFilter,
    rank: tuple[str, list] | None = None,
) -> list:
    postgres = connection.vendor == "postgresql"
    pinned = [*wanted.all_of, *wanted.none_of]
    if postgres:
        # unnest() in the select list: as a FROM item it builds a tuplestore per work (a third slower).
        expand, pinned_sql, pinned_param = "SELECT unnest(s.filter_ids) AS id FROM s", "= ANY(%s)", pinned
    else:
        expand = "SELECT f.value AS id FROM s, json_each(s.filter_ids) AS f"
        pinned_sql, pinned_param = "IN (SELECT value FROM json_each(%s))", json.dumps(pinned)
    materialized = "MATERIALIZED" if postgres else ""
    if rank:
        # Rank only a result that fits under the cap (a bigger one is listed by date instead).
        order = ", ".join(
            term.replace("rank", "r", 1) if term.startswith("rank") else f"ranked.{term}" for term in order_by
        )
        page_sql = f"""SELECT id FROM (
                SELECT m.id, m.updated_at, {rank[0]} AS r FROM m JOIN stories_story ON stories_story.id = m.id
                WHERE (SELECT count(*) FROM m) <= {COUNT_CAP}
            ) AS ranked ORDER BY {order} LIMIT %s OFFSET %s"""  # noqa: S608 - compiled SQL and constants
        page_params = [*rank[1], per_page, offset]
    else:
        page_sql = f"SELECT id FROM m ORDER BY {', '.join(order_by)} LIMIT %s OFFSET %s"  # noqa: S608 - constants
        page_params = [per_page, offset]
    # Past 200 works in the sample, a tag on a single work never makes its kind's top ten: leaving
    # those out before joining the tags halves the facet work for big results.
    sql = f"""
        WITH m AS {materialized} (SELECT * FROM ({matched_sql}) AS q LIMIT %s),
             s AS (SELECT * FROM m LIMIT %s)
        SELECT 'rating', NULL, rating, NULL, count(*) FROM m GROUP BY rating
        UNION ALL
        SELECT 'tag', id, name, kind, n FROM (
            SELECT t.id, t.name, t.kind, c.n,
                   row_number() OVER (PARTITION BY t.kind ORDER BY c.n DESC, t.id) AS position
            FROM (SELECT f.id, count(*) AS n FROM ({expand}) AS f WHERE f.id < %s GROUP BY f.id
                  HAVING count(*) > (CASE WHEN (SELECT count(*) FROM s) > 200 THEN 1 ELSE 0 END)) AS c
            JOIN tags_tag t ON t.id = c.id
        ) AS ranked WHERE position <= %s
        UNION ALL
        SELECT 'pinned', id, name, kind, 0 FROM tags_tag WHERE id {pinned_sql}
        UNION ALL
        SELECT 'page', id, NULL, NULL, row_number() OVER () FROM ({page_sql}) AS p
    """  # noqa: S608 - compiled SQL and constants; every value travels as a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, COUNT_CAP + 1, FACET_SAMPLE, IN_ROMANCE, FACET_SIZE, pinned_param, *page_params])
        return cursor.fetchall()


def _facets(rows: list, wanted: WorkFilter) -> Facets:
    by_kind: dict[str, dict[int, Facet]] = {kind: {} for kind in Tag.Kind.values}
    for section, tag_id, name, kind, count in rows:
        if section in ("tag", "pinned") and (tag_id not in by_kind[kind] or count > by_kind[kind][tag_id].count):
            by_kind[kind][tag_id] = Facet(Tag(id=tag_id, name=name, kind=kind), count)
    ordered = {
        kind: sorted(facets.values(), key=lambda facet: (-facet.count, facet.tag.name.lower()))
        for kind, facets in by_kind.items()
    }
    counts = {value: count for section, _, value, _, count in rows if section == "rating"}
    pinned = {*wanted.ratings, *wanted.excluded_ratings}
    ratings = [
        (value, label, counts.get(value, 0)) for value, label in Rating.choices if value in counts or value in pinned
    ]
    return Facets(ratings=ratings, by_kind=ordered)
