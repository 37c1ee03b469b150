from functools import cached_property

from django.http import HttpRequest

from archive.notifications.models import Notification

# The header says "99+" past this; counting further buys a reader nothing.
UNREAD_CAP = 99


class UnreadCount:
    """The header's unread count: one query on the partial unread index, only when shown, and
    none for guests."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def count(self) -> int:
        if not self._user.is_authenticated:
            return 0
        return Notification.objects.unread().filter(recipient=self._user)[: UNREAD_CAP + 1].count()

    @property
    def label(self) -> str:
        return f"{UNREAD_CAP}+" if self.count > UNREAD_CAP else str(self.count)

    def __bool__(self) -> bool:
        return self.count > 0

    def __str__(self) -> str:
        return self.label


def unread_notifications(request: HttpRequest) -> dict:
    return {"unread_notifications": UnreadCount(request.user)}
