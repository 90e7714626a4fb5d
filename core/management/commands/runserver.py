"""runserver, holding the embedded PostgreSQL server in the autoreloader.

The autoreloader runs the site in a child process that it replaces on every code
change and kills a quarter of a second after Ctrl-C. The watching parent holds the
server for it instead: the server runs as long as runserver does, through every
reload, and the parent stops it when it ends. (With DATABASE_URL there is nothing
to hold.)
"""

from pathlib import Path

from django.conf import settings
from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as RunserverCommand,
)

from core.embedded_db import ENGINE
from core.embedded_db.server import hold_for_children


class Command(RunserverCommand):
    def run(self, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] == ENGINE:
            hold_for_children(Path(database["HOST"]))
        super().run(**options)
