"""Django's Redis cache, keeping one client per connection pool, reading several
keys and counting others in one round trip, and never failing a request.

Django builds a new redis-py client for every command, and redis-py fills a few
hundred response callbacks into each: a measurable share of a request that is
answered from the cache. The clients share the pool's connections and are safe
to reuse across threads.

The cache is an accelerator, never a dependency: every operation waits at most
`CACHE_SOCKET_TIMEOUT` seconds, and one that fails is a miss (a read), nothing (a
write) or a count in this process (core.ratelimit). A failure opens a circuit
breaker: for `CACHE_RETRY_AFTER` seconds nothing is sent to Redis at all, so a
stalled server does not add its timeout to every request; then one request tries
again. An outage is logged once when it starts and once when it ends.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

from core.ratelimit import local_counters

logger = logging.getLogger(__name__)


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


class CircuitBreaker:
    """Whether to try the server now: not for `retry_after` seconds after a
    failure."""

    def __init__(self, name: str):
        self.name = name
        self.open_until = 0.0
        self.failing = False
        self.lock = threading.Lock()

    def closed(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self, error: Exception) -> None:
        retry_after = settings.CACHE_RETRY_AFTER
        with self.lock:
            self.open_until = time.monotonic() + retry_after
            first = not self.failing
            self.failing = True
        if first:
            logger.warning(
                "The cache at %s does not answer (%s): requests go without it, "
                "trying again every %s s.",
                self.name,
                error,
                retry_after,
            )

    def succeeded(self) -> None:
        if self.failing:
            with self.lock:
                was_failing, self.failing = self.failing, False
            if was_failing:
                logger.warning("The cache at %s answers again.", self.name)

    def reset(self) -> None:
        with self.lock:
            self.open_until = 0.0
            self.failing = False


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str) -> CircuitBreaker:
    """The process's breaker for a server: Django makes a cache object per
    thread, and every thread must know that the server failed."""
    with _breakers_lock:
        breaker = _breakers.get(name)
        if breaker is None:
            breaker = _breakers[name] = CircuitBreaker(name)
        return breaker


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        timeout = settings.CACHE_SOCKET_TIMEOUT
        params = {
            **params,
            "OPTIONS": {
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                **options,
            },
        }
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.breaker = breaker_for(
            ", ".join(server) if isinstance(server, list) else str(server)
        )

    def _guarded(self, default, operation, *args, **kwargs):
        if not self.breaker.closed():
            return default
        try:
            result = operation(*args, **kwargs)
        except RedisError as error:
            self.breaker.failed(error)
            return default
        self.breaker.succeeded()
        return result

    def available(self) -> bool:
        """Whether the server answers now (a PING, unless it just failed)."""
        return self._guarded(
            False, lambda: bool(self._cache.get_client(write=True).ping())
        )

    # Every operation, guarded. An increment that fails counts from nothing.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded(None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded(False, super().clear)

    def get_many_and_count(
        self, keys: Iterable[str], counters: Mapping[str, int]
    ) -> tuple[dict, dict[str, int]]:
        """`get_many(keys)`, and each of `counters` counted one more: its new
        value. A counter that did not exist starts at 1 and expires after its
        timeout (seconds). All in one round trip to the server; without the
        server, no values, and the counts of this process."""
        keys = list(keys)
        result = self._guarded(None, self._get_many_and_count, keys, counters)
        if result is None:
            return {}, {
                key: local_counters.count(key, timeout)
                for key, timeout in counters.items()
            }
        return result

    def _get_many_and_count(
        self, keys: list[str], counters: Mapping[str, int]
    ) -> tuple[dict, dict[str, int]]:
        names = {self.make_and_validate_key(key): key for key in keys}
        if not names and not counters:
            return {}, {}
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


def cache_status() -> str:
    """The shared cache as the health check sees it: "ok", "unavailable", or "not
    configured" (a cache of this process only, as in development)."""
    available = getattr(cache, "available", None)
    if available is None:
        return "not configured"
    return "ok" if available() else "unavailable"
