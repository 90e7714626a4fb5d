from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from search.kinds import SearchKind, register_search_kind


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and network")

    def ready(self) -> None:
        for kind in (
            SearchKind(
                "region",
                self.get_model("Region"),
                _("Regions"),
                _("Region"),
                "name",
                position=3,
                url_name="regions:region-detail",
                suggest_position=1,
            ),
            SearchKind(
                "partner",
                self.get_model("Partner"),
                _("Partners"),
                _("Partner"),
                "name",
                position=4,
                url_name="regions:partner-detail",
                suggest_position=3,
                select_related=("region",),
            ),
            SearchKind(
                "project",
                self.get_model("Project"),
                _("Projects"),
                _("Project"),
                "title",
                position=5,
                url_name="regions:project-detail",
                suggest_position=2,
            ),
            SearchKind(
                "publication",
                self.get_model("Publication"),
                _("Publications"),
                _("Publication"),
                "title",
                position=6,
                url_name="regions:publication-detail",
                select_related=("project",),
            ),
            SearchKind(
                "policyinstrument",
                self.get_model("PolicyInstrument"),
                _("Policy instruments"),
                _("Policy instrument"),
                "name",
                position=7,
                url_name="regions:policyinstrument-detail",
                select_related=("region",),
            ),
        ):
            register_search_kind(kind)
