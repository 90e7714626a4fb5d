from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from core import checks  # noqa: F401  (registers the deploy check)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared records")

    def ready(self) -> None:
        from core.collation import install_reader_order_indexes
        from core.generation import install_triggers

        # After every migrate (and every test flush), for tables added since too.
        post_migrate.connect(
            install_triggers, sender=self, dispatch_uid="core-content-version"
        )
        # The list pages' alphabetical orders, for the server's collations.
        post_migrate.connect(
            install_reader_order_indexes, sender=self, dispatch_uid="core-reader-order"
        )
