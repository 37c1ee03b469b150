"""The counts a work shows, each recomputed from the rows it counts, by one function.

Every writer calls `refresh_story_counts`: the chapter, comment, kudos and bookmark services,
the admin (through those services), the demo loader and the archive generator. `manage.py
check_counters` compares what is stored with `expected_counts` to prove it.

What counts is defined once, on the counted rows' own querysets (`Comment.objects.counted()`
is "approved and not deleted"). Those rows live in apps that depend on stories, so they are
looked up by name here, as the reverse relations are.

Recounting a work, rather than adding one, can't drift; it reads the rows under the work's row
lock (taken first), so two kudos at once both count.
"""

from collections.abc import Callable, Iterable
from functools import cache

from django.apps import apps
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from archive.caching import versions
from archive.core.prepared import prepared_rows, prepared_update
from archive.stories.models import Story

COUNTS = ("word_count", "chapter_count", "comment_count", "kudos_count", "bookmark_count")


def _counted_rows(field: str) -> tuple[QuerySet, object]:
    """The rows a count counts, and how (a count, or a sum of their words)."""
    if field in ("word_count", "chapter_count"):
        rows = apps.get_model("chapters", "Chapter").objects.posted()
        return rows, Sum("word_count") if field == "word_count" else Count("pk")
    if field == "comment_count":
        return apps.get_model("comments", "Comment").objects.counted(), Count("pk")
    if field == "kudos_count":
        return apps.get_model("kudos", "Kudos").objects.all(), Count("pk")
    if field == "bookmark_count":
        return apps.get_model("bookmarks", "Bookmark").objects.public(), Count("pk")
    raise ValueError(f"{field} is not a count of a work")


def expected_count(field: str):
    """The value `field` should hold for each story, as an expression over the stories table."""
    rows, how = _counted_rows(field)
    per_story = rows.filter(story=OuterRef("pk")).order_by().values("story").annotate(n=how).values("n")
    return Coalesce(Subquery(per_story, output_field=IntegerField()), Value(0))


def _expected_chapters():
    # Posting past the chapters an author expected raises the expectation, as the Archive of
    # Our Own does: a work never reads "4/3", nor stays "Complete" when it has grown.
    posted = expected_count("chapter_count")
    return Case(
        When(expected_chapters__lt=posted, then=posted), default=F("expected_chapters"), output_field=IntegerField()
    )


def _updates(fields: Iterable[str]) -> dict:
    updates = {field: expected_count(field) for field in fields}
    if "chapter_count" in updates:
        updates["expected_chapters"] = _expected_chapters()
    return updates


@cache
def _recount(fields: tuple[str, ...]) -> Callable[..., tuple[QuerySet, dict]]:
    """The recount of `fields` for given works, as archive/core/prepared.py runs it: its SQL is
    made once per set of fields (building it cost more CPU than running it)."""

    def build(*story_ids: int) -> tuple[QuerySet, dict]:
        return Story.objects.filter(pk__in=story_ids), _updates(fields)

    build.__qualname__ = f"recount{fields}"
    return build


def _locked(*story_ids: int) -> QuerySet:
    return Story.objects.select_for_update().filter(pk__in=story_ids).order_by("pk").values_list("pk")


def refresh_story_counts(story_ids: Iterable[int] | None, fields: Iterable[str] = COUNTS) -> None:
    """Recount these works' `fields` from their rows (every work's when `story_ids` is None: the
    generator and `check_counters --fix`). Call it inside the change's transaction."""
    fields = tuple(fields)
    if story_ids is None:
        Story.objects.update(**_updates(fields))
        versions.changed(everything=True)
        return
    story_ids = sorted(set(story_ids))
    if not story_ids or not fields:
        return
    # Lock first: a recount that waited for another writer's lock then reads its rows too.
    prepared_rows(Story, _locked, *story_ids, write=True)
    prepared_update(Story, _recount(fields), *story_ids)
    # Whatever moved a count changed the work's pages (a comment, kudos, a chapter); lists show
    # the counts too, but only chapters change them beyond what PAGE_CACHE_SECONDS may lag.
    versions.changed(story_ids=story_ids, listings=bool({"word_count", "chapter_count"} & set(fields)))


def stale_story_counts(story_ids: Iterable[int] | None = None) -> list[tuple[int, str, int, int]]:
    """(story id, field, stored, expected) for every count that disagrees with its rows."""
    stories = Story.objects.all() if story_ids is None else Story.objects.filter(pk__in=list(story_ids))
    annotated = stories.annotate(**{f"expected_{field}": expected_count(field) for field in COUNTS})
    differs = Q()
    for field in COUNTS:
        differs |= ~Q(**{field: F(f"expected_{field}")})
    differs |= Q(expected_chapters__lt=F("chapter_count"))
    stale = []
    for row in annotated.filter(differs).values("pk", "expected_chapters", *COUNTS, *[f"expected_{f}" for f in COUNTS]):
        for field in COUNTS:
            if row[field] != row[f"expected_{field}"]:
                stale.append((row["pk"], field, row[field], row[f"expected_{field}"]))
        if row["expected_chapters"] is not None and row["expected_chapters"] < row["chapter_count"]:
            stale.append((row["pk"], "expected_chapters", row["expected_chapters"], row["chapter_count"]))
    return stale
