"""The site's error pages for errors no view answered itself (resource_portal/urls.py
sends addresses under /api/ to api.exceptions instead)."""

import sys

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.views import defaults

from core.http import database_unavailable, retry_later


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 with Retry-After when the database could not be reached or
    did not answer in time, in the language of the address (/de/…).

    Called inside the `except` that caught the error, which may have come before
    LocaleMiddleware chose the language; rendered without a database, as the
    pages are standalone templates.
    """
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        if database_unavailable(sys.exc_info()[1]):
            page = loader.get_template("503.html").render()
            return retry_later(HttpResponse(page, status=503))
        return defaults.server_error(request)
