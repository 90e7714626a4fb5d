from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcePortalConfig(AppConfig):
    name = "resource_portal"
    verbose_name = _("ReSource Portal")

    def ready(self) -> None:
        # Registers the SQLite functions that database constraints call.
        from resource_portal import db  # noqa: F401
        from resource_portal.search_index import connect_search_signals

        # Saved records add their words to the vocabulary typos are corrected to.
        connect_search_signals()
