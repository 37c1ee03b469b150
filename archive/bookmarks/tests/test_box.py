"""The bookmark box's one query (archive/bookmarks/box.py) gives what the ORM gives, on any database."""

import pytest

from archive.bookmarks.box import reader_state
from archive.bookmarks.models import Bookmark, ReadingList
from archive.bookmarks.services import create_bookmark, mark_for_later_list
from archive.bookmarks.tests.factories import make_list
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def test_the_readers_bookmark_and_lists_come_with_aware_dates_and_true_booleans(author, reader):
    story = make_story(author=author, title="The Pomegranate Seeds")
    create_bookmark(user=reader, story=story, note="Reread in spring.", tags=["comfort"], private=True)
    mark_for_later_list(user=reader)
    make_list(user=reader, name="Myths")

    bookmark, lists = reader_state(reader, story)

    stored = Bookmark.objects.get(user=reader, story=story)
    # SQLite hands plain SQL naive datetimes; the ORM, and so the box, aware ones in UTC.
    assert (bookmark.created_at, bookmark.updated_at) == (stored.created_at, stored.updated_at)
    assert bookmark.created_at.tzinfo is not None
    assert bookmark.private is True
    assert [tag.name for tag in bookmark.tags.all()] == ["comfort"]
    assert [(item.name, item.builtin, item.created_at) for item in lists] == [
        (item.name, item.builtin, item.created_at)
        for item in ReadingList.objects.filter(user=reader).order_by("-builtin", "name")
    ]
    assert all(item.created_at.tzinfo is not None for item in lists)
    assert lists[0].builtin is True
