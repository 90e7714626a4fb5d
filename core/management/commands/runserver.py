"""runserver, holding the embedded PostgreSQL server in the autoreloader too.

The autoreloader runs the site in a child process that it replaces on every code
change. Were the child the only process using the embedded server, each change
would stop and start the server; the watching parent uses it too, so it runs as
long as runserver does. (With DATABASE_URL there is nothing to hold.)
"""

from pathlib import Path

from django.conf import settings
from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as RunserverCommand,
)

from core.embedded_db import ENGINE
from core.embedded_db.server import server_socket_dir


class Command(RunserverCommand):
    def run(self, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] == ENGINE:
            server_socket_dir(Path(database["HOST"]))
        super().run(**options)
