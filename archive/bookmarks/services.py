"""Bookmarking stories and keeping reading lists.

Every function is one transaction. A story's `bookmark_count` counts its public bookmarks
(`Bookmark.objects.public()`) and is recounted in the same transaction as the bookmark that changes
it, including when a bookmark turns private or public.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from archive.bookmarks.models import MARK_FOR_LATER, Bookmark, BookmarkTag, ReadingList, ReadingListItem
from archive.caching import versions
from archive.notifications.models import Kind
from archive.notifications.services import add_to_digest, digest_day, refresh_digests
from archive.stories.counts import refresh_story_counts
from archive.stories.models import Story


class BookmarkError(Exception):
    """A bookmark or list change the rules don't allow; the message says why, for the reader."""


def _check_visible(*, user, story: Story) -> None:
    if not Story.objects.visible_to(user).filter(pk=story.pk).exists():
        raise BookmarkError("You can only bookmark or list works you can see.")


def _recount(story_id: int) -> None:
    refresh_story_counts([story_id], ["bookmark_count"])


def _uncount(bookmark: Bookmark) -> None:
    """A public bookmark gone or made private: its work's count, and the line of its authors' inbox
    digests that counted it."""
    _recount(bookmark.story_id)
    refresh_digests(kind=Kind.BOOKMARK_OF_YOUR_WORK, days=[(bookmark.story_id, digest_day(bookmark.created_at))])


def _set_tags(bookmark: Bookmark, tags: Iterable[str]) -> None:
    bookmark.tags.all().delete()
    BookmarkTag.objects.bulk_create(BookmarkTag(bookmark=bookmark, name=name) for name in tags)


@transaction.atomic
def create_bookmark(*, user, story: Story, note: str = "", tags: Iterable[str] = (), private: bool = False) -> Bookmark:
    """Bookmark a story the reader can see; one bookmark per reader and story."""
    if not user.is_authenticated:
        raise BookmarkError("Log in to bookmark works.")
    _check_visible(user=user, story=story)
    try:
        # A savepoint, so the unique constraint can refuse a second bookmark (even a racing one)
        # without spoiling the caller's transaction.
        with transaction.atomic():
            bookmark = Bookmark.objects.create(user=user, story=story, note=note, private=private)
    except IntegrityError:
        raise BookmarkError("You have already bookmarked this work.") from None
    _set_tags(bookmark, tags)
    if not private:
        _recount(story.pk)
        # A private bookmark is the reader's own business: its author never hears of it.
        add_to_digest(kind=Kind.BOOKMARK_OF_YOUR_WORK, story=story, actor_id=user.pk)
    return bookmark


@transaction.atomic
def create_series_bookmark(
    *, user, series, note: str = "", tags: Iterable[str] = (), private: bool = False
) -> Bookmark:
    """Bookmark a series; one bookmark per reader and series. No work's count moves."""
    if not user.is_authenticated:
        raise BookmarkError("Log in to bookmark series.")
    try:
        with transaction.atomic():
            bookmark = Bookmark.objects.create(user=user, series=series, note=note, private=private)
    except IntegrityError:
        raise BookmarkError("You have already bookmarked this series.") from None
    _set_tags(bookmark, tags)
    return bookmark


@transaction.atomic
def update_bookmark(*, bookmark: Bookmark, note: str, tags: Iterable[str], private: bool) -> Bookmark:
    # Read the row's privacy under lock: a concurrent edit must not move the count twice.
    was_private = Bookmark.objects.select_for_update().values_list("private", flat=True).get(pk=bookmark.pk)
    bookmark.note = note
    bookmark.private = private
    bookmark.save(update_fields=["note", "private", "updated_at"])
    _set_tags(bookmark, tags)
    if not bookmark.story_id:  # a series' bookmark: no work counts it
        return bookmark
    if private and not was_private:
        _uncount(bookmark)
    elif was_private and not private:
        _recount(bookmark.story_id)
    return bookmark


@transaction.atomic
def delete_bookmark(*, bookmark: Bookmark) -> None:
    locked = Bookmark.objects.select_for_update().filter(pk=bookmark.pk).values_list("private", flat=True).first()
    if locked is None:  # already gone
        return
    Bookmark.objects.filter(pk=bookmark.pk).delete()
    versions.changed(account_ids=[bookmark.user_id])  # the reader's bookmark box
    if not locked and bookmark.story_id:
        _uncount(bookmark)


def mark_for_later_list(*, user) -> ReadingList:
    """The reader's built-in list, made the first time it is needed."""
    found = ReadingList.objects.filter(user=user, builtin=True).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return ReadingList.objects.create(user=user, name=MARK_FOR_LATER, builtin=True)
    except IntegrityError:  # made meanwhile by a concurrent request
        return ReadingList.objects.get(user=user, builtin=True)


def _check_name_free(*, user, name: str, exclude_pk: int | None = None) -> None:
    taken = ReadingList.objects.filter(user=user, name__iexact=name).exclude(pk=exclude_pk)
    if name.casefold() == MARK_FOR_LATER.casefold() or taken.exists():
        raise BookmarkError(f"You already have a list called “{name}”.")


@transaction.atomic
def create_list(*, user, name: str) -> ReadingList:
    _check_name_free(user=user, name=name)
    try:
        with transaction.atomic():
            return ReadingList.objects.create(user=user, name=name)
    except IntegrityError:
        raise BookmarkError(f"You already have a list called “{name}”.") from None


@transaction.atomic
def rename_list(*, reading_list: ReadingList, name: str) -> ReadingList:
    if reading_list.builtin:
        raise BookmarkError("“Mark for later” can't be renamed.")
    _check_name_free(user=reading_list.user, name=name, exclude_pk=reading_list.pk)
    reading_list.name = name
    try:
        with transaction.atomic():
            reading_list.save(update_fields=["name"])
    except IntegrityError:
        raise BookmarkError(f"You already have a list called “{name}”.") from None
    return reading_list


@transaction.atomic
def delete_list(*, reading_list: ReadingList) -> None:
    if reading_list.builtin:
        raise BookmarkError("“Mark for later” can't be deleted.")
    reading_list.delete()
    versions.changed(account_ids=[reading_list.user_id])  # the reader's bookmark box


@transaction.atomic
def add_to_list(*, reading_list: ReadingList, story: Story) -> bool:
    """Put a story the list's owner can see on the list; False if it was there already."""
    _check_visible(user=reading_list.user, story=story)
    _, created = ReadingListItem.objects.get_or_create(reading_list=reading_list, story=story)
    if created:
        versions.changed(account_ids=[reading_list.user_id])  # the reader's bookmark box
    return created


@transaction.atomic
def remove_from_list(*, reading_list: ReadingList, story: Story) -> bool:
    deleted, _ = ReadingListItem.objects.filter(reading_list=reading_list, story=story).delete()
    if deleted:
        versions.changed(account_ids=[reading_list.user_id])  # the reader's bookmark box
    return bool(deleted)
