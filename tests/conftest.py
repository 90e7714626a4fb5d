import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from core.http_cache import local_answers
from portal.seed import seed_content_load


def pytest_report_header(config) -> str:
    database = settings.DATABASES["default"]
    where = (
        f"the embedded server in {database['HOST']}"
        if database["ENGINE"] == "core.embedded_db"
        else f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}"
    )
    return f"database: PostgreSQL, {where}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, holding the portal's real seed content, loaded once for
    the session; every test runs in a transaction that is rolled back after it."""
    with django_db_blocker.unblock():
        if not connection.settings_dict["NAME"].startswith("test_"):
            # No test that ran asked for the database, so pytest-django made
            # none: this is a real database, and nothing is loaded into it.
            return None
        report = seed_content_load()
        # Fresh statistics, as after a real load: the planner plans with them.
        # The portal's tables, not the server's shared catalogs as a bare
        # ANALYZE would: their locks are shared with every other database on
        # the server, and a copy of one being made there (CREATE DATABASE …
        # TEMPLATE) held this ANALYZE past the statement timeout.
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            cursor.execute(
                "ANALYZE " + ", ".join(map(connection.ops.quote_name, tables))
            )
        # Tests run under an event loop (Playwright's) reach the database through
        # a connection of their own; this one would be left open, and the test
        # database could not be dropped at the end.
        connection.close()
    return report


@pytest.fixture
def seeded(db, django_db_setup):
    """The database holding the seed content (the load's report)."""
    return django_db_setup


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_cached_answers():
    """Each test computes its pages and answers afresh: a test's writes are rolled
    back, which leaves the content version where an earlier test may have filed
    a page of the same address (core/http_cache.py)."""
    cache.clear()
    local_answers.clear()
    yield
    local_answers.clear()
