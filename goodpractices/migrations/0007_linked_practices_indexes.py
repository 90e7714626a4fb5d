"""Indexes that read the good practices linked to a potential or a project the
latest first, a page at a time (core.db.latest_records, first_records): the
through tables' own unique index leads with the practice, not the other side."""

from django.db import migrations


def _index(table: str, column: str) -> migrations.RunSQL:
    name = f"{table}_by_{column}"
    return migrations.RunSQL(
        f"CREATE INDEX {name} ON {table} ({column}, goodpractice_id)",
        f"DROP INDEX {name}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("goodpractices", "0006_goodpractice_newest_published_index"),
    ]

    operations = [
        _index("goodpractices_goodpractice_potentials", "potential_id"),
        _index("goodpractices_goodpractice_projects", "project_id"),
    ]
