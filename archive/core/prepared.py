"""Querysets run without building them again: the ORM's own SQL for a queryset, compiled once per
process with markers in place of its ids, then run with each call's ids through a cursor.

Building and compiling a queryset costs several times what running a simple one does (a work's
chapter index: 2.7 ms of CPU through the ORM against 0.4 ms as plain SQL). The queries a page
runs on every first visit (archive/chapters/reading.py) are written once, as querysets, where
the rules they follow are defined (`Story.objects.readable_by`...), and run through here:

    def _chapter(chapter_id):
        return Chapter.objects.filter(pk=chapter_id).values_list(*FIELDS)

    names, rows = prepared_rows(Chapter, _chapter, chapter_id)

`build` takes ids (ints) and returns a `values_list()` queryset; each id must reach the SQL as
parameters of its own (one wherever the queryset filters by it, in subqueries too), which
filtering a key or id by it does; else compiling says so.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections, router
from django.db.models import Model, QuerySet

# Ids no row has, found among a compiled query's parameters wherever the queryset filters by them.
_MARKER = 9_182_736_450_000


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    positions: tuple[tuple[int, ...], ...]  # where each id goes in `params`
    names: tuple[str, ...]  # the columns, as values_list() names them


@lru_cache(maxsize=128)
def _compiled(build: Callable[..., QuerySet], ids: int, vendor: str) -> _Compiled:
    markers = [_MARKER + position for position in range(ids)]
    queryset = build(*markers)
    sql, params = queryset.query.sql_with_params()
    params = tuple(params)
    positions = []
    for number, marker in enumerate(markers):
        found = tuple(position for position, param in enumerate(params) if type(param) is int and param == marker)
        if not found or str(marker) in sql:
            raise ValueError(f"{build.__qualname__}: id {number} is not a parameter of its SQL")
        positions.append(found)
    return _Compiled(sql, params, tuple(positions), tuple(queryset._fields))


def prepared_rows(model: type[Model], build: Callable[..., QuerySet], *ids: int) -> tuple[tuple[str, ...], list[tuple]]:
    """The column names and rows of `build(*ids)`, a queryset of `model`, from the database the
    ORM would read it from (a replica, in a web request that wrote nothing)."""
    connection = connections[router.db_for_read(model)]
    compiled = _compiled(build, len(ids), connection.vendor)
    params = list(compiled.params)
    for positions, value in zip(compiled.positions, ids, strict=True):
        for position in positions:
            params[position] = int(value)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        return compiled.names, cursor.fetchall()
