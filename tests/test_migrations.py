"""Migrations keep what a database already holds.

Legacy types moved from the potentials app to the regions app: a database
migrated before the move keeps its legacy types and the potentials that use them.
The test builds such a database on the test server, in a database of its own, with
the portal run as a fresh process.
"""

import psycopg
import pytest
from django.db import connection

from tests.helpers import run_portal

# `manage.py migrate goodpractices 0001_initial`, then `… core 0001_initial`, in
# one fresh process: a second process would only start Django once more.
OLD_STATE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "goodpractices", "0001_initial")
call_command("migrate", "core", "0001_initial")
"""

OLD_CONTENT = """
INSERT INTO regions_partner (name, slug, acronym, kind, country, address, website,
    email, phone, logo)
VALUES ('Owner', 'owner', '', 'other', 'DE', '', '', '', '', '');
INSERT INTO potentials_theme (slug, name, description, "order")
VALUES ('natural', 'Natural', '', 0);
INSERT INTO potentials_category (slug, name, description, "order", theme_id)
SELECT 'geothermal', 'Geothermal', '', 0, id FROM potentials_theme;
INSERT INTO potentials_legacytype (slug, name, name_de, description, "order")
VALUES ('mine-water', 'Mine water', 'Grubenwasser', '', 3);
INSERT INTO potentials_potential (status, review_comment, created_at, updated_at,
    title, slug, summary, description, utilisation_options, stage, category_id,
    owner_id)
SELECT 'published', '', now(), now(), 'Heat from the pit', 'heat', 'Heat.', '', '',
    'identified', c.id, p.id
FROM potentials_category c, regions_partner p;
INSERT INTO potentials_potential_legacy_types (potential_id, legacytype_id)
SELECT p.id, l.id FROM potentials_potential p, potentials_legacytype l;
INSERT INTO goodpractices_goodpractice (status, review_comment, created_at,
    updated_at, title, slug, kind, summary, description, resources_needed,
    evidence_of_success, difficulties_encountered, potential_for_learning,
    practice_status, contact_name, contact_email, proposer_name, proposer_email,
    proposer_organisation, original_language, main_institution_id, owner_id)
SELECT 'published', '', now(), now(), 'A practice', 'practice', 'pilot_project',
    'Done.', '', '', '', '', '', '', '', '', '', '', '', 'en', id, id
FROM regions_partner;
"""

MOVED_CONTENT = """
SELECT l.slug, l.name, l.name_de, l."order", p.slug
FROM regions_legacytype l
JOIN potentials_potential_legacy_types pl ON pl.legacytype_id = l.id
JOIN potentials_potential p ON p.id = pl.potential_id
"""


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_upgrade"
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = (
        f"postgres://{server['user'] or ''}"
        f"{':' + server['password'] if server['password'] else ''}"
        f"@{server['host'] or ''}:{server['port'] or 5432}/{name}"
    )
    yield url, {"dbname": name, **server}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_legacy_types_and_their_potentials_survive_the_move_to_regions(
    scratch_database,
):
    url, connect = scratch_database
    if not connect["host"]:
        pytest.skip("needs a PostgreSQL server reached by address")
    environment = {"DATABASE_URL": url, "DEBUG": "1"}
    result = run_portal(["-c", OLD_STATE], **environment)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(**connect) as database:
        database.execute(OLD_CONTENT)

    result = run_portal(["manage.py", "migrate"], **environment)

    assert result.returncode == 0, result.stderr
    with psycopg.connect(**connect) as database:
        assert database.execute(MOVED_CONTENT).fetchall() == [
            ("mine-water", "Mine water", "Grubenwasser", 3, "heat")
        ]
        assert database.execute(
            "SELECT to_regclass('potentials_legacytype')"
        ).fetchone() == (None,)
        # The practice gained its new fields with their defaults.
        assert database.execute(
            "SELECT transferable_region_kinds, cost_currency, validated_on"
            " FROM goodpractices_goodpractice"
        ).fetchall() == [([], "", None)]
