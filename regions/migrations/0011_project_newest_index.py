"""An index for the projects list's "newest first": a page of it, not a sort of
every project."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0010_policyinstrument_newest_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                models.OrderBy(models.F("start_date"), descending=True),
                models.F("acronym"),
                name="project_newest",
            ),
        ),
    ]
