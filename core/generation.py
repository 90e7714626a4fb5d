"""The content generation: the time of the last change to public data.

Every change to public data bumps one number kept in the cache (Redis in
production, shared by every web process): the time of the change in nanoseconds.
The API files its cached answers under it (api.caching), and anything that must
say when public data last changed (Last-Modified, a feed's `updated`) reads it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.core.cache import cache

GENERATION_KEY = "api:generation"


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh start (or an evicted key) begins at "now", above every
        # generation that older cached entries can carry.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY) or time.time_ns()
    return generation


def bump_generation() -> None:
    previous = cache.get(GENERATION_KEY) or 0
    cache.set(GENERATION_KEY, max(time.time_ns(), previous + 1), timeout=None)


def last_modified(generation: int) -> int:
    """Seconds since the epoch, rounded up: HTTP dates have whole seconds."""
    return -(-generation // 1_000_000_000)


def last_changed() -> datetime:
    """When public data last changed, to the second."""
    return datetime.fromtimestamp(last_modified(current_generation()), tz=UTC)
