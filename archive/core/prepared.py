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

Writes that run on every comment, kudos and chapter (a work's counts recounted from their rows:
archive/stories/counts.py) go the same way: `prepared_update(model, build, *ids)`, where `build`
returns the queryset and the values `update()` would be given, and `prepared_rows(..., write=True)`
for a `select_for_update()` that locks the rows first, on the database that is written to.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql import UpdateQuery

# Ids no row has, found among a compiled query's parameters wherever the queryset filters by them.
_MARKER = 9_182_736_450_000


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    positions: tuple[tuple[int, ...], ...]  # where each id goes in `params`
    names: tuple[str, ...]  # the columns, as values_list() names them


def _with_markers(build: Callable, ids: int, compile_sql: Callable) -> tuple[str, tuple, tuple]:
    """`compile_sql(build(*markers))`'s SQL and parameters, and where each marker is among them."""
    markers = [_MARKER + position for position in range(ids)]
    built = build(*markers)
    sql, params = compile_sql(built)
    params = tuple(params)
    positions = []
    for number, marker in enumerate(markers):
        found = tuple(position for position, param in enumerate(params) if type(param) is int and param == marker)
        if not found or str(marker) in sql:
            raise ValueError(f"{build.__qualname__}: id {number} is not a parameter of its SQL")
        positions.append(found)
    return sql, params, tuple(positions)


@lru_cache(maxsize=128)
def _compiled(build: Callable[..., QuerySet], ids: int, vendor: str) -> _Compiled:
    names = []

    def compile_sql(queryset: QuerySet):
        names.extend(queryset._fields)
        return queryset.query.sql_with_params()

    sql, params, positions = _with_markers(build, ids, compile_sql)
    return _Compiled(sql, params, positions, tuple(names))


@lru_cache(maxsize=128)
def _compiled_update(build: Callable[..., tuple[QuerySet, dict]], ids: int, alias: str) -> _Compiled:
    def compile_sql(built: tuple[QuerySet, dict]):
        # What QuerySet.update() compiles, without running it.
        queryset, values = built
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(values)
        query.annotations = {}
        compiler = query.get_compiler(alias)
        compiler.pre_sql_setup()
        return compiler.as_sql()

    sql, params, positions = _with_markers(build, ids, compile_sql)
    return _Compiled(sql, params, positions, ())


def _run(connection, compiled: _Compiled, ids: tuple[int, ...]):
    params = list(compiled.params)
    for positions, value in zip(compiled.positions, ids, strict=True):
        for position in positions:
            params[position] = int(value)
    cursor = connection.cursor()
    cursor.execute(compiled.sql, params)
    return cursor


def prepared_rows(
    model: type[Model], build: Callable[..., QuerySet], *ids: int, write: bool = False
) -> tuple[tuple[str, ...], list[tuple]]:
    """The column names and rows of `build(*ids)`, a queryset of `model`, from the database the
    ORM would read it from (a replica, in a web request that wrote nothing), or with `write` from
    the one it writes to (a `select_for_update()`)."""
    connection = connections[router.db_for_write(model) if write else router.db_for_read(model)]
    compiled = _compiled(build, len(ids), connection.vendor)
    with _run(connection, compiled, ids) as cursor:
        return compiled.names, cursor.fetchall()


def prepared_update(model: type[Model], build: Callable[..., tuple[QuerySet, dict]], *ids: int) -> int:
    """`queryset.update(**values)` for `build(*ids)` = (queryset, values), a queryset of `model`
    and the values for one table; returns the number of rows updated."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    with _run(connection, _compiled_update(build, len(ids), alias), ids) as cursor:
        return cursor.rowcount
