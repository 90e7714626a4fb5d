"""Django's PostgreSQL backend on the embedded server (see `server`).

`settings.DATABASES` uses it when no `DATABASE_URL` is given: `HOST` is the
server's data folder, which it starts on the first connection and where it
creates the database `NAME` if it is missing.
"""

ENGINE = "core.embedded_db"
