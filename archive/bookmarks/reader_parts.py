"""The bookmark box, the reader's own part of a work page (archive/caching/reader_parts.py): the
reader's bookmark and reading lists, and whether they subscribe to the work (for its subscribe
button), in one query, none for a guest."""

from functools import partial

from django.http import HttpRequest
from django.template.loader import get_template
from django.utils import timezone

from archive.bookmarks.box import box_context, reader_state_and_subscription
from archive.caching.reader_parts import remembered
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
            request.get_full_path(),
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
        html.append(remembered("bookmark", TEMPLATE, shown, partial(box_context, request, story, state=state)))
    return html
