"""The bookmark and reading-list services: one bookmark per reader and work, only works the reader
may see, and a public bookmark count that moves in the same transaction as the bookmark."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.models import MARK_FOR_LATER, Bookmark, BookmarkTag, ReadingList, ReadingListItem
from archive.bookmarks.services import (
    BookmarkError,
    add_to_list,
    create_bookmark,
    create_list,
    delete_bookmark,
    delete_list,
    mark_for_later_list,
    remove_from_list,
    rename_list,
    update_bookmark,
)
from archive.bookmarks.tests.factories import bookmark_count, make_bookmark, make_list
from archive.notifications.models import Kind, Notification
from archive.publishing.services import delete_story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    return make_story(author=author, title="The Pomegranate Seeds")


def test_a_public_bookmark_counts_and_a_private_one_does_not(story, reader):
    make_bookmark(user=reader, story=story, note="Lovely.", tags=["reread"])
    make_bookmark(user=UserFactory(), story=story, private=True)

    assert bookmark_count(story) == 1
    assert Bookmark.objects.count() == 2


def test_a_reader_bookmarks_a_work_only_once(story, reader):
    make_bookmark(user=reader, story=story)

    with pytest.raises(BookmarkError):
        make_bookmark(user=reader, story=story)

    assert Bookmark.objects.count() == 1
    assert bookmark_count(story) == 1


def test_the_database_refuses_a_second_bookmark_of_a_work_by_one_reader(story, reader):
    make_bookmark(user=reader, story=story)

    with pytest.raises(IntegrityError), transaction.atomic():
        Bookmark.objects.create(user=reader, story=story)


def test_a_draft_cannot_be_bookmarked_not_even_by_its_author(author):
    draft = make_story(author=author, post=False)

    with pytest.raises(BookmarkError):
        create_bookmark(user=author, story=draft)

    assert not Bookmark.objects.exists()


def test_a_guest_cannot_bookmark(story):
    with pytest.raises(BookmarkError):
        create_bookmark(user=AnonymousUser(), story=story)


def test_making_a_bookmark_private_takes_it_out_of_the_count_and_public_puts_it_back(story, reader):
    bookmark = make_bookmark(user=reader, story=story, note="First.")

    update_bookmark(bookmark=bookmark, note="Second.", tags=[], private=True)
    assert bookmark_count(story) == 0
    update_bookmark(bookmark=bookmark, note="Third.", tags=[], private=True)
    assert bookmark_count(story) == 0
    update_bookmark(bookmark=bookmark, note="Fourth.", tags=[], private=False)
    assert bookmark_count(story) == 1
    update_bookmark(bookmark=bookmark, note="Fifth.", tags=[], private=False)
    assert bookmark_count(story) == 1
    bookmark.refresh_from_db()
    assert bookmark.note == "Fifth."


def test_updating_a_bookmark_replaces_its_tags(story, reader):
    bookmark = make_bookmark(user=reader, story=story, tags=["angst", "reread"])

    update_bookmark(bookmark=bookmark, note="", tags=["fluff"], private=False)

    assert list(bookmark.tags.values_list("name", flat=True)) == ["fluff"]
    assert BookmarkTag.objects.count() == 1


def test_deleting_a_public_bookmark_lowers_the_count_and_a_private_one_does_not(story, reader):
    public = make_bookmark(user=reader, story=story)
    private = make_bookmark(user=UserFactory(), story=story, private=True)

    delete_bookmark(bookmark=private)
    assert bookmark_count(story) == 1
    delete_bookmark(bookmark=public)
    assert bookmark_count(story) == 0
    delete_bookmark(bookmark=public)  # twice, as a double-click might
    assert bookmark_count(story) == 0
    assert not Bookmark.objects.exists()


def test_a_bookmark_deleted_or_made_private_leaves_the_authors_inbox_digest(story, reader, author):
    first = make_bookmark(user=reader, story=story)
    second = make_bookmark(user=UserFactory(), story=story)
    line = Notification.objects.filter(recipient=author, kind=Kind.BOOKMARK_OF_YOUR_WORK)
    assert line.get().text == "2 readers bookmarked “The Pomegranate Seeds”"

    update_bookmark(bookmark=first, note="", tags=[], private=True)
    assert line.get().text == "A reader bookmarked “The Pomegranate Seeds”"
    delete_bookmark(bookmark=second)

    assert not line.exists()
    assert not Notification.objects.filter(recipient=author).unread().exists()


def test_a_deleted_work_takes_its_bookmarks_and_list_entries_with_it(story, reader, author):
    make_bookmark(user=reader, story=story, tags=["reread"])
    make_list(user=reader, stories=[story])

    delete_story(story=story)

    assert not Bookmark.objects.exists()
    assert not BookmarkTag.objects.exists()
    assert not ReadingListItem.objects.exists()
    assert ReadingList.objects.filter(user=reader).count() == 1


def test_a_restricted_work_is_bookmarked_by_registered_readers(author, reader):
    restricted = make_story(author=author, restricted=True)

    make_bookmark(user=reader, story=restricted)

    assert bookmark_count(restricted) == 1


def test_mark_for_later_is_made_once_when_first_needed(reader):
    assert not ReadingList.objects.exists()

    first = mark_for_later_list(user=reader)
    second = mark_for_later_list(user=reader)

    assert first == second
    assert first.name == MARK_FOR_LATER
    assert first.builtin
    assert ReadingList.objects.count() == 1


def test_list_names_are_unique_per_reader_whatever_their_case(reader):
    create_list(user=reader, name="Comfort reads")

    with pytest.raises(BookmarkError):
        create_list(user=reader, name="comfort READS")
    with pytest.raises(BookmarkError):
        create_list(user=reader, name="mark for later")
    create_list(user=UserFactory(), name="Comfort reads")

    assert ReadingList.objects.filter(user=reader).count() == 1
    assert ReadingList.objects.count() == 2


def test_the_database_refuses_a_second_list_of_the_same_name(reader):
    create_list(user=reader, name="Comfort reads")

    with pytest.raises(IntegrityError), transaction.atomic():
        ReadingList.objects.create(user=reader, name="COMFORT reads")


def test_a_list_is_renamed_but_not_onto_another_of_the_readers_lists(reader):
    first = create_list(user=reader, name="Comfort reads")
    create_list(user=reader, name="Angst")

    rename_list(reading_list=first, name="Comfort Reads, Winter")
    with pytest.raises(BookmarkError):
        rename_list(reading_list=first, name="angst")

    first.refresh_from_db()
    assert first.name == "Comfort Reads, Winter"


def test_mark_for_later_can_be_neither_renamed_nor_deleted(reader):
    later = mark_for_later_list(user=reader)

    with pytest.raises(BookmarkError):
        rename_list(reading_list=later, name="Someday")
    with pytest.raises(BookmarkError):
        delete_list(reading_list=later)

    later.refresh_from_db()
    assert later.name == MARK_FOR_LATER


def test_a_work_is_added_to_a_list_once_and_removed(story, reader):
    reading_list = make_list(user=reader)

    assert add_to_list(reading_list=reading_list, story=story) is True
    assert add_to_list(reading_list=reading_list, story=story) is False
    assert reading_list.items.count() == 1
    assert remove_from_list(reading_list=reading_list, story=story) is True
    assert remove_from_list(reading_list=reading_list, story=story) is False
    assert not reading_list.items.exists()


def test_a_draft_cannot_be_added_to_a_list(author):
    draft = make_story(author=author, post=False)
    reading_list = make_list(user=author)

    with pytest.raises(BookmarkError):
        add_to_list(reading_list=reading_list, story=draft)


def test_deleting_a_list_keeps_its_works(story, reader):
    reading_list = make_list(user=reader, stories=[story])

    delete_list(reading_list=reading_list)

    assert not ReadingList.objects.exists()
    assert not ReadingListItem.objects.exists()
    story.refresh_from_db()
