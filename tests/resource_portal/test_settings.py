"""Settings come from the environment; an insecure production setup does not start."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_portal

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), "
    "'host': s.DATABASES['default'].get('HOST'), "
    "'hosts': s.ALLOWED_HOSTS, 'languages': [c for c, _ in s.LANGUAGES], "
    "'cache': s.CACHES['default']['BACKEND'], 'tz': s.USE_TZ, "
    "'options': s.DATABASES['default'].get('OPTIONS', {})}))"
)


def load_settings(**environment) -> subprocess.CompletedProcess:
    """Import the real settings in a fresh interpreter with only the given variables."""
    return run_portal(["-c", PRINT_SETTINGS], **environment)


def settings_from(**environment) -> dict:
    result = load_settings(**environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_database_url_the_portal_uses_its_embedded_postgresql():
    loaded = settings_from(DEBUG="1")
    assert loaded["engine"] == "core.embedded_db"
    assert (loaded["name"], loaded["host"]) == (
        "resource_portal",
        str(BASE_DIR / ".pgdata"),
    )
    assert settings_from(DEBUG="1", DATABASE_URL="")["engine"] == "core.embedded_db"


def test_development_defaults_need_nothing_but_debug():
    loaded = settings_from(DEBUG="1")
    assert loaded["languages"] == ["en", "de", "pl", "cs", "hu", "sl", "fi"]
    assert loaded["tz"] is True


def test_debug_is_off_unless_asked_for():
    loaded = settings_from(SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org")
    assert loaded["debug"] is False
    assert loaded["hosts"] == ["portal.example.org"]


def test_missing_secret_key_with_debug_off_stops_start_up_with_a_clear_message():
    result = load_settings(DEBUG="0", ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "key", ["short", "django-insecure-development-only-never-use-in-production"]
)
def test_weak_secret_key_with_debug_off_stops_start_up(key):
    result = load_settings(
        DEBUG="0", SECRET_KEY=key, ALLOWED_HOSTS="portal.example.org"
    )
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_empty_allowed_hosts_with_debug_off_stops_start_up():
    result = load_settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is empty" in result.stderr


def test_a_database_url_of_another_engine_stops_start_up():
    result = load_settings(DEBUG="1", DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_database_url_selects_postgresql_and_cache_url_redis():
    loaded = settings_from(
        DEBUG="1",
        DATABASE_URL="postgres://portal:secret@db.internal:5432/portal",
        CACHE_URL="redis://cache.internal:6379/1",
    )
    assert loaded["engine"] == "core.postgresql"
    assert (loaded["name"], loaded["host"]) == ("portal", "db.internal")
    # Data in memory or on SSD: random reads cost about as much as sequential ones.
    # A database that does not answer is given up after seconds, and a web
    # request's statement after 5 s (tests/resource_portal/test_database_faults.py).
    assert loaded["options"] == {
        "options": "-c random_page_cost=1.1 -c statement_timeout=5s",
        "connect_timeout": 3,
    }
    assert settings_from(
        DEBUG="1",
        DATABASE_URL="postgres://portal:secret@db.internal:5432/portal",
        DATABASE_PG_OPTIONS="",
    )["options"] == {"connect_timeout": 3}
    # Django's Redis cache, reusing its clients (core/cache.py).
    assert loaded["cache"] == "core.cache.RedisCache"


def test_the_wsgi_application_loads_its_views_and_languages_and_freezes_them():
    """What the process loads at start is kept out of the cycle collector's scans."""
    result = run_portal(
        [
            "-c",
            "import gc, sys; from resource_portal.wsgi import application; "
            "from django.conf import settings; from django.urls import get_resolver; "
            "from django.utils.translation import trans_real; "
            "print(gc.get_freeze_count(), 'api.views' in sys.modules, "
            "all(code in trans_real._translations "
            "and code in get_resolver()._reverse_dict "
            "for code, _ in settings.LANGUAGES))",
        ],
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    frozen, views_loaded, languages_loaded = result.stdout.split()
    assert int(frozen) > 10_000
    assert views_loaded == "True"
    assert languages_loaded == "True"
