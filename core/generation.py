"""The content version: which state of the public data a reader sees.

One row (core.ContentVersion) holds a version number and the time of the last
change to public data. The database moves it itself, in the same transaction as
the change: every table of the public apps has a statement-level trigger
(installed by `install_triggers`, after every migrate) that draws the next number
from a sequence. So a write through the ORM, `bulk_create()`, `update()` or raw
SQL moves it alike, a rolled-back change leaves no trace a reader could see, and
nothing depends on the cache being reachable when it happens.

Cached answers (core.http_cache) are filed with the version they were computed in
and used only while a fresh read of the row says it is still current: the cache
can lose or keep entries as it likes, it can only miss, never serve what the
database no longer publishes. Numbers come from a sequence, which never goes
back, so no two changes ever share a version, even when one was rolled back.

In one transaction, only the first write statement moves the version (a large
import would otherwise update the row thousands of times); reading the version
re-arms it, so a transaction that reads between writes (a test) sees each of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponseBase

#: Apps whose models are published (the portal, the API, feeds): a change to any
#: of their tables (m2m tables included) moves the content version. "portal":
#: its site pages (imprint, privacy…); "search": the vocabulary that corrects a
#: search's typos, which decides what a search page finds.
PUBLIC_APPS = frozenset(
    {"regions", "potentials", "goodpractices", "core", "portal", "search"}
)

TABLE = "core_contentversion"
SEQUENCE = "core_contentversion_seq"
FUNCTION = "core_bump_content_version"
TRIGGER = "core_content_version"
#: Set (transaction-locally) once a transaction has moved the version.
MOVED = "core.content_version_moved"

_BUMP = f"""
    INSERT INTO {TABLE} (id, version, changed_at)
    VALUES (1, nextval('{SEQUENCE}'), clock_timestamp())
    ON CONFLICT (id) DO UPDATE
        SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
"""


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime

    @property
    def last_modified(self) -> int:
        """Seconds since the epoch, rounded up: HTTP dates have whole seconds."""
        return math.ceil(self.changed_at.timestamp())


T = TypeVar("T")

NEVER = Version(0, datetime(2000, 1, 1, tzinfo=UTC))


#: The versions read in the current GET or HEAD request, by database alias
#: (`one_version_per_request`); None outside one.
_request_versions: ContextVar[dict[str, Version] | None] = ContextVar(
    "content_versions", default=None
)


def current_version(using: str | None = None) -> Version:
    """The version of the public data, as this connection sees it: one query,
    once per GET or HEAD request (`one_version_per_request`).

    By default from the database the router reads public data from (a read
    replica for an anonymous read, core.replica), so that a version and the data
    it validates come from the same server. It also re-arms the trigger for the
    rest of the current transaction, if any.
    """
    if using is None:
        using = router.db_for_read(apps.get_model("core", "ContentVersion"))
    read = _request_versions.get()
    if read is None:
        return _read_version(using)
    if using not in read:
        read[using] = _read_version(using)
    return read[using]


def _read_version(using: str) -> Version:
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT version, changed_at, set_config(%s, '', true) FROM {TABLE} "
            "WHERE id = 1",
            [MOVED],
        )
        row = cursor.fetchone()
    # No row only where a test flushed the tables (post_migrate puts it back).
    return Version(row[0], row[1]) if row else NEVER


def one_version_per_request(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Middleware: a GET or HEAD request reads the content version once. The page
    cache, the facet counts and their labels each asked for it, a query each.

    Everything the request computes is then filed under the version read first:
    never a newer one than its data, which is what keeps cached answers from
    being stale. Requests that write read the version afresh each time.
    """

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        token = _request_versions.set({})
        try:
            return get_response(request)
        finally:
            _request_versions.reset(token)

    return middleware


def kept(name: str, compute: Callable[[], T], *, using: str | None = None) -> T:
    """`compute()`, kept in the cache while the content version is the one it was
    computed in: aggregates over every published record (a page's counts and
    charts) cost one query a request until the data changes, at any size. The
    version is read before computing, so a result is never filed under a newer
    version than its data; a cache that does not answer is a miss. `name` must
    say everything the result depends on besides the data (its language)."""
    key = f"kept:{name}:{current_version(using).number}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.FACET_CACHE_TIMEOUT)
    return value


def current_generation() -> int:
    return current_version().number


def bump_generation(using: str = "default") -> None:
    """Move the version now, in the current transaction: for a change to public
    answers that no write to a public table makes."""
    with connections[using].cursor() as cursor:
        cursor.execute(_BUMP)


def last_changed() -> datetime:
    """When public data last changed, to the second."""
    return datetime.fromtimestamp(current_version().last_modified, tz=UTC)


def public_tables() -> list[str]:
    """The tables whose writes move the version: every concrete model of the
    public apps, with the tables of their many-to-many fields."""
    tables = set()
    for label in PUBLIC_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy and meta.db_table != TABLE:
                tables.add(meta.db_table)
    return sorted(tables)


def install_triggers(using: str = "default", **kwargs) -> None:
    """Create (or replace) the sequence, the row, the function and a trigger on
    every public table: idempotent, run after every migrate (post_migrate), so a
    table added later is covered too."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if TABLE not in connection.introspection.table_names(cursor):
            return  # Migrated to before core's 0003.
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint")
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('{MOVED}', true) = '1' THEN
                    RETURN NULL;
                END IF;
                {_BUMP};
                PERFORM set_config('{MOVED}', '1', true);
                RETURN NULL;
            END $$
            """
        )
        cursor.execute(
            f"INSERT INTO {TABLE} (id, version, changed_at) "
            f"VALUES (1, nextval('{SEQUENCE}'), clock_timestamp()) "
            "ON CONFLICT (id) DO NOTHING"
        )
        existing = set(connection.introspection.table_names(cursor))
        for table in public_tables():
            if table not in existing:
                continue
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} "
                "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                f"{connection.ops.quote_name(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )


def tables_with_trigger(using: str = "default") -> set[str]:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT relation.relname FROM pg_trigger JOIN pg_class relation "
            "ON relation.oid = pg_trigger.tgrelid WHERE pg_trigger.tgname = %s",
            [TRIGGER],
        )
        return {row[0] for row in cursor.fetchall()}
