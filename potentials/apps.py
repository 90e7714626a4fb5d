from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from search.kinds import SearchKind, register_search_kind


class PotentialsConfig(AppConfig):
    name = "potentials"
    verbose_name = _("Post-mining potentials")

    def ready(self) -> None:
        register_search_kind(
            SearchKind(
                "potential",
                self.get_model("Potential"),
                _("Potentials"),
                _("Potential"),
                "title",
                position=1,
                url_name="potentials:potential-detail",
                suggest_position=4,
                select_related=("region", "category"),
            )
        )
