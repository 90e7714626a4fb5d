"""The task worker, run in the test's own process and transaction."""

from unittest import mock

from django.core.management import call_command
from django_tasks_db.management.commands import db_worker


def run_worker() -> None:
    """Run `manage.py db_worker` until the queue is empty: the real worker loop,
    claiming each task in PostgreSQL and recording its result.

    Between tasks the worker closes connections that are not in autocommit, as a
    request does; inside a test's transaction that would close it, so that step
    is left out here, as Django's test client leaves it out for requests.
    """
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command(
            "db_worker",
            batch=True,
            reload=False,
            startup_delay=False,
            interval=0,
            verbosity=0,
        )
