"""Regions side by side: what each has, mined and wants, and what it has published."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.languages import fallback_language
from editorial.models import Status
from regions.models import Region, RegionLegacy
from search.compare import (
    Attribute,
    CompareView,
    Value,
    Values,
    choice,
    country,
    named,
    number,
)


def _legacies(region: Region) -> Values:
    for legacy in region.legacies.all():
        # The extent is shown beside the type; the type alone is what is shared.
        yield replace(
            named(legacy.legacy_type),
            note=legacy.note,
            note_lang=fallback_language(legacy, "note") if legacy.note else None,
        )


def _mining_ended(region: Region) -> Values:
    return Value(str(region.mining_ended_year)) if region.mining_ended_year else None


def _population(region: Region) -> Values:
    return number(
        region.population, _("%(value)s (%(year)s)"), year=region.population_year
    )


def _area(region: Region) -> Values:
    return number(region.area_km2, _("%(value)s km² (%(year)s)"), year=region.area_year)


REGION_ATTRIBUTES = [
    Attribute(_("Country"), lambda region: country(region.country)),
    Attribute(_("Kind"), lambda region: choice(region, "kind")),
    Attribute(
        _("NUTS code"),
        lambda region: Value(region.nuts_code) if region.nuts_code else None,
    ),
    Attribute(
        _("Mined"),
        lambda region: [named(c, link=False) for c in region.commodities.all()],
    ),
    Attribute(_("Mining"), lambda region: choice(region, "mining_status")),
    Attribute(_("Year mining ended"), _mining_ended),
    Attribute(_("Population (year)"), _population, shares=False),
    Attribute(_("Area (year)"), _area, shares=False),
    Attribute(_("Mining legacy"), _legacies),
    Attribute(
        _("Development goals"),
        lambda region: [named(goal, link=False) for goal in region.goals.all()],
    ),
    Attribute(
        _("Published potentials"),
        lambda region: number(region.published_potentials),
        shares=False,
    ),
    Attribute(
        _("Published good practices"),
        lambda region: number(region.published_good_practices),
        shares=False,
    ),
]


class RegionCompareView(CompareView):
    attributes = REGION_ATTRIBUTES
    title_field = "name"
    heading = _("Compare regions")
    list_url_name = "regions:region-list"
    list_label = _("Regions")

    def get_queryset(self) -> QuerySet[Region]:
        published = Status.PUBLISHED
        return Region.objects.annotate(
            published_potentials=Count(
                "potentials",
                filter=Q(potentials__status=published),
                distinct=True,
            ),
            published_good_practices=Count(
                "good_practices",
                filter=Q(good_practices__status=published),
                distinct=True,
            ),
        ).prefetch_related(
            "commodities",
            "goals",
            Prefetch(
                "legacies", queryset=RegionLegacy.objects.select_related("legacy_type")
            ),
        )
