"""The request bodies the API reads."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "request_too_large"


class JSONParser(parsers.JSONParser):
    """DRF's, refusing a body larger than Django takes from a form
    (`DATA_UPLOAD_MAX_MEMORY_SIZE`) with 413: DRF reads the stream itself, past
    Django's limit."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            request = (parser_context or {}).get("request")
            declared = request.META.get("CONTENT_LENGTH") if request else None
            if declared and declared.isdigit() and int(declared) > limit:
                raise RequestTooLarge()
        return super().parse(stream, media_type, parser_context)
