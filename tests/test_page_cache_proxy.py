"""The caching proxy of the deployment, run for real: Debian's nginx with
deploy/nginx/portal.conf.template (rendered as the official nginx image renders
it) in front of the portal.

nginx runs as an unprivileged user in a folder of its own (prefix, pid, logs,
temporary files, cache) and listens on PAGE_CACHE_PROXY_PORT (8130) of
127.0.0.1; the portal on a free port of 127.0.0.1, served by a thread of this
process over the test database. Without nginx these tests are skipped with a
message, unless REQUIRE_BROWSER=1 (as in CI), which makes them fail.
"""

from __future__ import annotations

import http.client
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.signals import request_started
from django.db import connections
from django.test import override_settings

from portal.models import SitePage
from tests.factories import UserFactory
from tests.helpers import served_portal, unavailable

BASE_DIR = Path(__file__).resolve().parents[1]
TEMPLATE = BASE_DIR / "deploy" / "nginx" / "portal.conf.template"
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
PORT = int(os.environ.get("PAGE_CACHE_PROXY_PORT", "8130"))
# Seconds a shared cache may keep an answer, here: short, so that a test sees it
# expire.
SHARED_MAX_AGE = 1
# The portal's settings as in the compose file behind one proxy.
PORTAL_SETTINGS = {
    "PAGE_SHARED_MAX_AGE": SHARED_MAX_AGE,
    "TRUSTED_PROXY_COUNT": 1,
}
# The portal's thread reads what is committed: the seed, and what the tests
# commit themselves (committed(), module fixtures).
pytestmark = pytest.mark.django_db

WRAPPER = """
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/conf.d/*.conf;
}}
"""


def _unavailable(reason: str) -> None:
    unavailable(reason, "caching proxy")


def render(template: str, values: dict[str, str]) -> str:
    """As envsubst in the nginx image: `${NAME}` of the given names only; nginx's
    own `$variables` stay."""
    return re.sub(
        r"\$\{(\w+)\}",
        lambda match: values.get(match.group(1), match.group(0)),
        template,
    )


class AppRequests:
    """The addresses the portal was asked for, as its thread starts each."""

    def __init__(self):
        self.paths: list[str] = []

    def __call__(self, sender, environ=None, **kwargs):
        if environ is not None:
            self.paths.append(environ.get("PATH_INFO", ""))

    def count(self, path: str) -> int:
        return self.paths.count(path)


@pytest.fixture(scope="module")
def app_requests():
    requests = AppRequests()
    request_started.connect(requests, dispatch_uid="page-cache-proxy-test")
    yield requests
    request_started.disconnect(dispatch_uid="page-cache-proxy-test")


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker, app_requests):
    with django_db_blocker.unblock(), override_settings(**PORTAL_SETTINGS):
        with served_portal() as port:
            yield f"127.0.0.1:{port}"
        connections.close_all()


@pytest.fixture(scope="module")
def proxy(portal):
    """nginx with the repository's template, as an unprivileged user."""
    if not Path(NGINX).is_file():
        _unavailable(f"No {NGINX} (install Debian's nginx)")
    folder = Path(tempfile.mkdtemp(prefix="page-cache-proxy-"))
    (folder / "conf.d").mkdir()
    (folder / "conf.d" / "portal.conf").write_text(
        render(
            TEMPLATE.read_text(),
            {
                "NGINX_PORT": f"127.0.0.1:{PORT}",
                "UPSTREAM": portal,
                "NGINX_CACHE_DIR": str(folder / "cache"),
            },
        )
    )
    (folder / "nginx.conf").write_text(WRAPPER.format(folder=folder))
    user = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        user = {"user": nobody.pw_uid, "group": nobody.pw_gid}
    process = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(folder),
            "-c",
            str(folder / "nginx.conf"),
            "-e",
            str(folder / "error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        **user,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                log = (folder / "error.log").read_text(errors="replace")
                pytest.fail(f"nginx stopped: {process.stderr.read()}{log[-3000:]}")
            try:
                if fetch("GET", "/robots.txt").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "nginx did not answer in 10 s"
            time.sleep(0.1)
        yield folder
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    @property
    def cache(self) -> str | None:
        return self.headers.get("X-Cache-Status")


def fetch(method: str, path: str, headers: dict | None = None, body=None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return Answer(connection.getresponse())
    finally:
        connection.close()


def expire() -> None:
    """Wait until what the proxy holds is older than the app allowed."""
    time.sleep(SHARED_MAX_AGE + 1.1)


def test_a_repeated_anonymous_page_is_served_by_the_proxy(proxy, app_requests):
    path = "/en/about/"
    first = fetch("GET", path)
    asked = app_requests.count(path)
    again = fetch("GET", path)
    assert first.status == again.status == 200
    assert (first.cache, again.cache) == ("MISS", "HIT")
    assert again.body == first.body
    assert app_requests.count(path) == asked == 1
    # The app's security headers are kept with the answer.
    assert "script-src 'self'" in again.headers["Content-Security-Policy"]
    assert again.headers["X-Frame-Options"] == "DENY"


def test_an_expired_page_is_revalidated_with_a_304_from_the_app(proxy, app_requests):
    path = "/en/statistics/"
    first = fetch("GET", path)
    expire()
    again = fetch("GET", path)
    assert (first.cache, again.cache) == ("MISS", "REVALIDATED")
    assert again.status == 200 and again.body == first.body
    assert app_requests.count(path) == 2
    # And it is fresh again for a while.
    assert fetch("GET", path).cache == "HIT"
    assert app_requests.count(path) == 2


def committed(statement: str, params: tuple = ()) -> None:
    """Run `statement` in a transaction of its own, committed: the test's own is
    never committed, and the portal's thread would not see it."""
    database = connections["default"].settings_dict
    with psycopg.connect(
        dbname=database["NAME"],
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
    ) as connection:
        connection.execute(statement, params)


def test_a_published_change_shows_after_revalidation(proxy):
    path = "/en/imprint/"
    before = fetch("GET", path)
    assert fetch("GET", path).cache == "HIT"
    title = SitePage.objects.get(kind="imprint").title_en
    change = "UPDATE portal_sitepage SET title_en = %s WHERE kind = 'imprint'"
    committed(change, ("Imprint, as changed",))
    try:
        expire()
        after = fetch("GET", path)
        assert after.cache == "EXPIRED"  # the app answered 200, not 304
        assert b"Imprint, as changed" in after.body
        assert b"Imprint, as changed" not in before.body
    finally:
        committed(change, (title,))


@pytest.fixture(scope="module")
def session_cookie(django_db_setup, django_db_blocker):
    """A signed-in user's session cookie, committed for the portal's thread."""
    with django_db_blocker.unblock():
        user = UserFactory(username="page-cache-proxy-test")
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        yield f"sessionid={session.session_key}"
        session.delete()
        user.delete()


def test_a_signed_in_page_is_never_served_from_or_stored_in_the_cache(
    proxy, app_requests, session_cookie
):
    path = "/en/utilisation-matrix/"
    fetch("GET", path)  # an anonymous copy in the cache
    signed_in = {"Cookie": f"csrftoken=x; {session_cookie}"}
    first = fetch("GET", path, signed_in)
    again = fetch("GET", path, signed_in)
    assert first.status == again.status == 200
    assert first.cache == again.cache == "BYPASS"
    assert again.headers["Cache-Control"] == "private"
    assert app_requests.count(path) == 3
    # Nor did they replace the anonymous copy.
    anonymous = fetch("GET", path)
    assert anonymous.cache == "HIT"
    assert anonymous.headers["Cache-Control"].startswith("public")


def test_a_post_passes_through(proxy, app_requests):
    path = "/en/propose/"
    answers = [fetch("POST", path, body=b"") for _ in range(2)]
    assert [answer.status for answer in answers] == [403, 403]  # no CSRF token
    assert all(not answer.cache for answer in answers)
    assert app_requests.count(path) == 2


def test_the_proposal_form_is_not_stored(proxy, app_requests):
    path = "/en/propose/"
    before = app_requests.count(path)
    answers = [fetch("GET", path) for _ in range(2)]
    assert [answer.cache for answer in answers] == ["MISS", "MISS"]
    assert app_requests.count(path) == before + 2
    assert "Set-Cookie" in answers[1].headers


def test_api_reads_are_cached_and_revalidated_likewise(proxy, app_requests):
    path = "/api/v1/themes/"
    first = fetch("GET", path, {"Accept-Encoding": "gzip"})
    again = fetch("GET", path, {"Accept-Encoding": "gzip"})
    assert (first.cache, again.cache) == ("MISS", "HIT")
    assert again.headers["Content-Encoding"] == "gzip"
    assert app_requests.count(path) == 1
    expire()
    assert fetch("GET", path, {"Accept-Encoding": "gzip"}).cache == "REVALIDATED"
    assert app_requests.count(path) == 2
    # With credentials, straight to the app.
    token = fetch("GET", path, {"Authorization": "Token not-a-token"})
    assert token.cache == "BYPASS" and token.status == 401
