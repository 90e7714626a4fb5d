# Indexes of the words of titles, for suggestions: expression indexes, PostgreSQL
# only.

from django.db import migrations

from resource_portal.search_schema import AddPrefixIndexes

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
        ("potentials", "0003_search"),
    ]

    operations = [
        AddPrefixIndexes(
            model_name="potential",
            fields=["title"],
            configurations=CONFIGURATIONS,
        ),
    ]
