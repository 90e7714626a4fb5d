"""Small request helpers shared by views and settings."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from.

    Without proxies it is REMOTE_ADDR. Behind TRUSTED_PROXY_COUNT proxies it is the
    entry the outermost of them appended to X-Forwarded-For; entries further left
    are written by the client and cannot be trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
