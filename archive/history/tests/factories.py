from datetime import datetime, timedelta

from django.utils import timezone

from archive.caching import versions
from archive.history.models import Reading
from archive.publishing.services import add_chapter
from archive.stories.models import Story


def read(user, story: Story, number: int = 1, *, days_ago: float = 0) -> Reading:
    """`user` last opened chapter `number` of `story`, `days_ago` days ago."""
    chapter = story.chapters.get(position=number)
    at: datetime = timezone.now() - timedelta(days=days_ago)
    reading, _ = Reading.objects.update_or_create(
        user=user, story=story, defaults={"chapter": chapter, "chapter_number": number, "last_read_at": at}
    )
    versions.changed(reader_ids=[user.pk])  # as history.services.record_place does
    return reading


def post_chapter(story: Story, title: str = ""):
    return add_chapter(
        story=story, fields={"title": title, "notes": "", "end_notes": "", "body": "<p>More.</p>"}, post=True
    )


def chapter_url(story: Story, number: int) -> str:
    return story.chapters.get(position=number).get_absolute_url()


def reading_of(user, story: Story) -> Reading | None:
    return Reading.objects.filter(user=user, story=story).first()
