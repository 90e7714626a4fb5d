import django_filters
from django.utils.translation import gettext_lazy as _

from potentials.models import Category, Potential, Theme
from regions.models import LegacyType, Project, Region
from search.filters import (
    BoundingBoxFilter,
    CountryFilter,
    FacetedFilterSet,
    FilterSet,
    SearchFilter,
    SlugsFilter,
)


class PotentialFilter(FacetedFilterSet):
    search = SearchFilter()
    theme = SlugsFilter(
        field_name="category__theme", queryset=Theme.objects.all(), label=_("Theme")
    )
    category = SlugsFilter(queryset=Category.objects.all(), label=_("Category"))
    legacy_type = SlugsFilter(
        field_name="legacy_types",
        queryset=LegacyType.objects.all(),
        label=_("Legacy type"),
    )
    country = CountryFilter(field_name="region__country")
    region = SlugsFilter(queryset=Region.objects.all(), label=_("Region"))
    project = SlugsFilter(
        field_name="projects", queryset=Project.objects.all(), label=_("Project")
    )
    stage = django_filters.MultipleChoiceFilter(
        choices=Potential.Stage.choices, label=_("Development stage")
    )
    bbox = BoundingBoxFilter()

    facets = {
        "theme": "category__theme__slug",
        "category": "category__slug",
        "legacy_type": "legacy_types__slug",
        "country": "region__country",
        "region": "region__slug",
        "project": "projects__slug",
        "stage": "stage",
    }

    class Meta:
        model = Potential
        fields = []


class CategoryFilter(FilterSet):
    theme = SlugsFilter(queryset=Theme.objects.all(), label=_("Theme"))

    class Meta:
        model = Category
        fields = []
