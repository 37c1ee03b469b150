"""The bookmark box, the reader's own part of a work page (archive/caching/reader_parts.py): the
reader's bookmark and reading lists, and whether they subscribe to the work (for its subscribe
button), in one query, none for a guest."""

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
            pk,
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
        html.append(_addressed(box, request.get_full_path()))
    return html


# The box's forms send the reader back to the page they are on: remembered per state with these
# in place of its address, which each page puts in (made of characters no filter changes, and
# from the secret key, so no text of the box can pose as them).
@lru_cache(maxsize=1)
def _address_placeholders() -> tuple[str, str]:
    return f"bookmarkboxaddress{nonce()}plain", f"bookmarkboxaddress{nonce()}query"


def _addressless_context(request: HttpRequest, story: Story, state: tuple) -> dict:
    plain, query = _address_placeholders()
    return {**box_context(request, story, state=state), "next_url": plain, "next_query": query}


def _addressed(box: str, path: str) -> str:
    """The remembered box with the page's address in it, as the template writes it."""
    plain, query = _address_placeholders()
    return box.replace(plain, escape(path)).replace(query, escape(urlencode(path)))
