"""Anonymous reads from a PostgreSQL streaming replica, everything else from the
primary.

With `DATABASE_REPLICA_URL` set, the settings add a database `replica` (the same
backend and options as `default`, no transaction per request), this router and
`ReplicaMiddleware`. The middleware decides once per request, before anything
reads the database, and holds the choice in a context variable the router reads:

- GET and HEAD without a session cookie, an `Authorization` header or the pin
  cookie read from the replica: the public's pages, API answers and feeds, and
  the content version that files and validates their cached copies
  (core.generation.current_version asks the router, so a cached answer computed
  from the replica is filed under the replica's version, never the primary's);
- every write goes to the primary, whatever the request;
- signed-in users (a session, a token) read from the primary;
- a successful unsafe request (POST, PUT, PATCH, DELETE) sets the pin cookie for
  `REPLICA_PIN_SECONDS`, so that whoever wrote reads their own write from the
  primary while the replica catches up (by milliseconds, normally).

A replica that cannot be reached is not used: the request reads from the primary
and this process leaves the replica alone for `DATABASE_RETRY_AFTER` seconds
(logged once when it goes, once when it is back). A replica that fails in the
middle of a request fails that request (503), as the primary would.

Without a replica nothing of this is installed. Migrations run on `default` only.
"""

from __future__ import annotations

import logging
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
#: Set after a write: this client reads from the primary until it expires.
PIN_COOKIE = "replica_pin"
SAFE_METHODS = frozenset({"GET", "HEAD"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The database this request reads public data from; None: the default.
_reads: ContextVar[str | None] = ContextVar("replica_reads", default=None)


class ReplicaRouter:
    """Reads where the request's middleware said, writes and migrations on the
    primary."""

    def db_for_read(self, model, **hints) -> str | None:
        return _reads.get()

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # One database and its copy: records from either relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


def reads_from_replica(request: HttpRequest) -> bool:
    """Whether `request` is an anonymous read that has not just written."""
    return (
        request.method in SAFE_METHODS
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and PIN_COOKIE not in request.COOKIES
    )


class _Availability:
    """Per process: whether the replica answered, and when to try it again."""

    def __init__(self):
        self.down_until = 0.0
        self.lock = threading.Lock()

    def usable(self) -> bool:
        if time.monotonic() < self.down_until:
            return False
        connection = connections[REPLICA]
        try:
            # A kept connection is checked once a request (CONN_HEALTH_CHECKS)
            # before the first query; here, before the choice is made.
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except DatabaseError as error:
            connection.close()
            with self.lock:
                if not self.down_until:
                    logger.warning(
                        "The read replica does not answer (%s); reading from the "
                        "primary.",
                        error,
                    )
                self.down_until = time.monotonic() + settings.DATABASE_RETRY_AFTER
            return False
        with self.lock:
            if self.down_until:
                logger.warning("The read replica answers again.")
                self.down_until = 0.0
        return True


availability = _Availability()


class ReplicaMiddleware:
    """Chooses the database of the request's reads, and pins writers to the
    primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        replica = reads_from_replica(request) and availability.usable()
        token = _reads.set(REPLICA if replica else None)
        try:
            # A streamed answer's rows are read after this returns: from the
            # primary, which is never older than the version read here.
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method in UNSAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
