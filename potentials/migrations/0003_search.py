# Search vectors for potentials: generated columns with GIN indexes, PostgreSQL only.

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
        ("potentials", "0002_review_comment"),
        ("resource_portal", "0002_search"),
    ]

    operations = [
        AddSearchVectors(
            model_name="potential",
            fields=[
                ("title", "A"),
                ("summary", "B"),
                ("description", "C"),
                ("utilisation_options", "C"),
            ],
            configurations=CONFIGURATIONS,
        ),
    ]
