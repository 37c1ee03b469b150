"""Django's model backend, loading the logged-in user with one plain query.

Every logged-in request loads its user. Built through the ORM, `User.objects.get(pk=...)` cost
about 0.5 ms of CPU to compile, four times what running it costs, which was a tenth of a
logged-in reader's page served from the kept copy (archive/caching). The query is built once,
and also counts the user's unread notifications, which every logged-in page's header shows:
one round trip to the database instead of two. Everything else (authenticating, permissions,
`is_active`) is Django's; a name typed at log-in finds its account in any case through the
user manager's `get_by_natural_key` (archive/accounts/models.py).
"""

from functools import lru_cache

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models.expressions import Col

from archive.accounts.models import User
from archive.notifications.context_processors import unread_count_sql


@lru_cache(maxsize=1)
def _select() -> tuple[str, list[str], list[tuple]]:
    """The query, the fields' names, and each column's converters (what the ORM's compiler
    applies to a value read from this database: an aware datetime on SQLite, say)."""
    fields = User._meta.concrete_fields
    table = User._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    unread = unread_count_sql(f"{connection.ops.quote_name(table)}.id")
    sql = f"SELECT {quoted}, ({unread}) FROM {connection.ops.quote_name(table)} WHERE id = %s"  # noqa: S608 - our table
    converters = []
    for field in fields:
        column = Col(table, field)
        converters.append((connection.ops.get_db_converters(column) + column.get_db_converters(connection), column))
    return sql, [field.attname for field in fields], converters


class ArchiveModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # Django's backend, listed after this one only for sessions it began, would hash the
            # password a second time: the answer is already no.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        sql, names, converters = _select()
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        *row, unread = row
        values = []
        for value, (functions, column) in zip(row, converters, strict=True):
            for function in functions:
                value = function(value, column, connection)
            values.append(value)
        user = User.from_db(connection.alias, names, values)
        user.unread_count_on_load = unread  # the header's count (UnreadCount), read in the same query
        return user if self.user_can_authenticate(user) else None
