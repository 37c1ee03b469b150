"""The bookmark box on the work and chapter pages: what the reader has bookmarked and listed.

Rendered by the `{% bookmark_box story %}` tag and, after a form in it is sent with JavaScript,
returned alone as the fragment that replaces it (so the page never reloads).
"""

from django.db import connection
from django.http import HttpRequest
from django.template.defaultfilters import urlencode

from archive.bookmarks.forms import BookmarkForm
from archive.bookmarks.models import Bookmark, BookmarkTag, ReadingList, ReadingListItem
from archive.core.raw_rows import from_row, set_prefetched
from archive.notifications.models import Subscription
from archive.stories.models import Story

LATER = "later"


# The reader's bookmark of the work, a row per tag, then their reading lists, a row each: one query.
# Columns: which (0 bookmark, 1 list), id, note or name, private or builtin, created_at,
# updated_at, tag id, tag name or the list's name lowered, builtin again, whether the list holds
# the work; the sort columns keep each kind in its model's order (BookmarkTag's, ReadingList's).
_READER_STATE = (
    "SELECT 0, bookmark.id, bookmark.note, bookmark.private, bookmark.created_at, bookmark.updated_at,"  # noqa: S608 - our tables
    " tag.id, tag.name, NULL, NULL"
    f" FROM {Bookmark._meta.db_table} bookmark LEFT JOIN {BookmarkTag._meta.db_table} tag"
    " ON tag.bookmark_id = bookmark.id WHERE bookmark.user_id = %s AND bookmark.story_id = %s"
    " UNION ALL"
    " SELECT 1, list.id, list.name, list.builtin, list.created_at, NULL, NULL, LOWER(list.name), list.builtin,"
    f" EXISTS(SELECT 1 FROM {ReadingListItem._meta.db_table} item"
    " WHERE item.reading_list_id = list.id AND item.story_id = %s)"
    f" FROM {ReadingList._meta.db_table} list WHERE list.user_id = %s"
    " ORDER BY 1, 9 DESC, 8, 7, 2"
)
# The same, with a row of kind 2 where the reader subscribes to the work: the work page's
# subscribe button asks nothing more (archive/notifications/reader_parts.py).
_READER_STATE_AND_SUBSCRIPTION = _READER_STATE.replace(
    " ORDER BY",
    " UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"  # noqa: S608 - our table
    f" FROM {Subscription._meta.db_table} WHERE user_id = %s AND story_id = %s ORDER BY",
)


def reader_state(user, story: Story) -> tuple[Bookmark | None, list[ReadingList]]:
    """The reader's bookmark of this work (with its tags) and their reading lists, each knowing
    whether it holds the work: one query, whose values come out as the ORM gives them (aware
    datetimes on SQLite too: archive/core/raw_rows.py).

    Raw SQL, because this runs on every logged-in reader's work page, where building these
    queries through the ORM cost four times as long as running them (0.55 ms against 0.12 each)."""
    with connection.cursor() as cursor:
        cursor.execute(_READER_STATE, [user.pk, story.pk, story.pk, user.pk])
        return state_from_rows(user, story, cursor.fetchall())


def reader_rows(user_id: int, story_id: int) -> list[tuple]:
    """The rows of `reader_state` and a row of kind 2 if the reader subscribes to the work, in one
    query: what the work page's bookmark box and subscribe button show of the reader
    (`state_from_rows` makes the state of them)."""
    with connection.cursor() as cursor:
        cursor.execute(_READER_STATE_AND_SUBSCRIPTION, [user_id, story_id, story_id, user_id, user_id, story_id])
        return cursor.fetchall()


def state_from_rows(user, story: Story, rows: list[tuple]) -> tuple[Bookmark | None, list[ReadingList]]:
    bookmark_rows = [row for row in rows if row[0] == 0]
    bookmark = None
    if bookmark_rows:
        pk, note, private, created_at, updated_at = bookmark_rows[0][1:6]
        bookmark = from_row(
            Bookmark,
            ["id", "user_id", "story_id", "note", "private", "created_at", "updated_at"],
            [pk, user.pk, story.pk, note, private, created_at, updated_at],
        )
        tags = [BookmarkTag(pk=row[6], bookmark=bookmark, name=row[7]) for row in bookmark_rows if row[6] is not None]
        set_prefetched(bookmark, "tags", tags)
    lists = []
    for _, pk, name, builtin, created_at, *_, has_story in (row for row in rows if row[0] == 1):
        reading_list = from_row(
            ReadingList, ["id", "user_id", "name", "builtin", "created_at"], [pk, user.pk, name, builtin, created_at]
        )
        reading_list.has_story = bool(has_story)
        lists.append(reading_list)
    return bookmark, lists


def box_context(
    request: HttpRequest,
    story: Story,
    *,
    form: BookmarkForm | None = None,
    next_url: str | None = None,
    status: str = "",
    state: tuple | None = None,
) -> dict:
    """The box's context in at most three queries, none for a logged-out reader (none at all when
    the caller gives the reader's `state`)."""
    user = request.user
    next_url = next_url or request.get_full_path()
    context = {
        "story": story,
        "user": user,
        "next_url": next_url,
        "next_query": urlencode(next_url),  # as a link's ?next=
        "status": status,
        "can_bookmark": user.is_authenticated and not story.is_draft,
    }
    if not context["can_bookmark"]:
        return context
    bookmark, lists = state or reader_state(user, story)
    context.update(
        bookmark=bookmark,
        form=form or BookmarkForm(bookmark=bookmark, auto_id="bookmark_%s"),
        lists_with=[reading_list for reading_list in lists if reading_list.has_story],
        lists_without=[reading_list for reading_list in lists if not reading_list.has_story],
        # "Mark for later" is offered before it exists: adding to it makes it.
        offer_later=not any(reading_list.builtin for reading_list in lists),
        later=LATER,
    )
    return context
