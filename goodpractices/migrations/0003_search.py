# Search vectors for good practices: generated columns with GIN indexes, PostgreSQL
# only.

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
        ("goodpractices", "0002_review_comment_and_proposer"),
        ("resource_portal", "0002_search"),
    ]

    operations = [
        AddSearchVectors(
            model_name="goodpractice",
            fields=[
                ("title", "A"),
                ("summary", "B"),
                ("description", "C"),
                ("resources_needed", "C"),
                ("evidence_of_success", "C"),
                ("difficulties_encountered", "C"),
                ("potential_for_learning", "C"),
            ],
            configurations=CONFIGURATIONS,
        ),
    ]
