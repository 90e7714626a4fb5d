"""Settings for the test suite: the real settings, run as in production (DEBUG off).

Only what a test run cannot provide is filled in: a secret key and host names, and
static files without a collected manifest.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

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
