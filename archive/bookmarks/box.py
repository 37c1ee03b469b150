"""The bookmark box on the work and chapter pages: what the reader has bookmarked and listed.

Rendered by the `{% bookmark_box story %}` tag and, after a form in it is sent with JavaScript,
returned alone as the fragment that replaces it (so the page never reloads).
"""

from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from archive.bookmarks.forms import BookmarkForm
from archive.bookmarks.models import Bookmark, ReadingList, ReadingListItem
from archive.stories.models import Story

LATER = "later"


def box_context(
    request: HttpRequest,
    story: Story,
    *,
    form: BookmarkForm | None = None,
    next_url: str | None = None,
    status: str = "",
) -> dict:
    """The box's context in at most three queries, none for a logged-out reader."""
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
    bookmark = Bookmark.objects.filter(user=user, story=story).prefetch_related("tags").first()
    lists = list(
        ReadingList.objects.filter(user=user).annotate(
            has_story=Exists(ReadingListItem.objects.filter(reading_list=OuterRef("pk"), story=story))
        )
    )
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
