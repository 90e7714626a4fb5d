"""PostgreSQL as Django's backend has it, with a deadline on every answer.

A server that stops answering in the middle of a request (paused, or cut off
behind a network that drops nothing) would otherwise hold the web worker until
the server comes back: libpq has no timeout of its own once connected, and the
server's `statement_timeout` cannot fire in a server that does not run. Each wait
for the server here ends after `settings.DATABASE_ANSWER_TIMEOUT` seconds (0:
never); the connection is then closed and the request fails with an
OperationalError, which pages and the API answer with 503 (portal/errors.py,
api/exceptions.py).

A connection kept between requests (CONN_MAX_AGE) is checked before a request's
first query; that check waits at most `settings.DATABASE_HEALTH_CHECK_TIMEOUT`
seconds, after which the connection is replaced.
"""

ENGINE = "core.postgresql"
