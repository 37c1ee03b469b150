"""Series made the way authors make them: through the services."""

from archive.series.models import Series
from archive.series.services import add_work, create_series


def make_series(*, creator, works=(), title: str = "The Underworld Cycle", **fields) -> Series:
    series = create_series(creator=creator, title=title, **fields)
    for story in works:
        add_work(series=series, story=story)
    return series


def parts(series: Series) -> list[tuple[int, str]]:
    """(position, work title) of every work of the series, in order."""
    return list(series.series_works.order_by("position").values_list("position", "story__title"))
