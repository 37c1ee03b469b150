"""The bookmark box, the reader's own part of a work page (archive/caching/reader_parts.py): the
reader's bookmark and reading lists, and whether they subscribe to the work (for its subscribe
button), in one query, none for a guest; kept in the cache a minute, under the reader's account
version. Rendered once per state the box shows, whatever the work and page."""

from functools import lru_cache, partial

from django.http import HttpRequest
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import escape

from archive.accounts.kept import for_account
from archive.bookmarks.box import box_context, reader_rows, state_from_rows
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
        rows = _reader_rows(user, story.pk)
        remember_subscription(request, story.pk, any(row[0] == 2 for row in rows))
        bookmark_rows = [row for row in rows if row[0] == 0]
        shown = (
            user.username,
            bookmark_count,
            bookmark_rows
            and (
                *bookmark_rows[0][1:5],  # id, note, private, created_at
                [row[7] for row in bookmark_rows if row[6] is not None],  # its tags' names
            ),
            [(row[1], row[2], row[3], bool(row[9])) for row in rows if row[0] == 1],  # id, name, builtin, has the work
        )
        box = remembered("bookmark", TEMPLATE, shown, partial(_addressless_context, request, story, rows))
        html.append(_addressed(box, story.pk, request.get_full_path()))
    return html


def _state_key(user_id: int, story_id: int) -> str:
    return f"bookmark-box:{user_id}:{story_id}"


def state_keys(request: HttpRequest, items: list[tuple]) -> list[str]:
    """The cache keys `bookmark_box` reads for these items: the reader's state for each work."""
    user = request.user
    if not user.is_authenticated or getattr(user, "account_token", None) is None:
        return []
    return [_state_key(user.pk, int(pk)) for pk, _, draft in items if draft != "1"]


def _reader_rows(user, story_id: int) -> list[tuple]:
    """The reader's bookmark, reading lists and subscription for the work (`box.reader_rows`),
    kept under the account's version (archive/accounts/kept.py)."""
    return for_account(user, _state_key(user.pk, story_id), lambda: reader_rows(user.pk, story_id))


# The box links the work and sends the reader back to the page they are on: it is remembered per
# state (the same for every work the reader has not bookmarked nor listed) with these in place of
# the work's id and the page's address, which each page puts in. Made of characters no filter
# changes, and from the secret key, so no text in the box can pose as them.
@lru_cache(maxsize=1)
def _placeholders() -> tuple[int, str, str]:
    return 10**15 + int(nonce(), 16), f"bookmarkboxaddress{nonce()}plain", f"bookmarkboxaddress{nonce()}query"


def _addressless_context(request: HttpRequest, story: Story, rows: list[tuple]) -> dict:
    work, plain, query = _placeholders()
    anywork = Story(pk=work, bookmark_count=story.bookmark_count, published_at=story.published_at)
    state = state_from_rows(request.user, story, rows)
    return {**box_context(request, anywork, state=state), "next_url": plain, "next_query": query}


def _addressed(box: str, story_id: int, path: str) -> str:
    """The remembered box with the work's id and the page's address in it, as the template writes them."""
    work, plain, query = _placeholders()
    return (
        box.replace(str(work), str(int(story_id))).replace(plain, escape(path)).replace(query, escape(urlencode(path)))
    )
