from django.db import transaction

from archive.stories.models import Story, StoryTag
from archive.tags.services import resolve_tags


@transaction.atomic
def set_story_tags(*, story: Story, tags_by_kind: dict[str, list[str]]) -> None:
    """Replace the story's tags with these, keeping the order the author typed them."""
    tags = resolve_tags(tags_by_kind)
    story.tag_links.all().delete()
    StoryTag.objects.bulk_create([StoryTag(content_object=story, tag=tag) for tag in tags])


@transaction.atomic
def update_story(*, story: Story, fields: dict, tags_by_kind: dict[str, list[str]]) -> Story:
    for name, value in fields.items():
        setattr(story, name, value)
    story.save()
    set_story_tags(story=story, tags_by_kind=tags_by_kind)
    return story


@transaction.atomic
def delete_story(*, story: Story) -> None:
    story.delete()
