"""What a filtered list counts, read from indexes alone: the published practices'
region, kind and status with their key, and the link tables of themes, categories
and legacy types by the other side (their own unique indexes lead with the
practice)."""

from django.db import migrations, models


def _index(table: str, column: str) -> migrations.RunSQL:
    name = f"{table}_by_{column}"
    return migrations.RunSQL(
        f"CREATE INDEX {name} ON {table} ({column}, goodpractice_id)",
        f"DROP INDEX {name}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("goodpractices", "0008_goodpractice_institution_published_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="goodpractice",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["region", "kind", "practice_status"],
                include=("id",),
                name="goodpractice_pub_filters",
            ),
        ),
        _index("goodpractices_goodpractice_themes", "theme_id"),
        _index("goodpractices_goodpractice_categories", "category_id"),
        _index("goodpractices_goodpractice_legacy_types", "legacytype_id"),
    ]
