"""Read replicas: web requests read from PostgreSQL streaming replicas, everything else from the
primary (settings: DATABASE_REPLICA_URLS, REPLICA_PIN_SECONDS, REPLICA_MAX_LAG_SECONDS).

- Writes always go to the primary ("default"), and so do reads outside of a web request
  (background jobs read what the post that queued them just committed; commands, migrations).
- Read your own writes: once a request writes, its later reads go to the primary, and the
  visitor's next requests for REPLICA_PIN_SECONDS do too (a short-lived cookie, set by
  `ReplicaMiddleware` after any unsafe request), so a reader sees their comment at once. The
  cookie names no one and holds a time; the shared page cache and the proxy leave pages of
  visitors carrying it alone, like any other cookie but the CSRF token.
- A replica that is down or lags more than REPLICA_MAX_LAG_SECONDS is left out: each process
  asks each replica how far behind it is at most every CHECK_SECONDS, and a replica whose
  connection fails mid-request is left out at once (that request fails; the next ones don't).
  With no replica usable, reads go to the primary.
- Sessions, with the rows they depend on, are always read from the primary.
"""

import logging
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY = "default"
PIN_COOKIE = "primary_until"
CHECK_SECONDS = 2.0
# What a request may read from: None outside of a web request (the primary), else "replicas" or
# "primary" (it wrote, or its visitor did a moment ago).
_reading: ContextVar[str | None] = ContextVar("archive_replica_reading", default=None)

# Each process's view of its replicas: alias -> (usable, checked at, monotonic seconds).
_health: dict[str, tuple[bool, float]] = {}

_LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def lag_seconds(alias: str) -> float | None:
    """How far behind the primary this replica is (0 when it has replayed all it received); None
    for a server that is not a replica (a mirror in tests, or one promoted to primary)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(_LAG_SQL)
        (lag,) = cursor.fetchone()
    return None if lag is None else float(lag)


def _check(alias: str) -> bool:
    try:
        lag = lag_seconds(alias)
    except DatabaseError:
        logger.warning("Replica %s does not answer: reading from the primary", alias)
        connections[alias].close()
        return False
    usable = lag is None or lag <= settings.REPLICA_MAX_LAG_SECONDS
    if not usable:
        logger.warning("Replica %s is %.1f s behind: reading from the primary", alias, lag)
    return usable


def usable(alias: str) -> bool:
    now = time.monotonic()
    known = _health.get(alias)
    if known is None or now - known[1] >= CHECK_SECONDS:
        known = (_check(alias), now)
        _health[alias] = known
    return known[0]


def leave_out(alias: str) -> None:
    """Stop reading from this replica until the next check finds it well."""
    _health[alias] = (False, time.monotonic())


def pin_to_primary() -> None:
    """This request's remaining reads go to the primary (it wrote)."""
    if _reading.get() is not None:
        _reading.set("primary")


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if _reading.get() != "replicas" or model._meta.app_label == "sessions":
            return PRIMARY
        choices = [alias for alias in replicas() if usable(alias)]
        return random.choice(choices) if choices else PRIMARY  # noqa: S311 - spreading load, not secrets

    def db_for_write(self, model, **hints) -> str:
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the primary's very rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


class ReplicaMiddleware:
    """Lets the request read from replicas unless its visitor wrote a moment ago; after an unsafe
    request, keeps the visitor on the primary for REPLICA_PIN_SECONDS."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replicas():
            return self.get_response(request)
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        token = _reading.set("replicas" if safe and not self._pinned(request) else "primary")
        try:
            response = self.get_response(request)
        finally:
            _reading.reset(token)
        if not safe:
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time() + seconds)),
                max_age=int(seconds) or 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    @staticmethod
    def _pinned(request: HttpRequest) -> bool:
        try:
            return float(request.COOKIES.get(PIN_COOKIE, 0)) > time.time()
        except ValueError:
            return False


@receiver(connection_created)
def _watch_replica(sender, connection, **kwargs) -> None:
    """A replica whose connection fails mid-query is left out at once."""
    if connection.alias not in replicas():
        return

    def leave_out_on_failure(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except (OperationalError, InterfaceError):  # the server went away, or is shutting down
            leave_out(connection.alias)
            raise

    connection.execute_wrappers.append(leave_out_on_failure)
