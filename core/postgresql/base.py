from __future__ import annotations

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg.errors import _WaitTimeout


class AnswerDeadlineConnection(psycopg.Connection):
    """A psycopg connection that gives up on a server that does not answer."""

    def wait(self, gen, interval=0.1, timeout=None):
        deadline = settings.DATABASE_ANSWER_TIMEOUT or None
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
