# Search vectors for regions, partners, projects and publications: generated columns
# with GIN indexes, PostgreSQL only.

from django.db import migrations

from resource_portal.search_schema import AddSearchVectors

CONFIGURATIONS = {
    "en": "rp_english",
    "de": "rp_german",
    "pl": "rp_simple",
    "cs": "rp_simple",
    "hu": "rp_hungarian",
    "sl": "rp_simple",
    "fi": "rp_finnish",
}


class Migration(migrations.Migration):

    dependencies = [
        ("regions", "0001_initial"),
        ("resource_portal", "0002_search"),
    ]

    operations = [
        AddSearchVectors(
            model_name="region",
            fields=[("name", "A"), ("summary", "B"), ("description", "C")],
            configurations=CONFIGURATIONS,
        ),
        AddSearchVectors(
            model_name="partner",
            fields=[("name", "A"), ("acronym", "A")],
            configurations=CONFIGURATIONS,
            untranslated=["acronym"],
        ),
        AddSearchVectors(
            model_name="project",
            fields=[
                ("acronym", "A"),
                ("title", "A"),
                ("summary", "B"),
                ("description", "C"),
            ],
            configurations=CONFIGURATIONS,
            untranslated=["acronym"],
        ),
        AddSearchVectors(
            model_name="publication",
            fields=[("title", "A"), ("summary", "B")],
            configurations=CONFIGURATIONS,
        ),
    ]
