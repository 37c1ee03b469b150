"""A work's place in each of its series, as its meta block shows it: "Part 2 of <title>", with
the previous and next works.

As the Archive of Our Own does, the parts are counted among the works this reader may see
(posted, and for guests not restricted), so the links never lead to a page they can't open.
"""

from dataclasses import dataclass

from archive.core.prepared import prepared_rows
from archive.core.raw_rows import from_row
from archive.core.reversing import url_with
from archive.series.models import Series, SeriesWork
from archive.stories.models import Story


@dataclass(frozen=True)
class Part:
    series: Series
    number: int
    previous_url: str | None
    next_url: str | None


def parts_of(story: Story, viewer) -> list[Part]:
    """The work's part in each series it is in, by series title: two queries (one if it is in none)."""
    if story.pk is None:  # a preview of a work not saved yet
        return []
    # The work's series (most works are in none): a query made once (archive/core/prepared.py).
    _, rows = prepared_rows(SeriesWork, _series_of, story.pk)
    if not rows:
        return []
    series_by_id = {series_id: from_row(Series, ["id", "title"], [series_id, title]) for series_id, title in rows}
    shown: dict[int, list[int]] = {series_id: [] for series_id in series_by_id}
    members = (
        SeriesWork.objects.filter(series__in=shown, story__in=Story.objects.visible_to(viewer).values("pk"))
        .order_by("series", "position")
        .values_list("series_id", "story_id")
    )
    for series_id, story_id in members:
        shown[series_id].append(story_id)
    parts = []
    for series_id, series in series_by_id.items():
        works = shown[series_id]
        index = works.index(story.pk) if story.pk in works else len(works)
        before = works[index - 1] if index > 0 else None
        after = works[index + 1] if index + 1 < len(works) else None
        parts.append(
            Part(
                series=series,
                number=index + 1,
                previous_url=url_with("chapters:work", before) if before else None,
                next_url=url_with("chapters:work", after) if after else None,
            )
        )
    return parts


def _series_of(story_id: int):
    return SeriesWork.objects.filter(story=story_id).order_by("series__title").values_list("series_id", "series__title")
