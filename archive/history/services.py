from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from archive.caching import versions
from archive.chapters.models import Chapter
from archive.history.models import Reading
from archive.stories.models import Story

# Opening the same chapter again within this long is a reload: nothing is written.
RELOAD_WINDOW = timedelta(minutes=5)
# The reader's place in a work, kept in the cache for RELOAD_WINDOW after it was read or written,
# so a reload costs no query and reading on to the next chapter costs only the upsert.
PLACE = "history:place:{user_id}:{story_id}"


def record_reading(*, user, story: Story, chapter: Chapter, keep_place: bool = False) -> Reading | None:
    """Remember that `user` opened `chapter` of `story`; returns their reading from before, if any.

    Nothing is kept for guests, for the story's own authors or for drafts. The reader's place
    comes from the cache or one SELECT; it moves with one INSERT ... ON CONFLICT DO UPDATE,
    skipped for a reload. `keep_place` (the work page, which opens on chapter 1) records a
    first visit only, so it never moves a reader back from the chapter they had reached.
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
    cached = cache.get(key)
    if cached is None:
        previous = Reading.objects.filter(user=user, story_id=story_id).first()
    else:
        previous = Reading(user=user, story_id=story_id, **cached)
    now = timezone.now()
    if previous and (keep_place or (previous.chapter_id == chapter_id and now - previous.last_read_at < RELOAD_WINDOW)):
        if cached is None:
            _remember(key, previous)
        return previous
    reading = Reading(
        user=user, story_id=story_id, chapter_id=chapter_id, chapter_number=chapter_number, last_read_at=now
    )
    Reading.objects.bulk_create(
        [reading],
        update_conflicts=True,
        unique_fields=["user", "story"],
        update_fields=["chapter", "chapter_number", "last_read_at"],
    )
    _remember(key, reading)
    versions.changed(reader_ids=[user.pk])  # their "Continue reading" box
    return previous


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
