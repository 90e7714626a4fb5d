from __future__ import annotations

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg.errors import _WaitTimeout


class AnswerDeadlineConnection(psycopg.Connection):
    """A psycopg connection that gives up on a server that does not answer."""

    #: Seconds to wait for this answer instead of DATABASE_ANSWER_TIMEOUT.
    deadline: float | None = None

    def wait(self, gen, interval=0.1, timeout=None):
        deadline = self.deadline or settings.DATABASE_ANSWER_TIMEOUT or None
        try:
            return super().wait(
                gen, interval=interval, timeout=timeout if timeout else deadline
            )
        except _WaitTimeout:
            if timeout:  # A caller's own timeout: theirs to handle.
                raise
            # The protocol stopped half-way: nothing more can be sent on it.
            self.close()
            raise psycopg.OperationalError(
                f"The database did not answer within {deadline:g} s; "
                "the connection was closed."
            ) from None


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if type(connection) is psycopg.Connection:
            connection.__class__ = AnswerDeadlineConnection
        return connection

    def is_usable(self):
        """Whether a kept connection (CONN_MAX_AGE) still answers `SELECT 1`
        (CONN_HEALTH_CHECKS: once per request, before its first query).

        A healthy server answers in well under a millisecond; one that takes
        DATABASE_HEALTH_CHECK_TIMEOUT is taken as away, the connection is
        closed and a new one is tried, which meets the connect timeout: so a
        kept connection to a hung server costs a request little more than a new
        one would.
        """
        connection = self.connection
        if not isinstance(connection, AnswerDeadlineConnection):
            return super().is_usable()
        connection.deadline = settings.DATABASE_HEALTH_CHECK_TIMEOUT
        try:
            return super().is_usable()
        finally:
            connection.deadline = None
