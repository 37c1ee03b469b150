"""Bookmarks and reading lists made the way readers make them: through the services."""

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.models import Bookmark, ReadingList
from archive.bookmarks.services import add_to_list, create_bookmark, create_list
from archive.stories.models import Story
from archive.stories.tests.factories import make_story


def make_bookmark(*, user=None, story: Story | None = None, note: str = "", tags=(), private: bool = False) -> Bookmark:
    return create_bookmark(
        user=user or UserFactory(), story=story or make_story(), note=note, tags=list(tags), private=private
    )


def make_list(*, user=None, name: str = "Comfort reads", stories=()) -> ReadingList:
    reading_list = create_list(user=user or UserFactory(), name=name)
    for story in stories:
        add_to_list(reading_list=reading_list, story=story)
    return reading_list


def bookmark_count(story: Story) -> int:
    story.refresh_from_db(fields=["bookmark_count"])
    return story.bookmark_count
