"""Model instances from rows read with plain SQL, holding the values the ORM would have given.

A few hot queries are written in SQL (the logged-in user, a reader's bookmark box), because
building them through the ORM cost several times what running them does. The database driver's
values are not always what the ORM hands over: SQLite gives a naive datetime where the ORM gives
an aware one in UTC, and a 0 or 1 where it gives a bool. `from_row` applies each field's
converters for this database, as the ORM's compiler does, before it builds the instance.
"""

from collections.abc import Sequence
from functools import lru_cache

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import Col


@lru_cache(maxsize=64)
def _converters(model: type[Model], names: tuple[str, ...]) -> tuple:
    """For each field (by name or attname), its converters on this database and its column."""
    found = []
    for name in names:
        column = Col(model._meta.db_table, model._meta.get_field(name))
        found.append((tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection)), column))
    return tuple(found)


def converted(model: type[Model], names: Sequence[str], values: Sequence) -> list:
    """`values`, read from these fields' columns, as the ORM would give them."""
    result = []
    for value, (functions, column) in zip(values, _converters(model, tuple(names)), strict=True):
        for function in functions:
            value = function(value, column, connection)
        result.append(value)
    return result


def from_row(model: type[Model], names: Sequence[str], values: Sequence) -> Model:
    """An instance of `model` loaded from these fields' values, as a queryset would load it."""
    return model.from_db(connection.alias, list(names), converted(model, names, values))


def set_prefetched(instance: Model, name: str, rows: list) -> None:
    """What `prefetch_related(name)` leaves on `instance`: `instance.<name>.all()` is `rows`."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
