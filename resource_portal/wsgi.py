"""The WSGI application (gunicorn in production, runserver in development)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resource_portal.settings")

application = get_wsgi_application()

# Load every view now rather than on the first request, then exempt all that is
# loaded from the cycle collector: it lives as long as the process, and each full
# collection scanned it again, some 4 ms of a 500-record API page.
get_resolver().url_patterns  # noqa: B018
gc.freeze()
