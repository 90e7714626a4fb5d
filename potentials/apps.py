from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PotentialsConfig(AppConfig):
    name = "potentials"
    verbose_name = _("Post-mining potentials")
