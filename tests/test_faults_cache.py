"""Never stale, whatever Redis does; degrade, don't fall over.

A Redis server of this test module's own (REDIS_FAULTS_PORT) is the portal's
cache; the tests stop it (SIGSTOP: it accepts connections and never answers) or
point the portal at a port where nothing listens, and check that the public reads,
the writes, the proposal form, the throttles and the health check go on, and that
nothing the cache keeps can bring back what the database no longer publishes.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest
import redis
from django.core.cache import cache, caches
from django.db import connection, connections
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.settings import api_settings

from accounts.models import Role
from api.caching import local_answers
from core.generation import (
    current_generation,
    current_version,
    install_triggers,
    public_tables,
    tables_with_trigger,
)
from core.ratelimit import local_counters
from editorial.models import Status
from goodpractices.models import GoodPractice
from potentials.models import Potential
from regions.models import Region
from tests.api.conftest import token_headers
from tests.factories import PartnerFactory, staff_user
from tests.goodpractices.test_propose import proposal
from tests.workflow import make_staff

PORT = int(os.environ.get("REDIS_FAULTS_PORT", "6391"))
#: A port where nothing listens: a Redis that is down.
DOWN_PORT = int(os.environ.get("REDIS_DOWN_PORT", "6392"))
#: Generous: a stalled Redis costs at most its socket timeout, once.
BOUND = 3.0
JSON = "application/json"
POTENTIALS = "/api/v1/potentials/"


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.client = redis.Redis(port=port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise
                time.sleep(0.05)

    @contextmanager
    def stalled(self):
        """The server stopped in its tracks: connections hang, nothing answers."""
        os.kill(self.process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_server():
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server on this machine")
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", DOWN_PORT)) == 0:
            pytest.skip(f"something listens on port {DOWN_PORT}")
    server = RedisServer(PORT)
    yield server
    server.stop()


def settings_for(port: int) -> dict:
    return {
        "CACHES": {
            "default": {
                "BACKEND": "core.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "KEY_PREFIX": "rp-faults",
            }
        },
        "CACHE_SOCKET_TIMEOUT": 0.25,
        "CACHE_RETRY_AFTER": 5,
    }


@pytest.fixture
def on_redis(redis_server, seeded):
    """The portal's cache is the module's Redis, empty."""
    redis_server.client.flushdb()
    with override_settings(**settings_for(PORT)):
        cache.breaker.reset()
        local_answers.clear()
        local_counters.clear()
        yield redis_server
        cache.breaker.reset()
        local_answers.clear()
        local_counters.clear()
    redis_server.client.flushdb()


@pytest.fixture
def redis_down(seeded):
    with override_settings(**settings_for(DOWN_PORT)):
        cache.breaker.reset()
        local_answers.clear()
        local_counters.clear()
        yield
        cache.breaker.reset()
        local_answers.clear()
        local_counters.clear()


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    assert time.monotonic() - started < BOUND
    return response


def published_potential() -> Potential:
    return Potential.objects.published().order_by("slug").first()


# --- The content version ---------------------------------------------------------


def test_every_public_table_moves_the_version(seeded):
    tables = public_tables()
    assert "potentials_potential" in tables
    assert "potentials_potential_legacy_types" in tables  # an m2m table
    assert "core_contentversion" not in tables
    assert set(tables) <= tables_with_trigger()


def test_the_triggers_are_installed_again_after_a_migrate(seeded):
    """post_migrate runs install_triggers: a table without the trigger (a model
    added since) gets it, and running it again changes nothing."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER core_content_version ON regions_region")
    assert "regions_region" not in tables_with_trigger()
    install_triggers()
    install_triggers()
    assert set(public_tables()) <= tables_with_trigger()
    before = current_generation()
    Region.objects.filter(slug="nothing").update(website="")
    assert current_generation() != before


@pytest.mark.parametrize(
    "write",
    [
        lambda: Region.objects.filter(slug__isnull=False).update(website=""),
        lambda: Region.objects.bulk_create(
            [Region(name="Bulk", slug="bulk", country="DE", kind="district")]
        ),
        lambda: connection.cursor().execute(
            "UPDATE potentials_potential SET visitors_per_year = NULL WHERE false"
        ),
        lambda: published_potential().legacy_types.clear(),
    ],
    ids=["update", "bulk_create", "raw-sql", "m2m"],
)
def test_writes_the_orm_does_not_signal_move_the_version_too(seeded, write):
    before = current_version()
    write()
    after = current_version()
    assert after.number != before.number
    assert after.changed_at >= before.changed_at


def test_one_transaction_moves_the_version_once_between_reads(seeded):
    before = current_generation()
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('core.content_version_moved', '', true)")
        for _ in range(50):
            cursor.execute("UPDATE regions_region SET website = website WHERE false")
        cursor.execute("SELECT version FROM core_contentversion")
        [moved_once] = cursor.fetchone()
        # The sequence gave one number for the fifty statements.
        cursor.execute("SELECT last_value FROM core_contentversion_seq")
        assert cursor.fetchone()[0] == moved_once
    assert moved_once != before


def test_a_cached_read_costs_one_query_the_version(on_redis, django_assert_num_queries):
    api = Client()
    first = api.get(POTENTIALS)
    local_answers.clear()  # as in another process: the answer comes from Redis
    with django_assert_num_queries(1) as queries:
        again = api.get(POTENTIALS)
    assert again.content == first.content
    assert "core_contentversion" in queries.captured_queries[0]["sql"]


# --- Redis stalled or down ---------------------------------------------------------


@pytest.mark.parametrize("fault", ["stalled", "down"])
def test_reads_answer_without_redis(request, fault, seeded, caplog):
    if fault == "stalled":
        server = request.getfixturevalue("on_redis")
        broken = server.stalled
    else:
        request.getfixturevalue("redis_down")
        broken = contextmanager(lambda: (yield))
    api = Client()
    slug = published_potential().slug
    with broken(), caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(3):
            listing = timed(api.get, POTENTIALS)
            detail = timed(api.get, f"{POTENTIALS}{slug}/")
            assert (listing.status_code, detail.status_code) == (200, 200)
            assert timed(api.get, "/en/potentials/").status_code == 200
        # The first failure opened the breaker: Redis is left alone for a while,
        # by every thread of the process (Django has a cache object per thread).
        assert not cache.breaker.closed()
        in_thread = []

        def another_thread():
            try:
                response = timed(api.get, POTENTIALS)
                in_thread.append((response.status_code, caches["default"].breaker))
            finally:
                connections.close_all()

        thread = threading.Thread(target=another_thread)
        thread.start()
        thread.join()
        assert in_thread == [(200, cache.breaker)]
        warnings = [r for r in caplog.records if r.name == "core.cache"]
        assert len(warnings) == 1, "an outage is logged once"
        health = timed(api.get, "/health/")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["cache"]["status"] == "unavailable"
    assert health.json()["checks"]["database"]["status"] == "ok"


def test_writes_succeed_and_archived_records_stay_gone(on_redis):
    staff = make_staff()
    api = Client()
    record = published_potential()
    url = f"{POTENTIALS}{record.slug}/"
    assert api.get(url).status_code == 200  # now cached in Redis
    [key] = local_answers.answers
    old_entry = cache.get(key)
    assert old_entry is not None
    moderator = staff.users["moderator"]
    editor = Client(headers=token_headers(moderator))
    with on_redis.stalled():
        changed = timed(
            editor.patch,
            url,
            {"summary": {"en": "Edited while Redis sleeps"}},
            content_type=JSON,
        )
        assert changed.status_code == 200, changed.content
        # The moderator archives it in the admin (a bulk action).
        admin = Client()
        admin.force_login(moderator)
        archived = timed(
            admin.post,
            reverse("admin:potentials_potential_changelist"),
            {"action": "archive_selected", "_selected_action": [record.pk]},
        )
        assert archived.status_code == 302
        assert timed(api.get, url).status_code == 404
    # Redis is back, still holding the answer of the published record, which
    # another process (no local answer) reads first.
    cache.breaker.reset()
    assert cache.get(key)[0] == old_entry[0]
    local_answers.clear()
    assert api.get(url).status_code == 404
    assert record.slug not in {
        row["slug"] for row in api.get(f"{POTENTIALS}?page_size=100").json()["results"]
    }
    assert Potential.objects.get(pk=record.pk).status == Status.ARCHIVED


def test_an_open_breaker_leaves_redis_alone_until_it_closes(on_redis, caplog):
    cache.set("answer", 42)
    cache.breaker.failed(redis.TimeoutError("stalled"))
    # Redis holds the value, but is not asked.
    assert cache.get("answer") is None
    assert cache.get_many_and_count(["answer"], {"count": 60}) == ({}, {"count": 1})
    cache.set("answer", 43)
    cache.breaker.reset()
    assert cache.get("answer") == 42
    assert cache.get_many_and_count(["answer"], {"count": 60}) == (
        {"answer": 42},
        {"count": 1},
    )


def test_throttles_count_in_each_process_without_redis(on_redis):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    api = Client()
    with (
        override_settings(
            REST_FRAMEWORK={
                **api_settings.user_settings,
                "DEFAULT_THROTTLE_RATES": rates,
            }
        ),
        on_redis.stalled(),
    ):
        statuses = [timed(api.get, "/api/v1/themes/").status_code for _ in range(4)]
        refused = api.get("/api/v1/themes/")
    assert statuses == [200, 200, 200, 429]
    assert int(refused["Retry-After"]) > 0


def test_the_proposal_form_works_and_limits_without_redis(on_redis, settings):
    settings.PROPOSALS_PARTNER = "network-office"
    settings.PROPOSALS_RATE_LIMIT = 1
    partner = PartnerFactory(slug="network-office", name="Network office")
    staff_user(partner, role=Role.MODERATOR, user__email="moderator@example.org")
    url = reverse("goodpractices:propose")
    client = Client()
    with on_redis.stalled():
        sent = timed(client.post, url, proposal())
        again = timed(client.post, url, proposal(title="Another one"))
    assert sent.status_code == 302, sent.content[:500]
    assert GoodPractice.objects.filter(title_pl=proposal()["title"]).exists()
    assert again.status_code == 429


def test_health_says_ok_with_redis(on_redis):
    api = Client()
    healthy = api.get("/health/")
    assert healthy.status_code == 200
    assert healthy["Cache-Control"].startswith("max-age=0")
    body = healthy.json()
    assert body["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["database"]["content_version"] == current_generation()


def test_health_answers_503_without_the_database(django_db_blocker):
    """The database refuses connections (nothing listens at its address)."""
    with django_db_blocker.unblock():
        settings_dict = connection.settings_dict
        port = settings_dict["PORT"]
        connection.close()
        settings_dict["PORT"] = str(DOWN_PORT)
        try:
            response = timed(Client().get, "/health/")
        finally:
            connection.close()
            settings_dict["PORT"] = port
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "unavailable"
    assert body["checks"]["cache"]["status"] == "not configured"
    # The job queue is in the database too: its state cannot be known.
    assert body["checks"]["jobs"]["status"] == "unknown"
