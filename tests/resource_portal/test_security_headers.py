"""Every response carries the portal's security headers, and no template needs the
Content-Security-Policy loosened for scripts."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import run_portal

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
# Data blocks are never run: JSON-LD, json_script and the maps' points.
DATA_SCRIPT = re.compile(r'<script [^>]*type="application/(?:ld\+)?json"')


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part)
    }


@pytest.mark.parametrize(
    "path", ["/en/", "/en/potentials/", "/admin/login/", "/api/v1/themes/"]
)
def test_pages_admin_and_api_carry_the_security_headers(client, seeded, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "https://tile.openstreetmap.org" in policy["img-src"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_only_import_exports_one_inline_handler_is_allowed(client, db):
    """script-src-attr admits that handler's exact text by its hash, nothing else."""
    policy = directives(client.get("/en/"))
    assert policy["script-src-attr"][0] == "'unsafe-hashes'"
    assert all(value.startswith("'sha256-") for value in policy["script-src-attr"][1:])
    script_sources = [
        value
        for name, values in policy.items()
        if name.startswith("script")
        for value in values
    ]
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources


def test_the_api_docs_load_their_script_from_a_file(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<script>\s*\S", html) is None
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


@pytest.mark.parametrize(
    ("tile_url", "origin"),
    [
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        (
            "https://tiles.example.net:8443/{z}/{x}/{y}.png",
            "https://tiles.example.net:8443",
        ),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_map_tiles_are_the_one_outside_source_of_images(tile_url, origin):
    result = run_portal(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))",
        ],
        DEBUG="1",
        MAP_TILE_URL=tile_url,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["'self'", "data:"] + ([origin] if origin else [])


def test_tests_run_with_the_content_security_policy():
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    assert not settings.DEBUG


def test_no_template_has_an_inline_script_handler_or_style_element():
    offences = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if path.name.endswith("case_sheet.html"):
                continue  # Drawn into a PDF on the server, never sent to a browser.
            text = path.read_text()
            for match in re.finditer(r"<script\b[^>]*>(.*?)</script>", text, re.S):
                if match.group(1).strip() and not DATA_SCRIPT.match(match.group(0)):
                    offences.append(f"{path}: inline script")
            if re.search(r"\son[a-z]+\s*=", text):
                offences.append(f"{path}: inline event handler")
            if re.search(r"<style\b", text) or re.search(r"\sstyle\s*=", text):
                offences.append(f"{path}: inline style")
            if "javascript:" in text:
                offences.append(f"{path}: javascript: address")
    assert not offences, offences
