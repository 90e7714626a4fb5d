"""The API's cache and throttle on a real Redis, as in production
(core.cache.RedisCache); the other tests use the local-memory cache."""

import os

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.settings import api_settings

from core.cache import RedisCache

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
REDIS = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "rp-tests",
    }
}


@pytest.fixture
def redis_cache():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "rp-tests"})
    try:
        backend.clear()
    except Exception as error:  # noqa: BLE001 - any connection error
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    yield backend
    backend.clear()


def test_values_and_counters_in_one_round_trip(redis_cache):
    redis_cache.set("answer", ("generation", b"body", {"ETag": '"x"'}))
    redis_cache.set("generation", 42)
    for expected in (1, 2, 3):
        values, counts = redis_cache.get_many_and_count(
            ["answer", "generation", "missing"], {"throttle:a": 60, "throttle:b": 5}
        )
        assert values == {
            "answer": ("generation", b"body", {"ETag": '"x"'}),
            "generation": 42,
        }
        assert counts == {"throttle:a": expected, "throttle:b": expected}
    # A counter is an ordinary cache value, expiring with its window.
    assert redis_cache.get("throttle:a") == 3
    client = redis_cache._cache.get_client(write=True)
    assert 0 < client.ttl(redis_cache.make_and_validate_key("throttle:b")) <= 5
    assert redis_cache.get_many_and_count([], {}) == ({}, {})


def test_cached_answers_and_throttling_on_redis(api, seeded, redis_cache):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    with override_settings(
        CACHES=REDIS,
        REST_FRAMEWORK={**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": rates},
    ):
        cache.clear()
        first = api.get("/api/v1/themes/")
        again = api.get("/api/v1/themes/", headers={"if-none-match": first["ETag"]})
        third = api.get("/api/v1/themes/")
        refused = api.get("/api/v1/themes/")
        cache.clear()
    assert [first.status_code, again.status_code, third.status_code] == [200, 304, 200]
    assert third.content == first.content
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
