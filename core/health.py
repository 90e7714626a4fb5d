"""The health check at /health/: what works, for a load balancer and operators.

A small registry of checks, each a function answering a `Check`: "ok", or what is
wrong, and whether the portal can serve at all without it (`fatal`). The answer
is "ok" when every check is, "degraded" (still 200: the portal serves, slower or
with less) when a non-fatal one is not, and 503 when a fatal one is not. Another
part of the portal adds its check with `@register`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection, connections, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import cache_status
from core.generation import current_version
from core.replica import REPLICA

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    #: Whether the portal cannot serve while this is not "ok".
    fatal: bool = False
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in OK


#: "not configured": a part the portal can do without (a development machine's
#: cache of one process).
OK = frozenset({"ok", "not configured"})
#: A check answers None where its part is not part of this deployment.
CHECKS: list[Callable[[], Check | None]] = []


def register(check: Callable[[], Check | None]) -> Callable[[], Check | None]:
    CHECKS.append(check)
    return check


@register
def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        version = current_version("default")
    except DatabaseError as error:
        logger.warning("Health check: the database does not answer (%s).", error)
        # A broken connection is not reused by the next request.
        connection.close()
        return Check("database", "unavailable", fatal=True)
    return Check(
        "database",
        "ok",
        fatal=True,
        details={
            "content_version": version.number,
            "changed_at": version.changed_at.isoformat(),
        },
    )


@register
def replica() -> Check | None:
    """The read replica, where there is one (core.replica): not fatal, since
    reads fall back to the primary; its content version shows how far behind
    the primary it is."""
    if REPLICA not in settings.DATABASES:
        return None
    try:
        version = current_version(REPLICA)
    except DatabaseError as error:
        logger.warning("Health check: the read replica does not answer (%s).", error)
        connections[REPLICA].close()
        return Check("replica", "unavailable")
    return Check(
        "replica",
        "ok",
        details={
            "content_version": version.number,
            "changed_at": version.changed_at.isoformat(),
        },
    )


@register
def cache() -> Check:
    return Check("cache", cache_status())


def _run(check: Callable[[], Check]) -> Check:
    """A check's answer; one that fails on the database (down, as the database
    check says) cannot tell its part's state."""
    try:
        return check()
    except DatabaseError as error:
        logger.warning("Health check %s: %s", check.__name__, error)
        connection.close()
        return Check(check.__name__, "unknown")


def run_checks() -> tuple[str, int, list[Check]]:
    results = [result for result in map(_run, CHECKS) if result is not None]
    if any(not result.ok and result.fatal for result in results):
        return "unavailable", 503, results
    if all(result.ok for result in results):
        return "ok", 200, results
    return "degraded", 200, results


@transaction.non_atomic_requests
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    status, code, results = run_checks()
    return JsonResponse(
        {
            "status": status,
            "checks": {
                result.name: {"status": result.status, **result.details}
                for result in results
            },
        },
        status=code,
    )
