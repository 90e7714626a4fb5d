# Indexes of the words of titles and names, for suggestions: expression indexes,
# PostgreSQL only.

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
        ("regions", "0002_search"),
    ]

    operations = [
        AddPrefixIndexes(
            model_name="region",
            fields=["name"],
            configurations=CONFIGURATIONS,
        ),
        AddPrefixIndexes(
            model_name="partner",
            fields=["name", "acronym"],
            configurations=CONFIGURATIONS,
            untranslated=["acronym"],
        ),
        AddPrefixIndexes(
            model_name="project",
            fields=["acronym", "title"],
            configurations=CONFIGURATIONS,
            untranslated=["acronym"],
        ),
    ]
