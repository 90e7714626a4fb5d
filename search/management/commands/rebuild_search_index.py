from django.core.management.base import BaseCommand

from search.vocabulary import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every search vector and the vocabulary that typos are corrected "
        "to, from the content as it is now. Needed after a bulk import that "
        "bypassed save() or after PostgreSQL's text-search dictionaries changed; "
        "ordinary saves keep search current by themselves."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--vocabulary-only",
            action="store_true",
            help="Only recompute the vocabulary (the vectors are generated columns "
            "that are always current unless the dictionaries changed).",
        )

    def handle(self, *args, vocabulary_only: bool, **options) -> None:
        report = search_index_rebuild(vectors=not vocabulary_only)
        self.stdout.write(str(report))
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
