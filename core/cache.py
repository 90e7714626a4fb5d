"""Django's Redis cache, keeping one client per connection pool, and reading
several keys and counting others in one round trip.

Django builds a new redis-py client for every command, and redis-py fills a few
hundred response callbacks into each: a measurable share of a request that is
answered from the cache. The clients share the pool's connections and are safe
to reuse across threads.
"""

from collections.abc import Iterable, Mapping

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get_many_and_count(
        self, keys: Iterable[str], counters: Mapping[str, int]
    ) -> tuple[dict, dict[str, int]]:
        """`get_many(keys)`, and each of `counters` counted one more: its new
        value. A counter that did not exist starts at 1 and expires after its
        timeout (seconds). All in one round trip to the server."""
        names = {self.make_and_validate_key(key): key for key in keys}
        pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
        if names:
            pipeline.mget(list(names))
        for key, timeout in counters.items():
            name = self.make_and_validate_key(key)
            pipeline.incr(name)
            pipeline.expire(name, timeout, nx=True)
        results = pipeline.execute()
        values = {}
        if names:
            found = results.pop(0)
            values = {
                key: self._cache._serializer.loads(value)
                for key, value in zip(names.values(), found, strict=True)
                if value is not None
            }
        counts = dict(zip(counters, results[::2], strict=True))
        return values, counts
