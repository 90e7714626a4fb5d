"""Moderators keep the site pages (imprint, privacy notice, accessibility
statement, contact) in every language: their group may view and change them.
Adding and deleting stay with superusers, as the admin says."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ("view_sitepage", "change_sitepage")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them.
    portal = apps.get_app_config("portal")
    portal.models_module = True
    create_permissions(portal, apps=apps, verbosity=0)
    portal.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _created = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="portal", codename__in=CODENAMES
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="portal", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_site_pages"),
        ("accounts", "0002_editor_and_moderator_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
