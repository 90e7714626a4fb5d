"""Settings for bench/faults.py: the real settings, with the static files collected
into the run's own temporary folder instead of the checkout's."""

import os
from pathlib import Path

from resource_portal.settings import *  # noqa: F403
from resource_portal.settings import STORAGES

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
# The same hashed names as whitenoise's storage, without its compressed copies:
# those took two minutes of CPU here on every run, and no client of the benchmark
# asks for a static file.
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
