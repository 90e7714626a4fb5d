"""A database that cannot be reached answers 503 with Retry-After within seconds,
to pages (the site's page) and the API (JSON) alike: refused, hung, or too slow.

The portal runs in gunicorn, as in production, connected to the test database
through a TCP proxy this test controls; the machine's PostgreSQL is never touched.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest
from django.db import connection

from tests.helpers import portal_process, run_portal

# The test database must exist: pytest-django makes it for tests that ask.
pytestmark = pytest.mark.django_db

# The portal's connect timeout is 3 s: a hung database answers well before this.
ANSWER_WITHIN = 6.0


class Proxy:
    """TCP in front of PostgreSQL that forwards, hangs (accepts, never answers),
    refuses (does not listen) or freezes (holds what is under way, as a paused
    server or a cut network would).

    The portal keeps its connection between requests (CONN_MAX_AGE): a server
    that goes away cuts the connections it had (refuse), a hung one answers on
    none of them (hang), as real ones do."""

    def __init__(self, target: tuple[str, int]):
        # A port the system chooses, kept when listening again after refusing.
        self.port = 0
        self.target = target
        self.mode = "forward"
        self.frozen = threading.Event()
        self.listener: socket.socket | None = None
        self.held: list[socket.socket] = []
        self.piped: list[socket.socket] = []
        #: Connections accepted since the start.
        self.accepted = 0

    def listen(self) -> None:
        if self.listener is not None:
            return
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        threading.Thread(
            target=self._accept, args=(self.listener,), daemon=True
        ).start()

    def refuse(self) -> None:
        if self.listener is not None:
            # Shut down first: that wakes the thread waiting in accept().
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        for end in self.piped:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        self.piped.clear()

    def close(self) -> None:
        self.refuse()
        for held in self.held:
            held.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self.mode == "hang":
                self.held.append(client)
                continue
            server = socket.create_connection(self.target)
            self.piped += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(
                    target=self._pipe, args=(source, sink), daemon=True
                ).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.frozen.is_set() or self.mode == "hang":
                    time.sleep(0.05)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)


@pytest.fixture(scope="module")
def database_name(django_db_setup, django_db_blocker) -> str:
    with django_db_blocker.unblock():
        return connection.settings_dict["NAME"]


@pytest.fixture(scope="module")
def proxy():
    proxy = Proxy(("127.0.0.1", 5432))
    proxy.listen()
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def portal(proxy, database_name):
    """gunicorn serving the portal, its database behind the proxy."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        web_port = probe.getsockname()[1]
    process = subprocess.Popen(
        **portal_process(
            [
                "-m",
                "gunicorn",
                "resource_portal.wsgi",
                "--worker-class",
                "resource_portal.workers.SyncWorker",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
            settings="tests.settings",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{proxy.port}/{database_name}",
            DATABASE_STATEMENT_TIMEOUT="2",
            DATABASE_RETRY_AFTER="7",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{web_port}"
    for _attempt in range(100):
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str, accept: str = "*/*") -> tuple[int, dict, bytes, float]:
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, dict(headers), body, time.monotonic() - started


def assert_unavailable(portal: str) -> None:
    # A query of its own: an answer the portal holds already needs no database.
    status, headers, body, took = fetch(
        f"{portal}/api/v1/regions/?page_size={time.monotonic_ns() % 90 + 10}"
    )
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "7"
    assert headers["Content-Type"] == "application/json"
    assert b"database" in body and b"Traceback" not in body
    assert took < ANSWER_WITHIN

    status, headers, body, took = fetch(f"{portal}/de/potentials/", "text/html")
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "7"
    assert headers["Content-Type"].startswith("text/html")
    assert b'<html lang="de">' in body and b"Traceback" not in body
    assert took < ANSWER_WITHIN


def test_the_portal_keeps_its_database_connection_between_requests(portal, proxy):
    """CONN_MAX_AGE: one connection for many requests, each checked first."""
    assert fetch(f"{portal}/api/v1/regions/?page_size=5")[0] == 200
    accepted = proxy.accepted
    for size in range(6, 11):
        assert fetch(f"{portal}/en/regions/?page={size}")[0] in (200, 404)
        assert fetch(f"{portal}/api/v1/regions/?page_size={size}")[0] == 200
    assert proxy.accepted == accepted


def test_a_database_that_refuses_answers_503_at_once(portal, proxy):
    assert fetch(f"{portal}/api/v1/regions/")[0] == 200
    proxy.refuse()
    try:
        assert_unavailable(portal)
    finally:
        proxy.listen()
    # The connection the server cut is replaced, not reused.
    assert fetch(f"{portal}/api/v1/regions/")[0] == 200


def test_a_database_that_hangs_answers_503_within_seconds(portal, proxy):
    """Also on the connection kept from the request before: its health check
    gives up after DATABASE_HEALTH_CHECK_TIMEOUT, then a new one meets the
    connect timeout."""
    assert fetch(f"{portal}/api/v1/regions/?page_size=2")[0] == 200
    proxy.mode = "hang"
    try:
        assert_unavailable(portal)
    finally:
        proxy.mode = "forward"
    assert fetch(f"{portal}/en/potentials/")[0] == 200


def test_a_statement_that_waits_too_long_is_cancelled_with_503(
    portal, proxy, database_name
):
    """A table locked by someone else: the web request's statement gives up
    after DATABASE_STATEMENT_TIMEOUT (2 s here) instead of holding the worker."""
    with psycopg.connect(
        f"postgres://postgres@127.0.0.1:5432/{database_name}", autocommit=False
    ) as blocker:
        blocker.execute("LOCK TABLE regions_region IN ACCESS EXCLUSIVE MODE")
        status, headers, body, took = fetch(f"{portal}/api/v1/regions/?page_size=3")
        blocker.rollback()
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "7"
    assert took < ANSWER_WITHIN
    assert fetch(f"{portal}/api/v1/regions/")[0] == 200


def test_a_database_that_stops_answering_mid_request_answers_503_within_seconds(
    portal, proxy, database_name
):
    """The statement is under way when the database stops answering: its own
    timeout cannot reach the portal, whose wait for the answer has a deadline
    (the statement timeout, 2 s here, and 1 s more: core/postgresql)."""
    answers = []
    address = f"postgres://postgres@127.0.0.1:5432/{database_name}"
    with psycopg.connect(address, autocommit=False) as blocker:
        blocker.execute("LOCK TABLE regions_region IN ACCESS EXCLUSIVE MODE")
        request = threading.Thread(
            target=lambda: answers.append(
                fetch(f"{portal}/api/v1/regions/?page_size=4")
            )
        )
        request.start()
        with psycopg.connect(address, autocommit=True) as watcher:
            for _attempt in range(100):
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = %s AND wait_event_type = 'Lock'",
                    [database_name],
                ).fetchone()[0]
                if waiting:
                    break
                time.sleep(0.05)
        assert waiting, "the request's statement never waited for the lock"
        proxy.frozen.set()
        blocker.rollback()
    try:
        request.join(timeout=30)
    finally:
        proxy.frozen.clear()
    status, headers, body, took = answers[0]
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "7"
    assert took < ANSWER_WITHIN
    assert fetch(f"{portal}/api/v1/regions/")[0] == 200


def test_management_commands_run_without_the_statement_timeout(database_name):
    show = (
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('SHOW statement_timeout'); print(cursor.fetchone()[0])"
    )
    environment = {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database_name}",
        "DATABASE_STATEMENT_TIMEOUT": "2",
    }
    command = run_portal(
        ["manage.py", "shell", "-v", "0", "-c", show],
        settings="tests.settings",
        **environment,
    )
    assert command.returncode == 0, command.stderr
    assert command.stdout.split()[-1] == "0"
    web = run_portal(
        ["-c", f"import django; django.setup(); {show}"],
        settings="tests.settings",
        **environment,
    )
    assert web.returncode == 0, web.stderr
    assert web.stdout.split()[-1] == "2s"
