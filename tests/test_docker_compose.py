"""docker-compose.yml agrees with the settings (no Docker engine runs here)."""

import json
import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest
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


# The portal's gunicorn worker (resource_portal/workers.py), by its import path.
WORKER_CLASS = "resource_portal.workers.SyncWorker"


def _worker_class(command: list[str]) -> str:
    return command[command.index("--worker-class") + 1]


def test_the_single_host_services_are_all_there():
    assert {"postgres", "redis", "migrate", "web", "proxy", "worker", "cache"} <= set(
        SERVICES
    )
    assert "--bind" in SERVICES["web"]["command"]
    assert "0.0.0.0:8000" in SERVICES["web"]["command"]
    assert _worker_class(SERVICES["web"]["command"]) == WORKER_CLASS
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
    """gunicorn listens on the internal network, where only the cache reaches it."""
    published = {name for name, service in SERVICES.items() if "ports" in service}
    assert published == {"proxy"}
    assert SERVICES["web"]["expose"] == ["8000"]
    assert SERVICES["cache"]["expose"] == ["8080"]
    assert COMPOSE["networks"]["default"]["internal"] is True
    for name, service in SERVICES.items():
        # Every service is on the internal network, the proxy beside it on the
        # network of its published ports.
        assert "default" in service.get("networks", ["default"]), name
    assert "edge" in SERVICES["proxy"]["networks"]
    assert "edge" not in SERVICES["web"]["networks"]
    assert set(SERVICES["proxy"]["ports"]) >= {"80:80", "443:443"}


def test_requests_pass_caddy_then_the_page_cache_then_the_web_containers():
    cache = SERVICES["cache"]
    assert interpolate(SERVICES["proxy"]["environment"]["UPSTREAM"]) == (
        f"cache:{cache['environment']['NGINX_PORT']}"
    )
    assert cache["image"].startswith("nginx:1.27")
    assert cache["environment"]["UPSTREAM"] == "web:8000"
    # The image's entrypoint fills the template in from these variables.
    assert (
        "./deploy/nginx/portal.conf.template:"
        "/etc/nginx/templates/portal.conf.template:ro"
    ) in cache["volumes"]
    mounts = dict(volume.split(":")[:2] for volume in cache["volumes"])
    assert mounts["page-cache"] == cache["environment"]["NGINX_CACHE_DIR"]
    assert "page-cache" in COMPOSE["volumes"]
    assert SERVICES["proxy"]["depends_on"] == {
        "cache": {"condition": "service_started"}
    }
    assert cache["depends_on"]["web"]["condition"] == "service_healthy"


def test_several_web_containers_share_one_configuration():
    web = SERVICES["web"]
    assert int(interpolate(web["deploy"]["replicas"])) >= 2
    assert int(interpolate(web["deploy"]["replicas"], WEB_REPLICAS="6")) == 6
    # Nothing that would tie the service to one container.
    assert "container_name" not in web and "ports" not in web
    assert "--workers" in web["command"]
    workers = web["command"][web["command"].index("--workers") + 1]
    assert interpolate(workers) == "3"
    assert interpolate(workers, WEB_WORKERS="5") == "5"


def test_services_that_serve_have_health_checks():
    for name in ("postgres", "redis", "web", "cache", "proxy", "postgres-replica"):
        assert SERVICES[name]["healthcheck"]["test"], name
    probe = SERVICES["web"]["healthcheck"]["test"]
    assert "http://127.0.0.1:8000/health/" in probe[-1]
    # The app requires HTTPS and a host it serves: the probe says both.
    assert "X-Forwarded-Proto" in probe[-1] and "ALLOWED_HOSTS" in probe[-1]


def test_the_replica_is_optional_and_follows_the_primary():
    replica = SERVICES["postgres-replica"]
    assert replica["profiles"] == ["replica"]
    assert replica["image"] == SERVICES["postgres"]["image"]
    command = " ".join(replica["command"])
    assert "pg_basebackup --host=postgres" in command
    assert "--write-recovery-conf" in command
    assert replica["depends_on"]["postgres"]["condition"] == "service_healthy"
    # The primary lets it connect for replication, on its first start.
    script = "./deploy/postgres/allow-replication.sh"
    assert any(v.startswith(f"{script}:") for v in SERVICES["postgres"]["volumes"])
    assert "host replication" in (BASE_DIR / script).read_text()
    # The app reads from it only when told to; by default from the primary.
    assert interpolate(SERVICES["web"]["environment"]["DATABASE_REPLICA_URL"]) == ""


def test_the_app_reads_from_the_compose_replica_when_configured():
    environment = {
        name: interpolate(
            value,
            SECRET_KEY="s" * 50,
            POSTGRES_PASSWORD="pw",
            DATABASE_REPLICA_URL="postgres://portal:pw@postgres-replica:5432/portal",
        )
        for name, value in SERVICES["web"]["environment"].items()
    }
    result = run_portal(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "r = s.DATABASES['replica']; "
            "print(r['ENGINE'], r['HOST'], r['NAME'], r['ATOMIC_REQUESTS'], "
            "s.DATABASE_ROUTERS[0], 'core.replica.ReplicaMiddleware' in s.MIDDLEWARE)",
        ],
        **environment,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "core.postgresql",
        "postgres-replica",
        "portal",
        "False",
        "core.replica.ReplicaRouter",
        "True",
    ]


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


def test_the_app_trusts_exactly_the_two_proxies_and_requires_https():
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
        "2",
        "2",
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
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert _worker_class(json.loads(command.removeprefix("CMD"))) == WORKER_CLASS
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


def test_docker_compose_accepts_the_file_with_and_without_the_replica():
    """Compose's own reading of the file, where its command-line tool is here."""
    command = (
        ["docker-compose"]
        if shutil.which("docker-compose")
        else ["docker", "compose"]
        if shutil.which("docker")
        and subprocess.run(
            ["docker", "compose", "version"], capture_output=True
        ).returncode
        == 0
        else None
    )
    if command is None:
        pytest.skip(
            "No docker compose command: the file is checked by the tests above."
        )
    for profile in ([], ["--profile", "replica"]):
        result = subprocess.run(
            [*command, *profile, "config", "--services"],
            cwd=BASE_DIR,
            env={
                "PATH": os.environ["PATH"],
                "SECRET_KEY": "s" * 50,
                "POSTGRES_PASSWORD": "pw",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        # (Whether a profile's services are listed depends on compose's version.)
        assert {"web", "cache", "proxy", "worker"} <= set(result.stdout.split())
