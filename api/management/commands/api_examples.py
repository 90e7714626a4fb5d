"""Write api/examples.json: the OpenAPI description's examples, asked of the API."""

import logging

from django.core.management import BaseCommand, call_command
from django.db import connection, transaction
from django.test.utils import (
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

from api.examples import EXAMPLES_FILE, examples_dump, examples_generate

# A cache of this command's own: the answers of a fresh database must not be
# served from, nor left in, the portal's cache.
PRIVATE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "api-examples",
    }
}


class Command(BaseCommand):
    help = (
        "Ask the API for the examples of its OpenAPI description, on a fresh "
        "database holding the seed content, and write them to api/examples.json."
    )

    def handle(self, *args, **options) -> None:
        name = f"{connection.settings_dict['NAME']}_api_examples"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = name
        setup_test_environment()
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            with override_settings(CACHES=PRIVATE_CACHE):
                call_command("load_seed_content", verbosity=0, stdout=self.stdout)
                # The refusals asked for on purpose are not worth a warning.
                logging.getLogger("django.request").setLevel(logging.ERROR)
                with transaction.atomic():
                    examples = examples_generate()
                    transaction.set_rollback(True)
        finally:
            teardown_databases(databases, verbosity=0)
            teardown_test_environment()
        EXAMPLES_FILE.write_text(examples_dump(examples), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {EXAMPLES_FILE}."))
