from django.conf import settings
from django.core.checks import Tags, Warning, register

from core.embedded_db import ENGINE


@register(Tags.database, deploy=True)
def embedded_database_check(app_configs, **kwargs):
    """The embedded server is for a developer's machine, not for a deployment."""
    if settings.DATABASES["default"]["ENGINE"] == ENGINE:
        return [
            Warning(
                "DATABASE_URL is not set, so the portal runs its own embedded "
                "PostgreSQL server, with its data in EMBEDDED_DATABASE_DIR: one "
                "machine, no backups, stopped with the last process.",
                hint="Set DATABASE_URL to the PostgreSQL server of the deployment.",
                id="core.W001",
            )
        ]
    return []
