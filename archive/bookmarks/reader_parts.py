"""The bookmark box, the reader's own part of a work page (archive/caching/reader_parts.py): the
reader's bookmark and reading lists, and whether they subscribe to the work (for its subscribe
button), in one query, none for a guest. Rendered once per state the box shows, whatever the
work and page."""

from functools import lru_cache, partial

from django.http import HttpRequest
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import escape

from archive.bookmarks.box import box_context, reader_state_and_subscription
from archive.caching.reader_parts import nonce, remembered
from archive.notifications.reader_parts import remember_subscription
from archive.stories.models import Story

TEMPLATE = "bookmarks/includes/bookmark_box_tag.html"


def bookmark_box(request: HttpRequest, items: list[tuple]) -> list[str]:
    """Each item (from `{% bookmark_box %}`): the work's id, its bookmark count and whether it is
    a draft, which is all the box shows of the work itself."""
    user = request.user
    html = []
    for pk, bookmark_count, draft in items:
        # The box reads only these of the work: no need to load it.
        story = Story(
            pk=int(pk), bookmark_count=int(bookmark_count), published_at=None if draft == "1" else timezone.now()
        )
        if not user.is_authenticated or story.is_draft:
            html.append(get_template(TEMPLATE).render(box_context(request, story), request))
            continue
        state, subscribed = reader_state_and_subscription(user, story)
        remember_subscription(request, story.pk, subscribed)
        bookmark, lists = state
        shown = (
            user.username,
            bookmark_count,
            bookmark
            and (
                bookmark.pk,
                bookmark.private,
                bookmark.created_at,
                bookmark.note,
                [tag.name for tag in bookmark.tags.all()],
            ),
            [
                (reading_list.pk, reading_list.name, reading_list.builtin, reading_list.has_story)
                for reading_list in lists
            ],
        )
        box = remembered("bookmark", TEMPLATE, shown, partial(_addressless_context, request, story, state))
        html.append(_addressed(box, story.pk, request.get_full_path()))
    return html


# The box links the work and sends the reader back to the page they are on: it is remembered per
# state (the same for every work the reader has not bookmarked nor listed) with these in place of
# the work's id and the page's address, which each page puts in. Made of characters no filter
# changes, and from the secret key, so no text in the box can pose as them.
@lru_cache(maxsize=1)
def _placeholders() -> tuple[int, str, str]:
    return 10**15 + int(nonce(), 16), f"bookmarkboxaddress{nonce()}plain", f"bookmarkboxaddress{nonce()}query"


def _addressless_context(request: HttpRequest, story: Story, state: tuple) -> dict:
    work, plain, query = _placeholders()
    anywork = Story(pk=work, bookmark_count=story.bookmark_count, published_at=story.published_at)
    return {**box_context(request, anywork, state=state), "next_url": plain, "next_query": query}


def _addressed(box: str, story_id: int, path: str) -> str:
    """The remembered box with the work's id and the page's address in it, as the template writes them."""
    work, plain, query = _placeholders()
    return (
        box.replace(str(work), str(int(story_id))).replace(plain, escape(path)).replace(query, escape(urlencode(path)))
    )
