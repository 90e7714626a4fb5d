"""The proxies of docker-compose.yml, run for real: Caddy with deploy/Caddyfile in
front of the page cache, nginx with deploy/nginx/portal.conf.template, in front of
the portal, as the compose file sets them up (no Docker engine runs here).

Needs Debian's `caddy` and `nginx`. Without them these tests are skipped with a
message, unless REQUIRE_BROWSER=1 (as in CI, whose .ci/run installs them), which
makes them fail. The proxy listens on DEPLOYMENT_TEST_HTTPS_PORT and
DEPLOYMENT_TEST_HTTP_PORT (18443 and 18080) on every address, the cache on
DEPLOYMENT_TEST_CACHE_PORT (8144) of 127.0.0.1; the portal on a free port of
127.0.0.1.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import yaml
from axes.models import AccessAttempt
from django.db import connections
from django.test import override_settings

from tests.helpers import served_portal, unavailable

BASE_DIR = Path(__file__).resolve().parents[1]
CADDYFILE = BASE_DIR / "deploy" / "Caddyfile"
CADDY = os.environ.get("CADDY", "caddy")
NGINX = os.environ.get("NGINX", "nginx")
NGINX_TEMPLATE = BASE_DIR / "deploy" / "nginx" / "portal.conf.template"
CACHE_PORT = int(os.environ.get("DEPLOYMENT_TEST_CACHE_PORT", "8144"))
# The app's environment in the compose file: how many proxies it trusts.
COMPOSE_ENVIRONMENT = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())[
    "services"
]["web"]["environment"]
HTTPS_PORT = int(os.environ.get("DEPLOYMENT_TEST_HTTPS_PORT", "18443"))
HTTP_PORT = int(os.environ.get("DEPLOYMENT_TEST_HTTP_PORT", "18080"))
HOST = f"localhost:{HTTPS_PORT}"
# Loopback addresses of two clients, both other than the proxy's own 127.0.0.1.
CLIENT, OTHER_CLIENT = "127.0.0.2", "127.0.0.3"
HASHED_CSS = "css/portal.0123456789ab.css"
# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


# The portal's thread reads the committed seed; the tests read what it wrote.
pytestmark = pytest.mark.django_db

# The user names the lock-out test fails to log in as; removed after the module.
USERNAME_PREFIX = "deployment-test-"


class Client(http.client.HTTPSConnection):
    """An HTTPS connection to the proxy from a given loopback address, checking the
    certificate Caddy's local authority issued for localhost."""

    def __init__(self, cafile: Path, address: str = CLIENT):
        super().__init__(
            "localhost",
            HTTPS_PORT,
            timeout=10,
            context=ssl.create_default_context(cafile=str(cafile)),
        )
        self.address = address

    def connect(self):
        sock = socket.create_connection(
            ("127.0.0.1", HTTPS_PORT), self.timeout, (self.address, 0)
        )
        self.sock = self._context.wrap_socket(sock, server_hostname="localhost")

    def fetch(self, method: str, path: str, body=None, headers=None):
        self.request(method, path, body=body, headers=headers or {})
        response = self.getresponse()
        return response, response.read()


def _unavailable(reason: str) -> None:
    unavailable(reason, "deployment")


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker):
    """The portal as gunicorn runs it in the compose file: HTTPS required, two
    trusted proxies; served by a thread of this process over the test database."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            SECURE_SSL_REDIRECT=True,
            TRUSTED_PROXY_COUNT=int(COMPOSE_ENVIRONMENT["TRUSTED_PROXY_COUNT"]),
            AXES_FAILURE_LIMIT=2,
        ),
    ):
        with served_portal() as port:
            yield f"127.0.0.1:{port}"
        # Written by the portal's thread, outside any test's transaction.
        AccessAttempt.objects.filter(username__startswith=USERNAME_PREFIX).delete()
        connections.close_all()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The static and media volumes, with a file of each kind the proxy tells apart."""
    root = tmp_path_factory.mktemp("volumes")
    static, media = root / "static", root / "media"
    css = (BASE_DIR / "static" / "css" / "portal.css").read_bytes()
    (static / "css").mkdir(parents=True)
    (static / HASHED_CSS).write_bytes(css)
    (static / (HASHED_CSS + ".gz")).write_bytes(gzip.compress(css))
    (static / "css" / "portal.css").write_bytes(css)
    for name, content in {
        "pictures/photo.png": PNG,
        "pictures/PHOTO.PNG": PNG,
        "publications/page.html": b"<script>alert(document.cookie)</script>",
        "publications/drawing.svg": (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        ),
        "publications/photo.png.html": b"<script>alert(1)</script>",
        "publications/report.pdf": b"%PDF-1.4\n%%EOF\n",
    }.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
    return static, media, css


@pytest.fixture(scope="module")
def cache(portal, tmp_path_factory):
    """nginx with the repository's template, filled in as the nginx image's
    entrypoint does (envsubst of the service's variables) and included in an
    `http` block as the image's nginx.conf includes conf.d/."""
    if not shutil.which(NGINX) and not Path("/usr/sbin/nginx").exists():
        _unavailable(f"No {NGINX} binary (install Debian's nginx)")
    if not NGINX_TEMPLATE.exists():
        _unavailable(f"No {NGINX_TEMPLATE.relative_to(BASE_DIR)}")
    nginx = shutil.which(NGINX) or "/usr/sbin/nginx"
    home = tmp_path_factory.mktemp("nginx")
    variables = {
        "NGINX_PORT": str(CACHE_PORT),
        "UPSTREAM": portal,
        "NGINX_CACHE_DIR": str(home / "cache"),
    }
    (home / "portal.conf").write_text(
        re.sub(
            r"\$\{?(" + "|".join(variables) + r")\}?",
            lambda match: variables[match.group(1)],
            NGINX_TEMPLATE.read_text(),
        )
    )
    temp = "\n".join(
        f"    {kind}_temp_path {home / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (home / "nginx.conf").write_text(
        f"""
# As root, the workers too: they write the cache in this test's folder.
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/error.log warn;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp}
    include {home}/portal.conf;
}}
"""
    )
    process = subprocess.Popen(
        [nginx, "-c", str(home / "nginx.conf"), "-p", str(home), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx stopped: {process.stderr.read()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", CACHE_PORT), 1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not listen in 10 s"
                time.sleep(0.1)
        yield f"127.0.0.1:{CACHE_PORT}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def proxy(cache, files, tmp_path_factory):
    """Caddy with the repository's Caddyfile; yields the root certificate of its
    local authority."""
    if not shutil.which(CADDY):
        _unavailable(f"No {CADDY} binary (install Debian's caddy)")
    static, media, _ = files
    home = tmp_path_factory.mktemp("caddy")
    process = subprocess.Popen(
        [CADDY, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env={
            "PATH": os.environ["PATH"],
            # Certificates and the local authority in this run's folder only.
            "HOME": str(home),
            "XDG_DATA_HOME": str(home),
            "XDG_CONFIG_HOME": str(home),
            "SITE_ADDRESS": HOST,
            "HTTP_PORT": str(HTTP_PORT),
            "CADDY_ADMIN": "off",
            "UPSTREAM": cache,
            "STATIC_DIR": str(static),
            "MEDIA_DIR": str(media),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    cafile = home / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"Caddy stopped: {process.stderr.read()[-3000:]}")
            try:
                with_status = Client(cafile).fetch("GET", "/static/" + HASHED_CSS)
                if with_status[0].status == 200:
                    break
            except (OSError, ssl.SSLError):
                pass
            assert time.monotonic() < deadline, "Caddy did not answer in 20 s"
            time.sleep(0.2)
        yield cafile
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_plain_http_is_redirected_to_https(proxy):
    connection = http.client.HTTPConnection("localhost", HTTP_PORT, timeout=10)
    connection.request("GET", "/en/potentials/?search=lake")
    response = connection.getresponse()
    assert response.status in (301, 308)
    assert response.getheader("Location") == (
        f"https://{HOST}/en/potentials/?search=lake"
    )


def test_pages_pass_through_with_the_apps_security_headers(proxy):
    """The app requires HTTPS (SECURE_SSL_REDIRECT): a 200, not a redirect, shows
    it learnt from the proxy that the request came over HTTPS."""
    response, body = Client(proxy).fetch("GET", "/en/")
    assert response.status == 200
    assert b"ReSource Portal" in body
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains"
    )
    policy = response.getheader("Content-Security-Policy")
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src ")[1].split(";")[0]
    )
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_static_files_are_served_by_the_proxy_with_long_caching(proxy, files):
    _, _, css = files
    client = Client(proxy)
    response, body = client.fetch("GET", "/static/" + HASHED_CSS)
    assert response.status == 200
    assert body == css
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Type").startswith("text/css")
    # whitenoise's compressed copy, when the browser takes it.
    response, body = client.fetch(
        "GET", "/static/" + HASHED_CSS, headers={"Accept-Encoding": "gzip"}
    )
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == css
    # A name without a hash may change with the next image.
    response, _ = client.fetch("GET", "/static/css/portal.css")
    assert response.getheader("Cache-Control") == "public, max-age=3600"
    # The volume, not the app: a file the app would find is not in it.
    response, _ = client.fetch("GET", "/static/js/portal.js")
    assert response.status == 404


@pytest.mark.parametrize("name", ["pictures/photo.png", "pictures/PHOTO.PNG"])
def test_pictures_are_shown_inline(proxy, name):
    response, body = Client(proxy).fetch("GET", "/media/" + name)
    assert response.status == 200
    assert body == PNG
    assert response.getheader("Content-Type") == "image/png"
    assert response.getheader("Content-Disposition") is None
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Security-Policy") == (
        "default-src 'none'; sandbox"
    )


@pytest.mark.parametrize(
    "name",
    [
        "publications/page.html",
        "publications/drawing.svg",
        "publications/photo.png.html",
        "publications/report.pdf",
    ],
)
def test_other_uploads_are_downloaded_never_rendered(proxy, name):
    response, _ = Client(proxy).fetch("GET", "/media/" + name)
    assert response.status == 200
    assert response.getheader("Content-Disposition") == "attachment"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Security-Policy") == (
        "default-src 'none'; sandbox"
    )


def test_media_folders_are_not_listed(proxy):
    response, body = Client(proxy).fetch("GET", "/media/publications/")
    assert response.status == 404
    assert b"page.html" not in body


def _fail_login(client: Client, username: str) -> int:
    """One wrong password for `username` in the admin's login form, as a browser
    sends it, with an X-Forwarded-For the client made up."""
    forged = {"X-Forwarded-For": "203.0.113.9"}
    response, body = client.fetch("GET", "/admin/login/", headers=forged)
    assert response.status == 200
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    response, _ = client.fetch(
        "POST",
        "/admin/login/",
        body=f"csrfmiddlewaretoken={token.decode()}&username={username}"
        "&password=wrong-password",
        headers={
            **forged,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/admin/login/",
        },
    )
    return response.status


def test_lockouts_count_per_client_address_behind_the_proxies(proxy):
    """Every request reaches the app from the cache's 127.0.0.1, with Caddy's
    127.0.0.1 after the client's address in X-Forwarded-For: only with the
    client's address from there (not the one it forged) does one client's
    lock-out leave another client alone."""
    username = f"{USERNAME_PREFIX}{uuid.uuid4().hex[:8]}"
    client = Client(proxy, CLIENT)
    statuses = [_fail_login(client, username) for _ in range(3)]
    # The form again with its error, then django-axes' lock-out (limit 2).
    assert statuses[0] == 200
    assert statuses[-1] == 429
    assert _fail_login(Client(proxy, OTHER_CLIENT), username) == 200
    addresses = AccessAttempt.objects.filter(username=username).values_list(
        "ip_address", flat=True
    )
    assert set(addresses) == {CLIENT, OTHER_CLIENT}
