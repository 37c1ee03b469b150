from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from archive.caching import reader_parts, versions
from archive.chapters.models import Chapter
from archive.history.models import Reading
from archive.stories.models import Story

# Opening the same chapter again within this long is a reload: nothing is written.
RELOAD_WINDOW = timedelta(minutes=5)
# The reader's place in a work, kept in the cache for RELOAD_WINDOW after it was read or written,
# so a reload costs no query.
PLACE = "history:place:{user_id}:{story_id}"


def record_reading(*, user, story: Story, chapter: Chapter, keep_place: bool = False) -> Reading | None:
    """Remember that `user` opened `chapter` of `story`; returns their reading from before, if any.

    Nothing is kept for guests, for the story's own authors or for drafts. A reload finds the
    reader's place in the cache and writes nothing; otherwise one statement reads it and moves it
    (INSERT ... ON CONFLICT DO UPDATE, unless it stays). `keep_place` (the work page, which opens
    on chapter 1) records a first visit only, so it never moves a reader back from the chapter
    they had reached.
    """
    if not user.is_authenticated or story.is_draft or chapter.is_draft or story.is_written_by(user):
        return None
    if not user.keeps_history:
        return None
    return record_place(
        user=user, story_id=story.pk, chapter_id=chapter.pk, chapter_number=chapter.number, keep_place=keep_place
    )


def record_place(*, user, story_id: int, chapter_id: int, chapter_number: int, keep_place: bool = False):
    """`record_reading` for a reader already known to be neither a guest nor an author of the
    posted work and chapter they opened (the readers' copy of a work page fills its "Continue
    reading" part with this, from the ids alone)."""
    if not user.keeps_history:
        return None  # the reader turned their history off: nothing is recorded
    key = PLACE.format(user_id=user.pk, story_id=story_id)
    cached = reader_parts.cached(key)  # read with the page's other parts' keys, filling a kept page
    now = timezone.now()
    previous = None if cached is None else Reading(user=user, story_id=story_id, **cached)
    if previous is not None:
        if _stays(previous, chapter_id=chapter_id, now=now, keep_place=keep_place):
            return previous
    reading = Reading(
        user=user, story_id=story_id, chapter_id=chapter_id, chapter_number=chapter_number, last_read_at=now
    )
    if connection.vendor == "postgresql":
        previous, moved = _read_and_move(reading, keep_place=keep_place)
    else:
        if cached is None:
            previous = Reading.objects.filter(user=user, story_id=story_id).first()
        moved = not (previous and _stays(previous, chapter_id=chapter_id, now=now, keep_place=keep_place))
        if moved:
            Reading.objects.bulk_create(
                [reading],
                update_conflicts=True,
                unique_fields=["user", "story"],
                update_fields=["chapter", "chapter_number", "last_read_at"],
            )
    if not moved:
        if previous is not None:  # else another request of theirs wrote it a moment ago
            _remember(key, previous)
        return previous
    _remember(key, reading)
    versions.changed(reader_ids=[user.pk])  # their "Continue reading" box
    return previous


def _stays(previous: Reading, *, chapter_id: int, now, keep_place: bool) -> bool:
    """Whether the reader's place stays where it is: the work page never moves it back, and a
    reload of the same chapter is not a new reading."""
    return keep_place or (previous.chapter_id == chapter_id and now - previous.last_read_at < RELOAD_WINDOW)


# The reading from before and the move, as `_stays` decides it, in one statement: the data-modifying
# WITH is PostgreSQL's (every logged-in reader's chapter page runs it; SQLite takes two).
_READ_AND_MOVE = """
WITH previous AS (
    SELECT chapter_id, chapter_number, last_read_at FROM {table} WHERE user_id = %(user)s AND story_id = %(story)s
), moved AS (
    INSERT INTO {table} AS reading (user_id, story_id, chapter_id, chapter_number, last_read_at)
    VALUES (%(user)s, %(story)s, %(chapter)s, %(number)s, %(now)s)
    ON CONFLICT (user_id, story_id) DO UPDATE
    SET chapter_id = EXCLUDED.chapter_id, chapter_number = EXCLUDED.chapter_number, last_read_at = EXCLUDED.last_read_at
    WHERE NOT %(keep)s AND NOT (reading.chapter_id = EXCLUDED.chapter_id AND reading.last_read_at > %(reload)s)
    RETURNING 1
)
SELECT (SELECT count(*) FROM moved), previous.chapter_id, previous.chapter_number, previous.last_read_at
FROM (SELECT 1) AS one LEFT JOIN previous ON true
"""


def _read_and_move(reading: Reading, *, keep_place: bool) -> tuple[Reading | None, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            _READ_AND_MOVE.format(table=connection.ops.quote_name(Reading._meta.db_table)),
            {
                "user": reading.user_id,
                "story": reading.story_id,
                "chapter": reading.chapter_id,
                "number": reading.chapter_number,
                "now": reading.last_read_at,
                "keep": keep_place,
                "reload": reading.last_read_at - RELOAD_WINDOW,
            },
        )
        moved, chapter_id, chapter_number, last_read_at = cursor.fetchone()
    previous = None
    if last_read_at is not None:
        previous = Reading(
            user_id=reading.user_id,
            story_id=reading.story_id,
            chapter_id=chapter_id,
            chapter_number=chapter_number,
            last_read_at=last_read_at,
        )
    return previous, bool(moved)


def _remember(key: str, reading: Reading) -> None:
    place = {"chapter_id": reading.chapter_id, "chapter_number": reading.chapter_number}
    cache.set(key, {**place, "last_read_at": reading.last_read_at}, timeout=RELOAD_WINDOW.total_seconds())


def forget_reading(*, user, story_id: int) -> bool:
    """Take one work out of the reader's history; False if it wasn't there."""
    cache.delete(PLACE.format(user_id=user.pk, story_id=story_id))
    deleted, _ = Reading.objects.filter(user=user, story_id=story_id).delete()
    versions.changed(reader_ids=[user.pk])
    return bool(deleted)


def clear_history(*, user) -> int:
    readings = Reading.objects.filter(user=user)
    cache.delete_many(
        [PLACE.format(user_id=user.pk, story_id=story_id) for story_id in readings.values_list("story_id", flat=True)]
    )
    deleted, _ = readings.delete()
    versions.changed(reader_ids=[user.pk])
    return deleted


class HistoryOff(Exception):
    """The reader turned their history off, so nothing can be marked in it."""


def mark_read(*, user, story: Story) -> Reading:
    """Put a posted work in the reader's history as read to its last posted chapter."""
    if not user.keeps_history:
        raise HistoryOff("Your history is off: turn it on to mark works as read.")
    chapters = list(story.chapters.posted().order_by("position").values_list("pk", flat=True))
    # From the database, not the place kept in the cache: that may name a reading since removed
    # (its chapter deleted), and then nothing would be written.
    cache.delete(PLACE.format(user_id=user.pk, story_id=story.pk))
    record_place(user=user, story_id=story.pk, chapter_id=chapters[-1], chapter_number=len(chapters))
    return Reading.objects.get(user=user, story=story)


def set_keeps_history(*, user, keep: bool) -> None:
    """Turn the reader's history on or off; what it holds stays until they clear it."""
    user.keeps_history = keep
    user.save(update_fields=["keeps_history"])
    versions.changed(reader_ids=[user.pk])
