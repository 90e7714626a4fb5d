import json

from django.core.management.base import BaseCommand

from portal.content_state import KIND_KEYS, content_state, content_state_text


def kind_key(value: str) -> str:
    """`good-practices` and `good_practices` name the same kind."""
    return value.strip().lower().replace("-", "_")


class Command(BaseCommand):
    help = (
        "Print the content's state: records per kind, per region and per language, "
        "and the records without a place or without a source."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text (default) to read, json for machines (stable keys).",
        )
        parser.add_argument(
            "--kind",
            action="append",
            type=kind_key,
            choices=KIND_KEYS,
            dest="kinds",
            metavar="KIND",
            help=(
                "Only this kind of record; repeat for several. One of: "
                + ", ".join(KIND_KEYS)
                + "."
            ),
        )

    def handle(self, *args, format: str, kinds: list[str] | None, **options) -> None:
        state = content_state(kinds)
        if format == "json":
            self.stdout.write(json.dumps(state, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(content_state_text(state), ending="")
