"""docker-compose.yml agrees with the settings (no Docker engine runs here)."""

import re
import secrets
from pathlib import Path

import yaml

from tests.helpers import run_portal
from tests.resource_portal.test_settings import settings_from

BASE_DIR = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SETTINGS_SOURCE = (BASE_DIR / "resource_portal" / "settings.py").read_text()
SETTINGS_VARIABLES = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))


def interpolate(value: str, **variables: str) -> str:
    """Resolve compose's ${NAME}, ${NAME:-default} and ${NAME:?message} forms."""

    def resolve(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if name in variables:
            return variables[name]
        assert operator != ":?", f"{name} must be set"
        return rest or ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", resolve, str(value))


def test_the_single_host_services_are_all_there():
    assert {"postgres", "redis", "migrate", "web", "proxy", "worker"} <= set(SERVICES)
    assert "--bind" in SERVICES["web"]["command"]
    assert "0.0.0.0:8000" in SERVICES["web"]["command"]
    assert "migrate" in " ".join(SERVICES["migrate"]["command"])
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_the_worker_runs_the_web_image_with_its_environment():
    worker = SERVICES["worker"]
    assert worker["build"] == SERVICES["web"]["build"]
    assert worker["environment"] == SERVICES["web"]["environment"]
    assert worker["command"][-2:] == ["db_worker", "--no-reload"]
    assert worker["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "ports" not in worker


def test_app_environment_uses_only_variables_the_settings_read():
    for name in ("web", "migrate"):
        assert set(SERVICES[name]["environment"]) <= SETTINGS_VARIABLES
    assert {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "CACHE_URL"} <= set(
        SERVICES["web"]["environment"]
    )


def test_database_and_cache_urls_point_at_the_compose_services():
    environment = {
        name: interpolate(value, SECRET_KEY="s" * 50, POSTGRES_PASSWORD="pw")
        for name, value in SERVICES["web"]["environment"].items()
    }
    loaded = settings_from(**environment)
    assert loaded["debug"] is False
    assert loaded["engine"] == "core.postgresql"
    assert loaded["host"] == "postgres"
    assert loaded["name"] == SERVICES["postgres"]["environment"]["POSTGRES_DB"]
    assert environment["DATABASE_URL"].startswith(
        f"postgres://{SERVICES['postgres']['environment']['POSTGRES_USER']}:pw@postgres:5432/"
    )
    assert environment["CACHE_URL"].startswith("redis://redis:6379/")
    assert loaded["cache"] == "core.cache.RedisCache"


def test_only_the_proxy_is_reachable_from_outside():
    """gunicorn listens on the internal network, where only the proxy reaches it."""
    published = {name for name, service in SERVICES.items() if "ports" in service}
    assert published == {"proxy"}
    assert SERVICES["web"]["expose"] == ["8000"]
    assert COMPOSE["networks"]["default"]["internal"] is True
    for name, service in SERVICES.items():
        # Every service is on the internal network, the proxy beside it on the
        # network of its published ports.
        assert "default" in service.get("networks", ["default"]), name
    assert "edge" in SERVICES["proxy"]["networks"]
    assert "edge" not in SERVICES["web"]["networks"]
    assert interpolate(SERVICES["proxy"]["environment"]["UPSTREAM"]) == "web:8000"
    assert set(SERVICES["proxy"]["ports"]) >= {"80:80", "443:443"}


def test_the_proxy_runs_the_repositorys_caddyfile_with_the_shared_files():
    caddyfile = (BASE_DIR / "deploy" / "Caddyfile").read_text()
    proxy = SERVICES["proxy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    # The Caddyfile's placeholders are the variables the service gives it.
    placeholders = set(re.findall(r"\{\$(\w+)(?::[^}]*)?\}", caddyfile))
    assert set(proxy["environment"]) <= placeholders
    mounts = dict(volume.split(":")[:2] for volume in proxy["volumes"])
    assert mounts["static"] == proxy["environment"]["STATIC_DIR"]
    assert mounts["media"] == proxy["environment"]["MEDIA_DIR"]
    # The same volumes the app writes uploads to and the migration copies the
    # collected static files into.
    assert "media:/app/media" in SERVICES["web"]["volumes"]
    static_target = dict(v.split(":")[:2] for v in SERVICES["migrate"]["volumes"])
    assert f"/app/staticfiles/. {static_target['static']}/" in " ".join(
        SERVICES["migrate"]["command"]
    )


def test_the_app_trusts_exactly_the_one_proxy_and_requires_https():
    environment = {
        name: interpolate(value, SECRET_KEY="s" * 50, POSTGRES_PASSWORD="pw")
        for name, value in SERVICES["web"]["environment"].items()
    }
    result = run_portal(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], "
            "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SITE_URL)",
        ],
        **environment,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "1",
        "1",
        "True",
        "True",
        "31536000",
        "https://localhost",
    ]


def test_check_deploy_with_the_compose_environment_warns_of_nothing():
    """`manage.py check --deploy` as the web service would run it, with a real
    random key in .env."""
    environment = {
        name: interpolate(
            value, SECRET_KEY=secrets.token_urlsafe(50), POSTGRES_PASSWORD="pw"
        )
        for name, value in SERVICES["web"]["environment"].items()
    }
    result = run_portal(["manage.py", "check", "--deploy"], **environment)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output


def test_dockerfile_serves_the_wsgi_application_on_the_exposed_port():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "EXPOSE 8000" in dockerfile
    assert "resource_portal.wsgi:application" in dockerfile
    assert "FROM python:3.11" in dockerfile


def test_static_files_collect_with_the_production_storage(settings, tmp_path):
    """The image's collectstatic step: manifest storage refuses broken references.

    The image compresses each file too (whitenoise's CompressedManifest…): that
    part is the library's own, and compressing the icon sets' thousands of files
    took most of the suite's longest test, so it is left out here."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert (tmp_path / "jquery-ui" / "jquery-ui.min.js").exists()
