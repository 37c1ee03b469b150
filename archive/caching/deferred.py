"""What a page keeps for later readers, written in one round trip when the page is done.

A first visit to a chapter keeps five things for the readers after it: the work's index
(archive/chapters/reading.py), its meta block, its kudos and comment fragments
(fragments.py), and the page itself (middleware.py); a logged-in reader's page may also keep
their account, their state on the work (archive/accounts/kept.py) and their Continue reading
box. Written one by one, that was a round trip to Redis each, ~0.15 ms of the worker's CPU and
a wake-up of Redis. Kept with `keep`
inside `batched()` (the page cache's middleware opens it around every request), they go in one
pipeline as the request ends. Outside `batched()` (a task, a shell, a test calling a function),
or on a cache that is not Redis, `keep` writes at once.

Only what is kept under version tokens goes this way (each key names them, or the value carries
the token it was read under: versions.py), so writing it a moment later changes nothing a reader
can see; and it is written before the response is sent, so the reader's next request finds it.
Version bumps, hit counts and the reader's history are written at once, as before. A request
that reads a key it kept earlier gets the kept value (`pending`); a cache that is down loses
these writes and is logged, as a failed write always was, and the page is still answered.
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

from archive.caching.redis import native_client

logger = logging.getLogger(__name__)

# key -> (the key as Redis names it, the value serialized when it was kept, timeout in seconds or
# None), kept by the request being answered. Serialized at once: what the request does to the
# objects afterwards is not what was kept.
_pending: ContextVar[dict[str, tuple[str, object, int | None]] | None] = ContextVar("deferred_writes", default=None)


def keep(values: dict[str, object], timeout: int | None) -> None:
    """`cache.set_many(values, timeout)`: at the end of the request inside `batched()` on Redis,
    else now."""
    held = _pending.get()
    native = native_client() if held is not None else None
    if native is None or (timeout is not None and timeout <= 0):
        cache.set_many(values, timeout)
        return
    redis_cache = native[0]
    dumps = redis_cache._cache._serializer.dumps
    for key, value in values.items():
        held[key] = (redis_cache.make_and_validate_key(key), dumps(value), timeout)


def pending(keys: Iterable[str]) -> dict[str, object]:
    """What this request kept at these keys and has not written yet (as the cache would give it)."""
    held = _pending.get()
    if not held:
        return {}
    loads = native_client()[0]._cache._serializer.loads
    return {key: loads(held[key][1]) for key in keys if key in held}


@contextmanager
def batched() -> Iterator[None]:
    """Within it, `keep` holds its writes; they are sent together as it ends."""
    if _pending.get() is not None:  # already batched further out: that block sends them
        yield
        return
    held: dict[str, tuple[str, object, int | None]] = {}
    reset = _pending.set(held)
    try:
        yield
    finally:
        _pending.reset(reset)
        if held:
            _write(held)


def _write(held: dict[str, tuple[str, object, int | None]]) -> None:
    try:
        _, client = native_client()
        with client.pipeline(transaction=False) as pipeline:
            for made_key, value, timeout in held.values():
                pipeline.set(made_key, value, ex=timeout)
            pipeline.execute()
    except Exception:  # what was kept is rendered again by the next reader; the page stands
        logger.exception("could not keep %d cache entries", len(held))
