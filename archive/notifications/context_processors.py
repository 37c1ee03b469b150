from functools import cached_property

from django.db import connection
from django.http import HttpRequest

from archive.notifications.models import Notification

# The header says "99+" past this; counting further buys a reader nothing.
UNREAD_CAP = 99


def unread_count_sql(recipient: str) -> str:
    """SQL counting the unread notifications of the user `recipient` (a column or a placeholder)
    names, up to one past the cap, on the partial unread index. Raw SQL: on every logged-in page,
    where building it through the ORM cost four times as long as running it. The same as
    `unread().filter(recipient=...)[:UNREAD_CAP + 1].count()`."""
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {Notification._meta.db_table}"  # noqa: S608 - our table
        f" WHERE recipient_id = {recipient} AND read_at IS NULL LIMIT {UNREAD_CAP + 1}) AS unread"
    )


class UnreadCount:
    """The header's unread count: none for guests, none when the user was loaded with it (the
    logged-in visitor, archive/accounts/backends.py), else one query, only when shown."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def count(self) -> int:
        if not self._user.is_authenticated:
            return 0
        known = getattr(self._user, "unread_count_on_load", None)
        if known is not None:
            return known
        with connection.cursor() as cursor:
            cursor.execute(unread_count_sql("%s"), [self._user.pk])
            return cursor.fetchone()[0]

    @property
    def label(self) -> str:
        return f"{UNREAD_CAP}+" if self.count > UNREAD_CAP else str(self.count)

    def __bool__(self) -> bool:
        return self.count > 0

    def __str__(self) -> str:
        return self.label


def unread_notifications(request: HttpRequest) -> dict:
    return {"unread_notifications": UnreadCount(request.user)}
