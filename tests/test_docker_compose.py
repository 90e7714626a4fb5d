"""docker-compose.yml agrees with the settings (no Docker engine runs here)."""

import re
from pathlib import Path

import yaml

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
    assert set(SERVICES) == {"postgres", "redis", "migrate", "web", "worker"}
    assert SERVICES["web"]["ports"] == ["8000:8000"]
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
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["host"] == "postgres"
    assert loaded["name"] == SERVICES["postgres"]["environment"]["POSTGRES_DB"]
    assert environment["DATABASE_URL"].startswith(
        f"postgres://{SERVICES['postgres']['environment']['POSTGRES_USER']}:pw@postgres:5432/"
    )
    assert environment["CACHE_URL"].startswith("redis://redis:6379/")
    assert loaded["cache"] == "core.cache.RedisCache"


def test_dockerfile_serves_the_wsgi_application_on_the_published_port():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "EXPOSE 8000" in dockerfile
    assert "resource_portal.wsgi:application" in dockerfile
    assert "FROM python:3.11" in dockerfile


def test_static_files_collect_with_the_production_storage(settings, tmp_path):
    """The image's collectstatic step: manifest storage refuses broken references."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert (tmp_path / "jquery-ui" / "jquery-ui.min.js").exists()
    cluster = tmp_path / "leaflet-markercluster"
    assert (cluster / "leaflet.markercluster-src.js").exists()
    assert (cluster / "MarkerCluster.css").exists()
