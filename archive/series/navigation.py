"""A work's place in each of its series, as its meta block shows it: "Part 2 of <title>", with
the previous and next works.

As the Archive of Our Own does, the parts are counted among the works this reader may see
(posted, and for guests not restricted), so the links never lead to a page they can't open.
"""

from dataclasses import dataclass

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
    links = list(
        SeriesWork.objects.filter(story=story).select_related("series").only("series__title").order_by("series__title")
    )
    if not links:
        return []
    shown: dict[int, list[int]] = {link.series_id: [] for link in links}
    members = (
        SeriesWork.objects.filter(series__in=shown, story__in=Story.objects.visible_to(viewer).values("pk"))
        .order_by("series", "position")
        .values_list("series_id", "story_id")
    )
    for series_id, story_id in members:
        shown[series_id].append(story_id)
    parts = []
    for link in links:
        works = shown[link.series_id]
        index = works.index(story.pk) if story.pk in works else len(works)
        before = works[index - 1] if index > 0 else None
        after = works[index + 1] if index + 1 < len(works) else None
        parts.append(
            Part(
                series=link.series,
                number=index + 1,
                previous_url=url_with("chapters:work", before) if before else None,
                next_url=url_with("chapters:work", after) if after else None,
            )
        )
    return parts
