from datetime import timedelta

from django.utils import timezone

from archive.chapters.models import Chapter
from archive.history.models import Reading
from archive.stories.models import Story

# Opening the same chapter again within this long is a reload: nothing is written.
RELOAD_WINDOW = timedelta(minutes=5)


def record_reading(*, user, story: Story, chapter: Chapter, keep_place: bool = False) -> Reading | None:
    """Remember that `user` opened `chapter` of `story`; returns their reading from before, if any.

    Nothing is kept for guests, for the story's own authors or for drafts. One SELECT, then at
    most one INSERT ... ON CONFLICT DO UPDATE, skipped for a reload. `keep_place` (the work page,
    which opens on chapter 1) records a first visit only, so it never moves a reader back from
    the chapter they had reached.
    """
    if not user.is_authenticated or story.is_draft or chapter.is_draft or story.is_written_by(user):
        return None
    previous = Reading.objects.filter(user=user, story=story).first()
    now = timezone.now()
    if previous and (keep_place or (previous.chapter_id == chapter.pk and now - previous.last_read_at < RELOAD_WINDOW)):
        return previous
    Reading.objects.bulk_create(
        [Reading(user=user, story=story, chapter=chapter, chapter_number=chapter.number, last_read_at=now)],
        update_conflicts=True,
        unique_fields=["user", "story"],
        update_fields=["chapter", "chapter_number", "last_read_at"],
    )
    return previous


def forget_reading(*, user, story_id: int) -> bool:
    """Take one work out of the reader's history; False if it wasn't there."""
    deleted, _ = Reading.objects.filter(user=user, story_id=story_id).delete()
    return bool(deleted)


def clear_history(*, user) -> int:
    deleted, _ = Reading.objects.filter(user=user).delete()
    return deleted
