"""Hits: how many visitors opened a work, counted once per visitor per work per UTC day.

A page view writes nothing to the database. `count_hit` (called by the work, chapter and
entire-work views) works in the cache alone:

1. The visitor is the user's id when logged in, else an HMAC (keyed with SECRET_KEY) of the
   client's address and User-Agent: the address itself is kept nowhere, not even in a cache key.
2. `cache.add` of "hits:seen:<day>:<work>:<visitor>", expiring at the end of the UTC day,
   succeeds once per visitor, work and day; every later view that day stops there.
3. That first view adds one to the work's pending count ("hits:pending:<work>") and the work's
   id to the dirty set of works with pending counts. On Redis (production) steps 2 and 3 are one
   round trip, a script of SET NX and, if it set the key, INCR, EXPIRE and SADD into a Redis
   set, which the flush empties with SPOP (a page served from the shared page cache marks the
   visitor in its own lookup, then adds the hit in a pipeline of the last three).
   On any other cache the set is a Python set in a few shards, each rewritten under a short lock
   when a work joins it (and a "hits:queued:<work>" key says the work is already in it).

`manage.py flush_hits` (cron, every minute) empties the dirty set and moves the pending counts
into `Story.hit_count` with one `UPDATE ... FROM (VALUES ...)` per thousand works, then takes the
moved amounts off the pending counts, so a view counted meanwhile waits for the next flush and
is never lost or counted twice. It writes each work's new total to the cache ("hits:total:<work>",
`shown_totals` reads it), where the shared page cache fills it into kept work pages as it serves
them (archive/caching/counters.py): a flush changes no page version, so kept pages stay kept.

In production the cache is Redis, shared by every gunicorn worker, so cron's flush sees every
worker's counts. With the local-memory cache (development, tests, `make run`) each process keeps
its own pending counts, which no other process (cron included) can see, so the process flushes
them itself: when its pending total reaches FLUSH_THRESHOLD, or on a reading page view a minute
or more after it began collecting. In `make run`, hits appear on the next view after a minute.
`settings.HITS_FLUSH_IN_PROCESS` (True or False) overrides that choice.
"""

import hashlib
import hmac
import logging
import math
import time as monotonic_clock
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from archive.caching.redis import native_client
from archive.core.ratelimits import client_ip
from archive.stories.models import Story

SEEN = "hits:seen:{day}:{story_id}:{visitor}"
PENDING = "hits:pending:{story_id}"
TOTAL = "hits:total:{story_id}"  # the work's hit_count after the last flush that moved it
QUEUED = "hits:queued:{story_id}"  # present while the work's id is in the dirty set
DIRTY = "hits:dirty:{shard}"
DIRTY_SET = "hits:dirty"  # on Redis: one Redis set of work ids
LOCK = "hits:lock:{shard}"
PENDING_TOTAL = "hits:pending-total"  # in-process flushing only
COLLECTING_SINCE = "hits:collecting-since"  # in-process flushing only

DIRTY_SHARDS = 16
# A pending count lives this long after its last flush; cron flushes every minute.
PENDING_TIMEOUT = 7 * 24 * 3600
TOTAL_TIMEOUT = 7 * 24 * 3600  # longer than any kept page lives (settings.WORK_PAGE_CACHE_SECONDS)
FLUSH_THRESHOLD = 100
FLUSH_INTERVAL = timedelta(minutes=1)
BATCH_SIZE = 1000

logger = logging.getLogger(__name__)


def clock() -> datetime:
    """The time hits are counted by; tests pass `now` to `count_hit` instead."""
    return timezone.now()


def visitor_key(request: HttpRequest) -> str:
    """Who is visiting: the user's id, or for a guest a keyed hash of address and browser."""
    if request.user.is_authenticated:
        return f"user-{request.user.pk}"
    return _guest_key(request)


def _guest_key(request: HttpRequest) -> str:
    message = f"hits\n{client_ip(request)}\n{request.META.get('HTTP_USER_AGENT', '')}".encode()
    return "guest-" + hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def _seconds_left_in_day(moment: datetime) -> int:
    utc = moment.astimezone(UTC)
    midnight = datetime.combine(utc.date() + timedelta(days=1), time.min, tzinfo=UTC)
    return max(1, math.ceil((midnight - utc).total_seconds()))


def count_hit(request: HttpRequest, story: Story, *, now: datetime | None = None) -> bool:
    """Count this view of `story` if it is the visitor's first today; True if it counted.

    Drafts, the authors' own views and HEAD requests never count. Costs no query (see the
    module docstring); `now` stands in for the clock in tests.
    """
    moment = now or clock()
    in_process = _flushes_in_process()
    if in_process:
        _flush_if_due(moment)
    if request.method != "GET" or story.is_draft or story.is_written_by(request.user):
        return False
    request.hit_counted_on = story.pk  # the shared page cache counts its later views (archive/caching)
    return _count(story.pk, visitor_key(request), moment, in_process)


def guest_seen_key(request: HttpRequest, story_id: int) -> tuple[str, int]:
    """For a logged-out GET of a posted work's page served from the shared page cache (which
    renders nothing, so never reaches `count_hit`): the cache key that marks this visitor as
    seen on this work today, and its timeout. Whoever adds it first calls `count_first_view`."""
    moment = clock()
    if _flushes_in_process():
        _flush_if_due(moment)
    return _seen_key(story_id, _guest_key(request), moment), _seconds_left_in_day(moment)


def count_guest_view(request: HttpRequest, story_id: int) -> bool:
    """Count a logged-out GET of a posted work's page served from the shared page cache, if it is
    the visitor's first today; True if it counted."""
    seen, timeout = guest_seen_key(request, story_id)
    return _first_view(story_id, seen, timeout, clock(), _flushes_in_process())


def reader_seen_key(request: HttpRequest, story_id: int) -> tuple[str, int]:
    """`guest_seen_key` for a logged-in reader served the readers' copy of a posted work's page
    (archive/caching, never served to the work's authors)."""
    moment = clock()
    if _flushes_in_process():
        _flush_if_due(moment)
    return _seen_key(story_id, visitor_key(request), moment), _seconds_left_in_day(moment)


def count_reader_view(request: HttpRequest, story_id: int) -> bool:
    """Count a logged-in reader's view of a posted work's page served from the readers' copy, if
    it is their first today; True if it counted."""
    seen, timeout = reader_seen_key(request, story_id)
    return _first_view(story_id, seen, timeout, clock(), _flushes_in_process())


def count_first_view(story_id: int) -> None:
    """Count a hit whose seen key (`guest_seen_key`) the caller has just added."""
    _after_first_view(story_id, clock(), _flushes_in_process())


def _seen_key(story_id: int, visitor: str, moment: datetime) -> str:
    return SEEN.format(day=moment.astimezone(UTC).date().isoformat(), story_id=story_id, visitor=visitor)


def _count(story_id: int, visitor: str, moment: datetime, in_process: bool) -> bool:
    return _first_view(story_id, _seen_key(story_id, visitor, moment), _seconds_left_in_day(moment), moment, in_process)


# On Redis, marking the visitor seen and, if they were not, adding their hit to the work's pending
# count and the work to the dirty set: one round trip, where it took two.
_SEEN_AND_PENDING = """
if redis.call('SET', KEYS[1], 1, 'EX', ARGV[1], 'NX') then
    redis.call('INCR', KEYS[2])
    redis.call('EXPIRE', KEYS[2], ARGV[2])
    redis.call('SADD', KEYS[3], ARGV[3])
    return 1
end
return 0
"""
_scripts: dict[int, object] = {}


def _first_view(story_id: int, seen: str, timeout: int, moment: datetime, in_process: bool) -> bool:
    """Mark the visitor `seen` (for `timeout` seconds) and count the view if they were not; True
    if it counted."""
    if (native := native_client()) is not None:
        redis_cache, client = native
        script = _scripts.get(id(client))
        if script is None:
            script = _scripts[id(client)] = client.register_script(_SEEN_AND_PENDING)
        keys = [PENDING.format(story_id=story_id), DIRTY_SET]
        if not script(
            keys=[redis_cache.make_and_validate_key(key) for key in (seen, *keys)],
            args=[timeout, PENDING_TIMEOUT, story_id],
        ):
            return False
        _after_pending(moment, in_process)
        return True
    if not cache.add(seen, 1, timeout=timeout):
        return False
    _after_first_view(story_id, moment, in_process)
    return True


def _after_first_view(story_id: int, moment: datetime, in_process: bool) -> None:
    _add_pending(story_id)
    _after_pending(moment, in_process)


def _after_pending(moment: datetime, in_process: bool) -> None:
    if in_process:
        cache.add(COLLECTING_SINCE, moment.timestamp(), timeout=None)
        if _incr(PENDING_TOTAL, timeout=None) >= FLUSH_THRESHOLD:
            _flush_in_process()


def pending_hits(story_id: int) -> int:
    """Hits counted for a work but not yet in its `hit_count`."""
    return cache.get(PENDING.format(story_id=story_id)) or 0


def flush_hits() -> int:
    """Move every pending count into `Story.hit_count`; returns how many hits moved."""
    story_ids = _take_dirty_set() if native_client() is not None else _take_dirty()
    moved = 0
    try:
        ordered = sorted(story_ids)
        for chunk in (ordered[start : start + BATCH_SIZE] for start in range(0, len(ordered), BATCH_SIZE)):
            keys = {PENDING.format(story_id=story_id): story_id for story_id in chunk}
            counts = {keys[key]: count for key, count in cache.get_many(keys).items() if count > 0}
            if counts:
                _add_to_hit_counts(counts)
            for story_id, count in counts.items():
                key = PENDING.format(story_id=story_id)
                try:
                    cache.decr(key, count)
                except ValueError:  # evicted meanwhile: nothing left to take off
                    continue
                cache.touch(key, PENDING_TIMEOUT)
            moved += sum(counts.values())
            story_ids -= set(chunk)
    finally:
        # A failed UPDATE leaves its counts pending: put those works back for the next flush.
        _mark_dirty(story_ids)
    return moved


def add_hits(counts: dict[int, int]) -> None:
    """Add hits counted elsewhere (the demo archive's) straight to these works' hit counts."""
    counts = {story_id: count for story_id, count in counts.items() if count > 0}
    if counts:
        _add_to_hit_counts(counts)


def total_key(story_id: int) -> str:
    """The cache key of a work's hit count as of the last flush (the page cache reads it)."""
    return TOTAL.format(story_id=story_id)


def shown_totals(found: dict[str, int], story_ids: Iterable[int]) -> dict[int, int]:
    """From what a `get_many` of these works' `total_key`s found: each work's latest total."""
    return {story_id: found[key] for story_id in story_ids if (key := total_key(story_id)) in found}


def _add_to_hit_counts(counts: dict[int, int]) -> None:
    # Column names column1, column2 are what both PostgreSQL and SQLite call a VALUES list's.
    rows = ", ".join(["(CAST(%s AS bigint), CAST(%s AS integer))"] * len(counts))
    table = connection.ops.quote_name(Story._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET hit_count = {table}.hit_count + v.column2 "  # noqa: S608 (only placeholders)
            f"FROM (VALUES {rows}) AS v WHERE {table}.id = v.column1 RETURNING id, hit_count",
            [value for pair in counts.items() for value in pair],
        )
        totals = {total_key(story_id): total for story_id, total in cursor.fetchall()}
    # Kept pages show these instead of the counts they were rendered with. Should the UPDATE roll
    # back, its counts stay pending and the next flush moves them again, to these same totals.
    _keep_totals(totals)


def _keep_totals(totals: dict[str, int]) -> None:
    try:
        cache.set_many(totals, timeout=TOTAL_TIMEOUT)
    except Exception:  # the counts are in the database; a kept page shows its own until it is rebuilt
        logger.exception("could not keep the new hit totals of %d works", len(totals))


# The cache's counters and the dirty set.


def _incr(key: str, delta: int = 1, *, timeout: int | None = PENDING_TIMEOUT) -> int:
    """Add to a counter, starting it if absent (atomic in Redis and within a process)."""
    try:
        return cache.incr(key, delta)
    except ValueError:
        if cache.add(key, delta, timeout=timeout):
            return delta
        return cache.incr(key, delta)


def _add_pending(story_id: int) -> None:
    if (native := native_client()) is not None:
        redis_cache, client = native
        pending = redis_cache.make_and_validate_key(PENDING.format(story_id=story_id))
        with client.pipeline(transaction=False) as pipeline:
            # A plain integer, as Django's Redis cache stores one: cache.get and cache.decr read it.
            pipeline.incr(pending)
            pipeline.expire(pending, PENDING_TIMEOUT)
            pipeline.sadd(redis_cache.make_and_validate_key(DIRTY_SET), story_id)
            pipeline.execute()
        return
    _incr(PENDING.format(story_id=story_id))
    if cache.add(QUEUED.format(story_id=story_id), 1, timeout=None):
        _mark_dirty([story_id], queued=True)


def _shard(story_id: int) -> int:
    return story_id % DIRTY_SHARDS


@contextmanager
def _locked(shard: int) -> Iterator[None]:
    """A short lock on one shard of the dirty set, across workers (cache.add is atomic)."""
    key, token = LOCK.format(shard=shard), uuid.uuid4().hex
    deadline = monotonic_clock.monotonic() + 2
    # A holder that died lets go when its lock expires; past the deadline, go ahead anyway
    # rather than drop a work from the set.
    while not cache.add(key, token, timeout=5) and monotonic_clock.monotonic() < deadline:
        monotonic_clock.sleep(0.005)
    try:
        yield
    finally:
        if cache.get(key) == token:
            cache.delete(key)


def _mark_dirty(story_ids: Iterable[int], *, queued: bool = False) -> None:
    if (native := native_client()) is not None:
        story_ids = list(story_ids)
        if story_ids:
            redis_cache, client = native
            client.sadd(redis_cache.make_and_validate_key(DIRTY_SET), *story_ids)
        return
    by_shard: dict[int, set[int]] = {}
    for story_id in story_ids:
        by_shard.setdefault(_shard(story_id), set()).add(story_id)
    for shard, ids in by_shard.items():
        if not queued:
            cache.set_many({QUEUED.format(story_id=story_id): 1 for story_id in ids}, timeout=None)
        with _locked(shard):
            key = DIRTY.format(shard=shard)
            cache.set(key, (cache.get(key) or set()) | ids, timeout=None)


def _take_dirty_set() -> set[int]:
    """On Redis: every id in the dirty set, each taken off it by SPOP (a view counted from here on
    puts its work back, so it is flushed now or next time, never stranded)."""
    redis_cache, client = native_client()
    key = redis_cache.make_and_validate_key(DIRTY_SET)
    taken: set[int] = set()
    while popped := client.spop(key, BATCH_SIZE):
        taken.update(int(story_id) for story_id in popped)
    return taken


def _take_dirty() -> set[int]:
    taken: set[int] = set()
    for shard in range(DIRTY_SHARDS):
        with _locked(shard):
            key = DIRTY.format(shard=shard)
            ids = cache.get(key) or set()
            cache.delete(key)
            # Unqueued before their counts are read: a view counted from here on queues its
            # work again, so it is flushed now or next time, never stranded.
            cache.delete_many([QUEUED.format(story_id=story_id) for story_id in ids])
        taken |= ids
    return taken


# Flushing from within the process, for the local-memory cache.


def _flushes_in_process() -> bool:
    configured = getattr(settings, "HITS_FLUSH_IN_PROCESS", None)
    if configured is not None:
        return configured
    return isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache)


def _flush_if_due(moment: datetime) -> None:
    since = cache.get(COLLECTING_SINCE)
    if since is not None and moment.timestamp() - since >= FLUSH_INTERVAL.total_seconds():
        _flush_in_process()


def _flush_in_process() -> None:
    cache.delete_many([PENDING_TOTAL, COLLECTING_SINCE])
    flush_hits()
