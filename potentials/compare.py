"""Potentials side by side: where, what use, what legacy, how far, how large."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from potentials.models import Potential
from search.compare import (
    Attribute,
    CompareView,
    Value,
    choice,
    country,
    named,
    number,
)

POTENTIAL_ATTRIBUTES = [
    Attribute(_("Region"), lambda potential: named(potential.region)),
    Attribute(
        _("Country"),
        lambda potential: (
            country(potential.region.country) if potential.region else None
        ),
    ),
    Attribute(_("Category"), lambda potential: named(potential.category)),
    Attribute(_("Theme"), lambda potential: named(potential.category.theme)),
    Attribute(
        _("What mining left"),
        lambda potential: [named(legacy) for legacy in potential.legacy_types.all()],
    ),
    Attribute(_("Development stage"), lambda potential: choice(potential, "stage")),
    Attribute(
        _("Area"),
        lambda potential: number(potential.area_ha, _("%(value)s ha")),
        shares=False,
    ),
    Attribute(
        _("Capacity"),
        lambda potential: number(potential.capacity_mw, _("%(value)s MW"), places=3),
        shares=False,
    ),
    Attribute(
        _("Visitors a year"),
        lambda potential: number(potential.visitors_per_year),
        shares=False,
    ),
    Attribute(
        _("Projects"),
        lambda potential: [
            Value(project.acronym, key=project.pk, url=project.get_absolute_url())
            for project in potential.projects.all()
        ],
    ),
]


class PotentialCompareView(CompareView):
    attributes = POTENTIAL_ATTRIBUTES
    heading = _("Compare potentials")
    list_url_name = "potentials:potential-list"
    list_label = _("Potentials")

    def get_queryset(self) -> QuerySet[Potential]:
        return (
            Potential.objects.visible_to(self.request.user)
            .select_related("region", "category__theme")
            .prefetch_related("legacy_types", "projects")
        )
