import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from core.backup import (
    DATABASE_FILE,
    MANIFEST,
    MEDIA_FILE,
    BackupError,
    backup_create,
)


class Command(BaseCommand):
    help = (
        "Back up the portal: its database (pg_dump, custom format) and its media "
        "files, into a new folder named by the UTC time under BACKUP_DIR "
        "(backups/ by default), with a manifest of checksums."
    )
    # A backup must be possible whatever a system check would say.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=None,
            help="Folder to create the backup in (default: BACKUP_DIR).",
        )

    def handle(self, *args, output_dir: Path | None, **options) -> None:
        try:
            path = backup_create(directory=output_dir or Path(settings.BACKUP_DIR))
        except BackupError as error:
            raise CommandError(f"No backup taken: {error}") from error
        manifest = json.loads((path / MANIFEST).read_text())
        if options["verbosity"] > 1:
            self.stdout.write(json.dumps(manifest, indent=2))
        files = manifest["files"]
        self.stdout.write(
            f"Database {manifest['database']['name']}: {DATABASE_FILE}, "
            f"{filesizeformat(files[DATABASE_FILE]['bytes'])} (pg_dump "
            f"{manifest['database']['pg_dump_version']}); "
            f"{manifest['media']['files']} media files: {MEDIA_FILE}, "
            f"{filesizeformat(files[MEDIA_FILE]['bytes'])}."
        )
        self.stdout.write(self.style.SUCCESS(f"Backup taken: {path}"))
