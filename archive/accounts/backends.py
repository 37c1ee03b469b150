"""Django's model backend, loading the logged-in user with one plain query.

Every logged-in request loads its user. Built through the ORM, `User.objects.get(pk=...)` cost
about 0.5 ms of CPU to compile, four times what running it costs, which was a tenth of a
logged-in reader's page served from the kept copy (archive/caching). The query is built once,
and also counts the user's unread notifications, which every logged-in page's header shows:
one round trip to the database instead of two. And the row is kept in the cache (kept.py), so a
reader's pages served from the cache ask the database nothing. Everything else (authenticating, permissions,
`is_active`) is Django's; a name typed at log-in finds its account in any case through the
user manager's `get_by_natural_key` (archive/accounts/models.py).
"""

from functools import lru_cache

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection

from archive.accounts import kept
from archive.accounts.models import User
from archive.core.raw_rows import converted
from archive.notifications.context_processors import unread_count_sql


@lru_cache(maxsize=1)
def _select() -> tuple[str, list[str]]:
    """The query and the fields' names."""
    fields = User._meta.concrete_fields
    table = User._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    unread = unread_count_sql(f"{connection.ops.quote_name(table)}.id")
    sql = f"SELECT {quoted}, ({unread}) FROM {connection.ops.quote_name(table)} WHERE id = %s"  # noqa: S608 - our table
    return sql, [field.attname for field in fields]


class ArchiveModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # Django's backend, listed after this one only for sessions it began, would hash the
            # password a second time: the answer is already no.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        sql, names = _select()
        user, token = kept.kept_user(User, user_id, names)
        if user is not None:
            return user if self.user_can_authenticate(user) else None
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        *row, unread = row
        values = converted(User, names, row)  # the ORM's values: an aware datetime on SQLite, say
        user = User.from_db(connection.alias, names, values)
        user.unread_count_on_load = unread  # the header's count (UnreadCount), read in the same query
        kept.keep(user, token, names, values)
        return user if self.user_can_authenticate(user) else None
