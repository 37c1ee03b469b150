"""Series: making them, and placing works in them.

Every change runs in one transaction that locks the series row first, so two changes to one
series apply one after the other, and leaves its works at positions 1..n in the order asked for.
A change tells the page caches about every work of the series (each shows "Part N of" with
links to its neighbours) and about lists (the series page, author pages).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from archive.caching import versions
from archive.notifications.services import notify_story_in_series
from archive.series.models import Series, SeriesWork
from archive.stories.models import Story

# Added to every position before they are written anew, so no two rows ever share one on the way.
SHIFT = 1_000_000


class SeriesError(Exception):
    """A change the rules don't allow; the message says why, for the author."""


def _lock(series: Series) -> Series:
    return Series.objects.select_for_update().get(pk=series.pk)


def _story_ids(series: Series) -> list[int]:
    return list(series.series_works.order_by("position").values_list("story_id", flat=True))


def _changed(story_ids: Iterable[int]) -> None:
    versions.changed(story_ids=story_ids, listings=True)


def _renumber(series: Series, story_ids: list[int]) -> None:
    """Put the series' works at 1..n in this order (every work of the series, once)."""
    links = {link.story_id: link for link in series.series_works.all()}
    if sorted(links) != sorted(story_ids):
        raise ValueError("Renumber every work of the series, each once.")
    SeriesWork.objects.filter(series=series).update(position=F("position") + SHIFT)
    for position, story_id in enumerate(story_ids, start=1):
        links[story_id].position = position
    SeriesWork.objects.bulk_update(links.values(), ["position"])


def _placed(story_ids: list[int], story_id: int, position: int | None) -> list[int]:
    """The order with this work at `position` (1-based; none, or past the end: last)."""
    others = [pk for pk in story_ids if pk != story_id]
    index = len(others) if position is None else min(max(position, 1), len(others) + 1) - 1
    return [*others[:index], story_id, *others[index:]]


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise SeriesError("Give the series a title.")
    return title


@transaction.atomic
def create_series(*, creator, title: str, summary: str = "", notes: str = "", complete: bool = False) -> Series:
    series = Series.objects.create(title=_check_title(title), summary=summary, notes=notes, complete=complete)
    series.creators.add(creator)
    _changed([])  # the creator's series list
    return series


@transaction.atomic
def update_series(*, series: Series, fields: dict) -> Series:
    """Save a series' own details; every work page naming it shows the new ones."""
    series = _lock(series)
    if "title" in fields:
        fields = {**fields, "title": _check_title(fields["title"])}
    for name, value in fields.items():
        setattr(series, name, value)
    series.save(update_fields=[*fields, "updated_at"])
    _changed(_story_ids(series))
    return series


@transaction.atomic
def delete_series(*, series: Series) -> None:
    """Delete the series; its works stay, no longer part of it."""
    series = _lock(series)
    _changed(_story_ids(series))
    series.delete()


@transaction.atomic
def add_work(*, series: Series, story: Story, position: int | None = None) -> SeriesWork:
    """Put a work in the series at `position` (default: last), or move it there if it is in it
    already. The work's authors become creators of the series; subscribers to the series hear of
    a posted work when it joins (or, for a draft, when it is posted)."""
    series = _lock(series)
    order = _story_ids(series)
    link = SeriesWork.objects.filter(series=series, story=story).first()
    if link is None:
        link = SeriesWork.objects.create(series=series, story=story, position=len(order) + 1)
        series.creators.add(*story.authors.all())
        if not story.is_draft:
            notify_story_in_series(story=story, series=series)
    _renumber(series, _placed(order, story.pk, position))
    _changed([*order, story.pk])
    link.refresh_from_db(fields=["position"])
    return link


@transaction.atomic
def move_work(*, series: Series, story: Story, position: int) -> SeriesWork:
    """Make a work of the series Part `position` (the others keep their order around it)."""
    if not SeriesWork.objects.filter(series=series, story=story).exists():
        raise SeriesError("That work is not part of this series.")
    return add_work(series=series, story=story, position=position)


@transaction.atomic
def remove_work(*, series: Series, story: Story) -> bool:
    """Take a work out of the series, closing the gap it leaves; False if it wasn't in it."""
    series = _lock(series)
    order = _story_ids(series)
    if story.pk not in order:
        return False
    SeriesWork.objects.filter(series=series, story=story).delete()
    order.remove(story.pk)
    _renumber(series, order)
    _changed([*order, story.pk])
    return True


@transaction.atomic
def leave_every_series(*, story: Story) -> None:
    """Take a work out of every series it is in: before the work is deleted, so none has a gap."""
    for series in Series.objects.filter(series_works__story=story).order_by("pk"):
        remove_work(series=series, story=story)


@transaction.atomic
def place_work(
    *, story: Story, user, series: Series | None = None, new_title: str = "", position: int | None = None
) -> SeriesWork:
    """The work form's "Add to series": one of the user's series, or a new one with this title."""
    if series is None:
        series = create_series(creator=user, title=new_title)
    elif not Series.objects.created_by(user).filter(pk=series.pk).exists():
        raise SeriesError("You can only add works to your own series.")
    if not story.authors.filter(pk=user.pk).exists():
        raise SeriesError("You can only add your own works to a series.")
    return add_work(series=series, story=story, position=position)


@transaction.atomic
def set_work_series(
    *,
    story: Story,
    user,
    add_to: Series | None = None,
    new_title: str = "",
    part: int | None = None,
    moved: dict[Series, int] | None = None,
    removed: Iterable[Series] = (),
) -> None:
    """What a work form's Series box asks: take the work out of some series, change its part in
    others, and add it to one (of the user's, or a new one titled `new_title`)."""
    own = Series.objects.created_by(user)
    for series in removed:
        if own.filter(pk=series.pk).exists():
            remove_work(series=series, story=story)
    for series, position in (moved or {}).items():
        if own.filter(pk=series.pk).exists():
            move_work(series=series, story=story, position=position)
    if add_to is not None or new_title.strip():
        place_work(story=story, user=user, series=add_to, new_title=new_title, position=part)


@transaction.atomic
def arrange_works(*, series: Series, order: list[int], removed: Iterable[int] = ()) -> None:
    """The series page's "Order of works": these works, in this order, and without those."""
    series = _lock(series)
    current = _story_ids(series)
    removed = [pk for pk in removed if pk in current]
    SeriesWork.objects.filter(series=series, story_id__in=removed).delete()
    kept = [pk for pk in current if pk not in removed]
    if sorted(order) != sorted(kept):
        raise SeriesError("The series changed while you were arranging it. Please check its works and try again.")
    _renumber(series, order)
    _changed(current)


def stale_positions() -> list[tuple[int, list[int], list[int]]]:
    """(series id, stored positions, expected) for every series whose works aren't at 1..n."""
    found: dict[int, list[int]] = {}
    rows = SeriesWork.objects.order_by("series", "position").values_list("series_id", "position")
    for series_id, position in rows.iterator(chunk_size=5000):
        found.setdefault(series_id, []).append(position)
    return [
        (series_id, positions, list(range(1, len(positions) + 1)))
        for series_id, positions in found.items()
        if positions != list(range(1, len(positions) + 1))
    ]


@transaction.atomic
def repair_positions() -> None:
    """Put every series' works back at 1..n, in the order they are in: for `check_counters --fix`."""
    for series_id, _, _ in stale_positions():
        series = _lock(Series(pk=series_id))
        _renumber(series, _story_ids(series))
        _changed(_story_ids(series))
