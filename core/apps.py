from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import checks  # noqa: F401  (registers the deploy check)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared records")
