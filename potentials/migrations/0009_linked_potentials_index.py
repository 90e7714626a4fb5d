"""An index that reads the potentials linked to a project the latest first, a
page at a time (core.db.first_records): the through table's own unique index
leads with the potential, not the project."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("potentials", "0008_potential_stage_published_index"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX potentials_potential_projects_by_project_id"
            " ON potentials_potential_projects (project_id, potential_id)",
            "DROP INDEX potentials_potential_projects_by_project_id",
        ),
    ]
