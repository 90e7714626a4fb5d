"""Settings for bench/api.py: the real settings plus the floor view's address."""

from resource_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
