import django_filters
from django import forms
from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

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


class ValidatedField(forms.NullBooleanField):
    """`true` or `false`; as a facet it offers its one value, "true"."""

    choices = [("true", _("Validated by the network"))]


class ValidatedFilter(django_filters.BooleanFilter):
    field_class = ValidatedField

    def __init__(self, *args, **kwargs):
        # true/false as the API documents booleans, 1/0 and any case as well.
        kwargs.setdefault("widget", BooleanWidget)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if value:
            return qs.validated()
        return qs.not_validated()


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
    validated = ValidatedFilter(label=_("Network validation"))
    start_year_min, start_year_max = year_filters(
        "start_date__year", _("Started in or after"), _("Started in or before")
    )
    bbox = BoundingBoxFilter()

    facets = {
        "kind": "kind",
        "theme": "themes__slug",
        "category": "categories__slug",
        "legacy_type": "legacy_types__slug",
        "country": "region__country",
        "project": "projects__slug",
        "status": "practice_status",
        # An alias set in __init__: "true" for a validated practice, else none.
        "validated": "network_validated",
    }

    class Meta:
        model = GoodPractice
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An alias is selected only where it is named: in the facet counts.
        self.queryset = self.queryset.alias(
            network_validated=Case(
                When(validated_on__isnull=False, then=Value("true")),
                output_field=CharField(),
            )
        )
