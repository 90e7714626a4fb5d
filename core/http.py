"""Small request helpers shared by views and settings."""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse


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


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error`, or an error it arose from, says the database cannot be
    reached or did not answer in time (refused, connect or statement timeout,
    a connection lost): a passing state, answered 503, not a fault of ours."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def retry_later(response: HttpResponse) -> HttpResponse:
    """`response` with the Retry-After of an unavailable database."""
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    return response
