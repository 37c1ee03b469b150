"""The bookmark box on the work and chapter pages: what the reader has bookmarked and listed.

Rendered by the `{% bookmark_box story %}` tag and, after a form in it is sent with JavaScript,
returned alone as the fragment that replaces it (so the page never reloads).
"""

from django.db.models import prefetch_related_objects
from django.http import HttpRequest

from archive.bookmarks.forms import BookmarkForm
from archive.bookmarks.models import Bookmark, ReadingList, ReadingListItem
from archive.stories.models import Story

LATER = "later"


def reader_state(user, story: Story) -> tuple[Bookmark | None, list[ReadingList]]:
    """The reader's bookmark of this work (with its tags) and their reading lists, each knowing
    whether it holds the work: two queries (three with a bookmark).

    Raw SQL, because this runs on every logged-in reader's work page, where building these two
    queries through the ORM cost four times as long as running them (0.55 ms against 0.12 each)."""
    bookmarks = Bookmark.objects.raw(
        f"SELECT * FROM {Bookmark._meta.db_table} WHERE user_id = %s AND story_id = %s",  # noqa: S608 - our table
        [user.pk, story.pk],
    )
    bookmark = next(iter(bookmarks), None)
    if bookmark is not None:
        prefetch_related_objects([bookmark], "tags")
    lists = ReadingList.objects.raw(
        f"SELECT list.*, EXISTS(SELECT 1 FROM {ReadingListItem._meta.db_table} item"  # noqa: S608 - our tables
        " WHERE item.reading_list_id = list.id AND item.story_id = %s) AS has_story"
        f" FROM {ReadingList._meta.db_table} list WHERE list.user_id = %s"
        " ORDER BY list.builtin DESC, LOWER(list.name), list.id",  # ReadingList.Meta.ordering
        [story.pk, user.pk],
    )
    return bookmark, list(lists)


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
    context = {
        "story": story,
        "user": user,
        "next_url": next_url or request.get_full_path(),
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
