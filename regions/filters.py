import django_filters
from django.conf import global_settings
from django.utils.translation import gettext_lazy as _

from regions.models import (
    Commodity,
    LegacyType,
    Partner,
    PolicyInstrument,
    Project,
    Publication,
    Region,
)
from search.filters import (
    BoundingBoxFilter,
    CountryFilter,
    FacetedFilterSet,
    SearchFilter,
    SlugsFilter,
    year_filters,
)


class RegionFilter(FacetedFilterSet):
    search = SearchFilter()
    country = CountryFilter()
    kind = django_filters.MultipleChoiceFilter(
        choices=Region.Kind.choices, label=_("Kind")
    )
    mining_status = django_filters.MultipleChoiceFilter(
        choices=Region.MiningStatus.choices, label=_("Mining status")
    )
    commodity = SlugsFilter(
        field_name="commodities",
        queryset=Commodity.objects.all(),
        label=_("Commodity"),
    )
    legacy_type = SlugsFilter(
        field_name="legacy_types",
        queryset=LegacyType.objects.all(),
        label=_("Mining legacy"),
    )
    project = SlugsFilter(
        field_name="partners__memberships__project",
        queryset=Project.objects.all(),
        label=_("Project"),
    )
    mining_ended_min, mining_ended_max = year_filters(
        "mining_ended_year",
        _("Mining ended in or after"),
        _("Mining ended in or before"),
    )
    bbox = BoundingBoxFilter()

    facets = {
        "country": "country",
        "kind": "kind",
        "mining_status": "mining_status",
        "commodity": "commodities__slug",
        "legacy_type": "legacy_types__slug",
    }

    class Meta:
        model = Region
        fields = []


class PartnerFilter(FacetedFilterSet):
    search = SearchFilter()
    country = CountryFilter()
    kind = django_filters.MultipleChoiceFilter(
        choices=Partner.Kind.choices, label=_("Kind")
    )
    region = SlugsFilter(queryset=Region.objects.all(), label=_("Region"))
    project = SlugsFilter(
        field_name="memberships__project",
        queryset=Project.objects.all(),
        label=_("Project"),
    )

    facets = {
        "country": "country",
        "kind": "kind",
        "project": "memberships__project__slug",
    }

    class Meta:
        model = Partner
        fields = []


class ProjectFilter(FacetedFilterSet):
    search = SearchFilter()
    kind = django_filters.MultipleChoiceFilter(
        choices=Project.Kind.choices, label=_("Kind")
    )
    programme = django_filters.MultipleChoiceFilter(
        choices=Project.Programme.choices, label=_("Programme")
    )
    fund = django_filters.MultipleChoiceFilter(
        choices=Project.Fund.choices, label=_("Fund")
    )
    partner = SlugsFilter(
        field_name="memberships__partner",
        queryset=Partner.objects.all(),
        label=_("Partner"),
    )
    country = CountryFilter(field_name="memberships__partner__country", distinct=True)
    start_year_min, start_year_max = year_filters(
        "start_date__year", _("Started in or after"), _("Started in or before")
    )

    facets = {"kind": "kind", "programme": "programme"}

    class Meta:
        model = Project
        fields = []


class PublicationFilter(FacetedFilterSet):
    search = SearchFilter()
    project = SlugsFilter(queryset=Project.objects.all(), label=_("Project"))
    kind = django_filters.MultipleChoiceFilter(
        choices=Publication.Kind.choices, label=_("Kind")
    )
    language = django_filters.MultipleChoiceFilter(
        choices=global_settings.LANGUAGES, label=_("Language")
    )
    year_min, year_max = year_filters(
        "year", _("Published in or after"), _("Published in or before")
    )

    facets = {"project": "project__slug", "kind": "kind", "language": "language"}

    class Meta:
        model = Publication
        fields = []


class PolicyInstrumentFilter(FacetedFilterSet):
    search = SearchFilter()
    kind = django_filters.MultipleChoiceFilter(
        choices=PolicyInstrument.Kind.choices, label=_("Kind")
    )
    country = CountryFilter()
    project = SlugsFilter(
        field_name="projects", queryset=Project.objects.all(), label=_("Project")
    )

    facets = {"kind": "kind", "country": "country", "project": "projects__slug"}

    class Meta:
        model = PolicyInstrument
        fields = []
