from django.db import migrations


class Migration(migrations.Migration):
    """Legacy types, now in this app, take this app's table name."""

    dependencies = [
        ("regions", "0002_profiles_networks_policy_instruments"),
        ("potentials", "0002_legacy_types_to_regions_category_goals"),
    ]

    operations = [
        migrations.AlterModelTable(name="legacytype", table=None),
    ]
