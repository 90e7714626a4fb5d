"""Settings for the test suite: the real settings, run as in production (DEBUG off).

Only what a test run cannot provide is filled in: a secret key and host names, and
static files without a collected manifest. The database is PostgreSQL: the server
at POSTGRES_TEST_URL when it answers (the machine's own, as in CI), otherwise the
portal's embedded server, so that a machine without PostgreSQL runs every test
too. With REQUIRE_POSTGRES=1 the server at POSTGRES_TEST_URL must answer. A
DATABASE_URL given outright is used as it is.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import psycopg
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

POSTGRES_TEST_URL = os.environ.get(
    "POSTGRES_TEST_URL", "postgres://postgres@127.0.0.1:5432/resource_portal"
)


def _answers(url: str) -> bool:
    try:
        psycopg.connect(url, dbname="postgres", connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


if not os.environ.get("DATABASE_URL"):
    if _answers(POSTGRES_TEST_URL):
        os.environ["DATABASE_URL"] = POSTGRES_TEST_URL
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        raise ImproperlyConfigured(
            f"PostgreSQL does not answer at {POSTGRES_TEST_URL} and "
            "REQUIRE_POSTGRES=1: start it, or unset REQUIRE_POSTGRES to test on "
            "the embedded server."
        )

from resource_portal.settings import *  # noqa: E402, F403
from resource_portal.settings import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fast hashing: the suite creates many users; real hashing is not under test here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files come from the finders; no collectstatic run is needed for tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploaded pictures and their renditions go to a directory of this test run's own,
# removed at its end: never into the repository's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="rp-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# The suite asks for many pages from one address; the tests of the limit turn it
# on (tests/test_faults_cache.py).
HTML_RATE_LIMIT = ""
HTML_SEARCH_RATE_LIMIT = ""
