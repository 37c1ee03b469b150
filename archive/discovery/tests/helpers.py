"""What the discovery tests share: asking the search page, and setting up works and tags."""

from datetime import UTC, datetime

from archive.stories.models import Story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling


def search(client, **fields):
    return client.get("/works/search", fields)


def set_story(story: Story, **fields) -> None:
    """Change columns readers can't set directly (dates, counters) without touching anything else."""
    Story.objects.filter(pk=story.pk).update(**fields)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def synonym(name: str, of: str, user) -> None:
    """Make the tag `name` a synonym of the tag `of`, making `of` canonical first."""
    canonical = wrangling.make_canonical(tag=Tag.objects.get(name=of), user=user)
    wrangling.make_synonym(tag=Tag.objects.get(name=name), of=canonical, user=user)
