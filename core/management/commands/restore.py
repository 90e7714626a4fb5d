from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: check its files, restore the "
        "database into a new one, migrate it, put it in the place of the configured "
        "database (keeping that one under another name) and put back the media "
        "files. Refuses to replace a database that holds tables, or to write into "
        "a MEDIA_ROOT that holds files, without --force."
    )
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", type=Path, help="The backup's folder.")
        parser.add_argument(
            "--database-name",
            default=None,
            help="Restore into the database of this name on the same server "
            "instead of the configured one.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that holds tables, and put media files over "
            "those present.",
        )

    def handle(
        self, *args, backup: Path, database_name: str | None, force: bool, **options
    ) -> None:
        try:
            report = backup_restore(
                path=backup,
                database=database_name,
                force=force,
                verbosity=options["verbosity"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Restore complete."))
