"""The header's links, the one part of every page that is the visitor's own (their name, their
unread count, the log-out form): archive/caching/reader_parts.py."""

from django.http import HttpRequest
from django.template.loader import get_template

from archive.caching.reader_parts import remembered
from archive.notifications.context_processors import UnreadCount

TEMPLATE = "includes/header_links.html"


def header_links(request: HttpRequest, items: list[tuple]) -> list[str]:
    user = request.user
    if user.is_authenticated:
        unread = UnreadCount(user)
        shown = {"username": user.username, "is_staff": user.is_staff, "unread": unread.label if unread else ""}
        html = remembered("header", TEMPLATE, shown)
    else:
        html = get_template(TEMPLATE).render({"next": request.get_full_path()})
    return [html] * len(items)
