from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from search.kinds import SearchKind, register_search_kind


class GoodPracticesConfig(AppConfig):
    name = "goodpractices"
    verbose_name = _("Good practices")

    def ready(self) -> None:
        register_search_kind(
            SearchKind(
                "goodpractice",
                self.get_model("GoodPractice"),
                _("Good practices"),
                _("Good practice"),
                "title",
                position=2,
                url_name="goodpractices:goodpractice-detail",
                suggest_position=5,
                select_related=("region",),
            )
        )
