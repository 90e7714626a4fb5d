from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from core.collation import in_reader_order, reader_sort
from core.db import latest_records, related_records
from core.generation import kept
from core.images import first_images
from core.languages import named_by
from core.pdf import CaseSheetMixin
from core.structured_data import potential_json_ld
from editorial.views import PreviewMixin
from potentials.filters import PotentialFilter
from potentials.models import (
    Category,
    Potential,
    PotentialActor,
    PotentialImage,
    potentials_url,
    themes_with_categories,
)
from potentials.similarity import (
    filtered_list_url,
    good_practices_for,
    similar_potentials,
    utilisation_practice_counts,
)
from regions.models import LegacyType
from search.browse import FacetedListView, SortOption
from search.maps import map_points


class PotentialListView(FacetedListView):
    filterset_class = PotentialFilter
    template_name = "potentials/potential_list.html"
    card_meta_template = "potentials/includes/card_meta.html"
    show_map = True
    card_pictures = True
    sort_options = {
        "title": SortOption(
            _("Title (A–Z)"), lambda: [in_reader_order("title").asc(), "slug"], "title"
        ),
        "newest": SortOption(
            _("Newest first"), lambda: ["-published_at", "-pk"], "-published_at"
        ),
        "stage": SortOption(_("Most advanced first"), lambda: ["-stage_rank", "slug"]),
    }

    def get_queryset(self):
        return (
            Potential.objects.visible_to(self.request.user)
            .select_related("region", "category__theme")
            .with_stage_rank()
        )

    def get_card_fields(self) -> list[str]:
        return Potential.card_fields()

    def get_card_prefetches(self) -> list:
        return [first_images(PotentialImage)]


class PotentialDetailView(PreviewMixin, DetailView):
    template_name = "potentials/potential_detail.html"

    def get_queryset(self):
        return (
            Potential.objects.visible_to(self.request.user)
            .select_related("region", "category__theme")
            .prefetch_related(
                "legacy_types",
                "projects",
                "links",
                "images",
                Prefetch(
                    "actor_roles",
                    queryset=PotentialActor.objects.select_related("partner"),
                ),
            )
        )

    def get_object(self, queryset=None):
        potential = super().get_object(queryset)
        # A page's worth, the latest linked: the page never grows with the data.
        practices = related_records(Potential, "good_practices")
        potential.public_good_practices = latest_records(
            practices.published()
            .filter(potentials=potential)
            .only(*named_by(practices.model, "title")),
            shown_by=reader_sort("title"),
        )
        return potential

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            map_points=map_points([self.object]),
            json_ld=potential_json_ld(self.object, self.request),
            # What the page shows of them: names, places and links.
            similar_records=similar_potentials(
                self.object, only=named_by(Potential, "title", region=("name",))
            ),
            found_practices=good_practices_for(
                self.object,
                only=named_by(
                    related_records(Potential, "good_practices").model,
                    "title",
                    region=("name", "country"),
                ),
            ),
            **kwargs,
        )


class PotentialCaseSheetView(CaseSheetMixin, PotentialDetailView):
    """The potential as a PDF case sheet, its sections in the order of the
    Interreg Europe good-practice template as far as a potential has them."""

    template_name = "potentials/potential_case_sheet.html"


def matrix_counts() -> tuple[dict, dict]:
    """Potentials and good practices per (legacy type, category) slugs."""
    counts = {
        (row["legacy_types__slug"], row["category__slug"]): row["count"]
        for row in Potential.objects.published()
        .filter(legacy_types__isnull=False)
        .values("legacy_types__slug", "category__slug")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    }
    return counts, utilisation_practice_counts()


class UtilisationMatrixView(TemplateView):
    """Legacy types × categories: how many potentials put each legacy to each use."""

    template_name = "potentials/utilisation_matrix.html"

    def get_context_data(self, **kwargs):
        # Aggregates over every record: kept per content version.
        counts, practice_counts = kept("utilisation-matrix", matrix_counts)
        themes = themes_with_categories()
        categories: list[Category] = [c for t in themes for c in t.categories.all()]
        rows = [
            {
                "legacy_type": legacy_type,
                "cells": [
                    {
                        "category": category,
                        "count": counts.get((legacy_type.slug, category.slug), 0),
                        "url": potentials_url(
                            legacy_type=legacy_type.slug, category=category.slug
                        ),
                        "practices": practice_counts.get(
                            (legacy_type.slug, category.slug), 0
                        ),
                        "practices_url": filtered_list_url(
                            "goodpractices:goodpractice-list",
                            categories=[category.slug],
                            legacy_types=[legacy_type.slug],
                        ),
                    }
                    for category in categories
                ],
            }
            # The vocabulary, kept as the counts are.
            for legacy_type in kept(
                "legacy-types", lambda: list(LegacyType.objects.all())
            )
        ]
        for row in rows:
            row["used"] = any(c["count"] or c["practices"] for c in row["cells"])
        # The table on a wide screen: categories down (grouped by theme), the few
        # legacy types across, so that it fits a desktop in every language.
        legacy_types = [row["legacy_type"] for row in rows]
        theme_rows = [
            {
                "theme": theme,
                "rows": [
                    {"category": category, "cells": [row["cells"][i] for row in rows]}
                    for i, category in enumerate(categories)
                    if category.theme_id == theme.pk
                ],
            }
            for theme in themes
        ]
        return super().get_context_data(
            themes=themes,
            categories=categories,
            rows=rows,
            legacy_types=legacy_types,
            theme_rows=[group for group in theme_rows if group["rows"]],
            **kwargs,
        )
