"""Counting requests in fixed windows: in the shared cache, or in this process
while the cache does not answer.

One counter per client and window, counted up in the shared cache (Redis in
production: every web process counts together), in the same round trip as any
values read with it. When the cache is down or stalled (core.cache), each process
counts on its own: a client gets at most the limit from each process, which still
stops a flood, and nothing waits for the cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class LocalCounters:
    """Counters of this process, each expiring `timeout` seconds after it started;
    at most `max_keys` of them (the oldest go first)."""

    def __init__(self, max_keys: int = 10_000):
        self.max_keys = max_keys
        self.counters: OrderedDict[str, list] = OrderedDict()
        self.lock = threading.Lock()

    def count(self, key: str, timeout: float) -> int:
        now = time.monotonic()
        with self.lock:
            counter = self.counters.get(key)
            if counter is None or counter[0] <= now:
                self.counters.pop(key, None)
                counter = self.counters[key] = [now + timeout, 0]
                while len(self.counters) > self.max_keys:
                    self.counters.popitem(last=False)
            counter[1] += 1
            return counter[1]

    def clear(self) -> None:
        with self.lock:
            self.counters.clear()


local_counters = LocalCounters()


def get_many_and_count(
    keys: list[str], counters: Mapping[str, int]
) -> tuple[dict, dict[str, int]]:
    """The values of `keys`, and each counter counted one more (its new value; a
    new counter expires after its timeout in seconds). In one round trip where the
    cache can (core.cache.RedisCache), in this process while it does not answer."""
    if hasattr(cache, "get_many_and_count"):
        return cache.get_many_and_count(keys, counters)
    values = cache.get_many(keys) if keys else {}
    counts = {}
    for key, timeout in counters.items():
        cache.add(key, 0, timeout=timeout)
        try:
            counts[key] = cache.incr(key)
        except ValueError:  # Expired in between.
            cache.set(key, 1, timeout=timeout)
            counts[key] = 1
    return values, counts


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """`"60/minute"` as (60, 60): requests and seconds; None for no limit."""
    if not rate:
        return None
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    #: Seconds until the window that refused ends.
    retry_after: int


def hit(scope: str, ident: str, number: int, period: int) -> Verdict:
    """Count one request of `ident` against `number` requests in `period`
    seconds, in fixed windows shared by every process."""
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{ident}:{window}"
    _values, counts = get_many_and_count([], {key: period})
    retry_after = max(1, int((window + 1) * period - now + 0.999))
    return Verdict(counts[key] <= number, retry_after)
