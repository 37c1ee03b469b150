"""Django's Redis cache backend, with one client object per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and
redis-py fills a table of ~170 response callbacks each time it does: 0.17 ms of CPU per call,
measured with cProfile, which was a third of what a page from the shared page cache cost. A
`redis.Redis` is safe to share (it takes a connection from its pool for each command, and the
pool starts afresh in a forked worker), so this keeps one per pool. Everything else is Django's.
"""

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


def native_client():
    """The default cache and its `redis.Redis` client when the cache is Redis (Django's backend or
    this one), for commands the cache API lacks (pipelines, sets); else None. Keys given to the
    client go through `cache.make_and_validate_key` first."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(cache, django_redis.RedisCache):
        return None
    return cache, cache._cache.get_client(write=True)


def get_many_and_add(keys: list[str], add: tuple[str, int] | None) -> tuple[dict, bool]:
    """The default cache's `get_many(keys)` and, when `add` is (key, timeout), its
    `add(key, 1, timeout)`: in one round trip on Redis (a pipeline), in two calls on any other
    cache. Returns what was found and whether the key was added."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    if add is None:
        return cache.get_many(keys), False
    if (native := native_client()) is None:
        return cache.get_many(keys), cache.add(add[0], 1, add[1])
    cache, client = native
    made = {cache.make_and_validate_key(key): key for key in keys}
    with client.pipeline(transaction=False) as pipeline:
        pipeline.mget(list(made))
        pipeline.set(cache.make_and_validate_key(add[0]), 1, ex=add[1], nx=True)
        values, added = pipeline.execute()
    loads = cache._cache._serializer.loads
    found = {made[key]: loads(value) for key, value in zip(made, values, strict=True) if value is not None}
    return found, bool(added)


def add_and_get(values: dict[str, object]) -> dict:
    """For each key, the default cache's `add(key, value, timeout=None)` and then `get(key)` (the
    value added, or the one another process added first): in one round trip on Redis (a pipeline
    of SET NX and GET), in two calls a key on any other cache."""
    cache = caches[DEFAULT_CACHE_ALIAS]
    if (native := native_client()) is None:
        found = {}
        for key, value in values.items():
            cache.add(key, value, timeout=None)
            found[key] = cache.get(key)
        return found
    cache, client = native
    dumps, loads = cache._cache._serializer.dumps, cache._cache._serializer.loads
    made = {cache.make_and_validate_key(key): key for key in values}
    with client.pipeline(transaction=False) as pipeline:
        for key, original in made.items():
            pipeline.set(key, dumps(values[original]), nx=True)
            pipeline.get(key)
        replies = pipeline.execute()
    return {original: loads(value) for original, value in zip(made.values(), replies[1::2], strict=True)}
