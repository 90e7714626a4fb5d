"""The WSGI application (gunicorn in production, runserver in development)."""

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resource_portal.settings")

application = get_wsgi_application()

# Load every view now rather than on the first request, and each language's
# translations and addresses (every page links itself in every language: 10 ms a
# language, the first time), then exempt all that is loaded from the cycle
# collector: it lives as long as the process, and each full collection scanned it
# again, some 4 ms of a 500-record API page.
get_resolver().url_patterns  # noqa: B018
for _code, _name in settings.LANGUAGES:
    with translation.override(_code):
        get_resolver().reverse_dict  # noqa: B018
gc.freeze()
