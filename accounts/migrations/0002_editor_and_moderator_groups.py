"""The groups "Editors" and "Moderators" with the model permissions the admin needs.

Which records a member may touch is decided by the rules in
editorial.rules; these permissions only open the admin pages. Editors
may view the reference data they pick from (regions, partners, projects, themes,
categories, legacy types) and add, change and view potentials and good practices;
moderators also manage the network and the taxonomy. Deleting a potential or a
good practice is left to superusers: moderators archive.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = {
    "potentials": {
        "potential": ("add", "change", "view"),
        "potentialactor": ("add", "change", "delete", "view"),
        "potentialimage": ("add", "change", "delete", "view"),
        "category": ("view",),
        "theme": ("view",),
        "legacytype": ("view",),
    },
    "goodpractices": {"goodpractice": ("add", "change", "view")},
    "core": {"link": ("add", "change", "delete", "view")},
    "regions": {
        "region": ("view",),
        "partner": ("view",),
        "project": ("view",),
        "commodity": ("view",),
    },
}
ALL = ("add", "change", "delete", "view")
MODERATOR_PERMISSIONS = {
    **EDITOR_PERMISSIONS,
    "potentials": {
        **EDITOR_PERMISSIONS["potentials"],
        "category": ALL,
        "theme": ALL,
        "legacytype": ALL,
    },
    "regions": {
        model: ALL
        for model in (
            "region",
            "partner",
            "project",
            "commodity",
            "membership",
            "objective",
            "statedfigure",
            "publication",
        )
    },
    "accounts": {"staffmembership": ("view",)},
}
GROUPS = {"Editors": EDITOR_PERMISSIONS, "Moderators": MODERATOR_PERMISSIONS}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so
    # the groups can refer to them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [
            (app_label, f"{action}_{model}")
            for app_label, models in by_app.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("goodpractices", "0001_initial"),
        ("potentials", "0001_initial"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
