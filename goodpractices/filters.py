import django_filters
from django.utils.translation import gettext_lazy as _

from goodpractices.models import GoodPractice
from potentials.models import Category, Theme
from regions.models import LegacyType, Partner, Project, Region
from search.filters import (
    BoundingBoxFilter,
    CountryFilter,
    FacetedFilterSet,
    SearchFilter,
    SlugsFilter,
    year_filters,
)


class GoodPracticeFilter(FacetedFilterSet):
    search = SearchFilter()
    kind = django_filters.MultipleChoiceFilter(
        choices=GoodPractice.Kind.choices, label=_("Kind")
    )
    theme = SlugsFilter(
        field_name="themes", queryset=Theme.objects.all(), label=_("Theme")
    )
    category = SlugsFilter(
        field_name="categories", queryset=Category.objects.all(), label=_("Category")
    )
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
    institution = SlugsFilter(
        field_name="main_institution",
        queryset=Partner.objects.all(),
        label=_("Main institution"),
    )
    status = django_filters.MultipleChoiceFilter(
        field_name="practice_status",
        choices=GoodPractice.PracticeStatus.choices,
        label=_("Implementation"),
    )
    start_year_min, start_year_max = year_filters("start_date__year")
    bbox = BoundingBoxFilter()

    facets = {
        "kind": "kind",
        "theme": "themes__slug",
        "category": "categories__slug",
        "legacy_type": "legacy_types__slug",
        "country": "region__country",
        "project": "projects__slug",
        "status": "practice_status",
    }

    class Meta:
        model = GoodPractice
        fields = []
