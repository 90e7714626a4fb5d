"""Settings for bench/pages.py: those of bench/faults.py (the real settings, the
static files collected into the run's own folder: pages name them) with the
floor's address of bench/api.py."""

from bench.faults_settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
