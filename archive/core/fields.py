"""A set of integer ids in one column: bigint[] on PostgreSQL, JSON text on SQLite.

Stories keep the ids of their (canonical) tags here so that "has all of these, none of those"
is one GIN-indexed test on PostgreSQL (`@>`, `&&`) instead of a join per tag. SQLite, the
quickstart database, stores the same list as JSON and answers the same lookups with json_each.
"""

import json

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import FieldGetDbPrepValueMixin


class IdArrayField(models.Field):
    description = "A list of integer ids"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def db_type(self, connection) -> str:
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        ids = [int(item) for item in value]
        return ids if connection.vendor == "postgresql" else json.dumps(ids)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return json.loads(value) if isinstance(value, str) else list(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value


class _IdArrayLookup(FieldGetDbPrepValueMixin, Lookup):
    pg_operator = ""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {self.pg_operator} {rhs}::bigint[]", [*lhs_params, *rhs_params]


def _sqlite_subset(part: tuple[str, list], *, of: tuple[str, list]) -> tuple[str, list]:
    """SQLite: every id of the JSON list `part` is in the JSON list `of`. Each is compiled SQL with
    placeholders, and its values travel as parameters."""
    (inner, inner_params), (outer, outer_params) = part, of
    sql = f"NOT EXISTS (SELECT value FROM json_each({inner}) EXCEPT SELECT value FROM json_each({outer}))"  # noqa: S608
    return sql, [*inner_params, *outer_params]


@IdArrayField.register_lookup
class HasAll(_IdArrayLookup):
    """Every id given is in the set."""

    lookup_name = "has_all"
    pg_operator = "@>"

    def as_sql(self, compiler, connection):
        lhs, rhs = self.process_lhs(compiler, connection), self.process_rhs(compiler, connection)
        return _sqlite_subset(rhs, of=lhs)


@IdArrayField.register_lookup
class HasAny(_IdArrayLookup):
    """At least one id given is in the set."""

    lookup_name = "has_any"
    pg_operator = "&&"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE value IN (SELECT value FROM json_each({rhs})))"  # noqa: S608
        return sql, [*lhs_params, *rhs_params]


@IdArrayField.register_lookup
class ContainedBy(_IdArrayLookup):
    """Every id in the set is among those given (an empty set always is): `<@`, which a GIN
    index on the column serves (archive/search/alerts.py finds saved searches with it)."""

    lookup_name = "contained_by"
    pg_operator = "<@"

    def as_sql(self, compiler, connection):
        lhs, rhs = self.process_lhs(compiler, connection), self.process_rhs(compiler, connection)
        return _sqlite_subset(lhs, of=rhs)
