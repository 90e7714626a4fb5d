from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.seed import SeedError, seed_content_load


class Command(BaseCommand):
    help = (
        "Load the portal's reference content (the network, taxonomy, potentials and "
        "good practices of the seed documents) from fixtures/seed/. Safe to repeat: "
        "records are matched by slug and updated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Folder with the seed YAML files (default: fixtures/seed/).",
        )

    def handle(self, *args, directory: Path | None, **options) -> None:
        try:
            report = seed_content_load(directory=directory)
        except SeedError as error:
            raise CommandError(
                f"Seed content not loaded, nothing written: {error}"
            ) from error
        self.stdout.write(str(report))
        self.stdout.write(self.style.SUCCESS("Seed content loaded."))
