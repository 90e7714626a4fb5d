from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial workflow")

    def ready(self) -> None:
        # Loads reversion's models, so not before the apps are ready.
        from editorial import health  # noqa: F401  (registers the jobs check)
        from editorial.history import history_register

        # The links of a potential or a good practice are kept in their history.
        history_register(self.apps.get_model("core", "Link"))
