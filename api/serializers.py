"""API serializers: they validate and shape records, never save or decide rights.

Each kind of record has a *summary* (nested inside other records, with its own
address), a *list* shape and a *detail* shape that adds the long texts and related
records. The querysets that feed them (api/views.py) load every relation these
read, so a read serializer never makes a query of its own.

Writes to potentials and good practices have their own serializers at the end:
they validate a request and shape the record for a service of
`editorial.services` to save; the rules are the services' own.
"""

from __future__ import annotations

import copy
from typing import ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import (
    ChoiceLabelField,
    DetailUrlField,
    FilteredListUrlField,
    ProvenanceField,
    SearchHeadlineField,
    SearchRankField,
    SlugRelatedField,
    TranslatedTextField,
    TranslationsField,
)
from api.maps import MARKER_KINDS
from core.images import LICENCE_URLS, SIZES, RecordImage
from core.languages import (
    FALLBACK_LANGUAGE,
    language_column,
    reading_order,
    translated_fields,
)
from core.models import Link
from editorial.models import Status, Transition
from editorial.rules import transitions_for
from goodpractices.models import GoodPractice, Stakeholder
from potentials.models import (
    Category,
    Potential,
    PotentialActor,
    PotentialImage,
    Theme,
)
from potentials.similarity import TRAIT_ORDER
from regions.models import (
    Commodity,
    Contact,
    DevelopmentGoal,
    LegacyType,
    Membership,
    Partner,
    PolicyInstrument,
    Project,
    Publication,
    Region,
    RegionLegacy,
    StatedFigure,
)
from regions.network import TieKind
from regions.similarity import Trait
from search.filters import BoundingBoxField
from search.maps import MAX_CELLS, MAX_ZOOM, MIN_ZOOM, cell_size, cells_in


class OptionalTextField:
    """An empty web or e-mail address is given as null: "" is no address."""

    def to_representation(self, value):
        return super().to_representation(value) if value else None


class OptionalURLField(OptionalTextField, serializers.URLField):
    pass


class OptionalEmailField(OptionalTextField, serializers.EmailField):
    pass


_COMPOSITE_FIELDS = (
    serializers.BaseSerializer,
    serializers.ManyRelatedField,
    serializers.ListField,
    serializers.DictField,
)


#: Where `prefetched()` leaves a relation's records on each record.
PREFETCHED_PREFIX = "prefetched_"


def prefetched(relation: str, queryset: models.QuerySet | None = None) -> Prefetch:
    """Prefetch `relation` into a plain list, read by nested many=True serializers.

    A related manager per record costs little in Django, but much with
    modeltranslation (it builds a queryset class for each); with `to_attr` no
    manager is made, when prefetching or when serializing.
    """
    return Prefetch(relation, queryset, to_attr=f"{PREFETCHED_PREFIX}{relation}")


class PrefetchedListSerializer(serializers.ListSerializer):
    """Reads a relation's prefetched records without making its manager."""

    def get_attribute(self, instance):
        if len(self.source_attrs) == 1:
            name = self.source_attrs[0]
            records = getattr(instance, f"{PREFETCHED_PREFIX}{name}", None)
            if records is not None:
                return records
            cache = getattr(instance, "_prefetched_objects_cache", None)
            if cache and name in cache:
                return cache[name]
        return super().get_attribute(instance)


class ReadSerializer(serializers.ModelSerializer):
    """Builds its fields from the model once per class, not once per request."""

    _fields_by_class: ClassVar[dict[tuple[type, str | None], dict]] = {}

    def get_fields(self) -> dict:
        # ModelSerializer inspects the model on every instantiation, a large share
        # of a read's time; copies of fields built once are the same fields. Once
        # per language: choices sorted by name (countries) follow the language, so
        # fields first built in German would give the English schema German order.
        key = (type(self), get_language())
        fields = self._fields_by_class.get(key)
        if fields is None:
            fields = self._fields_by_class[key] = super().get_fields()
        # A plain field is bound afresh on a shallow copy (bind() sets its name
        # and parent); one that holds fields of its own (a nested serializer, a
        # list of relations) is copied whole. deepcopy() of every field rebuilt
        # each one, a large share of a list's time.
        return {
            name: copy.deepcopy(field)
            if isinstance(field, _COMPOSITE_FIELDS)
            else copy.copy(field)
            for name, field in fields.items()
        }

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = getattr(cls, "Meta", None)
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            meta.list_serializer_class = PrefetchedListSerializer

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        optional = {
            models.URLField: OptionalURLField,
            models.EmailField: OptionalEmailField,
        }
        if model_field.blank and type(model_field) in optional:
            field_class = optional[type(model_field)]
            kwargs["allow_null"] = True
        return field_class, kwargs


def label(source: str) -> serializers.CharField:
    """The translated label of a choice, beside its stable code."""
    return ChoiceLabelField(source)


def status_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=Status.choices,
        read_only=True,
        help_text="Where the record is in the editorial life cycle. Anonymous "
        "clients only ever see published records; partner staff also see their "
        "organisation's drafts, records in review and archived records. Changed "
        "only by the record's actions (submit, publish, send-back, archive).",
    )


# --- Summaries: related records, nested ---------------------------------------


class RegionSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:region-detail")

    class Meta:
        model = Region
        fields = ["slug", "url", "name", "country"]


class PartnerSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:partner-detail")

    class Meta:
        model = Partner
        fields = ["slug", "url", "name", "acronym", "country"]


class ProjectSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:project-detail")

    class Meta:
        model = Project
        fields = ["slug", "url", "acronym", "title"]


class PublicationSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:publication-detail")

    class Meta:
        model = Publication
        fields = ["slug", "url", "title", "kind", "year"]


class ThemeSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:theme-detail")

    class Meta:
        model = Theme
        fields = ["slug", "url", "name"]


class CategorySummarySerializer(ReadSerializer):
    url = DetailUrlField("api:category-detail")

    class Meta:
        model = Category
        fields = ["slug", "url", "name"]


class LegacyTypeSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:legacytype-detail")

    class Meta:
        model = LegacyType
        fields = ["slug", "url", "name"]


class DevelopmentGoalSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:developmentgoal-detail")

    class Meta:
        model = DevelopmentGoal
        fields = ["slug", "url", "name"]


class PolicyInstrumentSummarySerializer(ReadSerializer):
    class Meta:
        model = PolicyInstrument
        fields = ["slug", "name"]


class PotentialSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:potential-detail")

    class Meta:
        model = Potential
        fields = ["slug", "url", "title", "stage"]


class GoodPracticeSummarySerializer(ReadSerializer):
    url = DetailUrlField("api:goodpractice-detail")

    class Meta:
        model = GoodPractice
        fields = ["slug", "url", "title", "kind"]


class CommoditySerializer(ReadSerializer):
    class Meta:
        model = Commodity
        fields = ["slug", "name"]


class LinkSerializer(ReadSerializer):
    kind_label = label("kind")

    class Meta:
        model = Link
        fields = ["kind", "kind_label", "title", "url", "accessed_on"]
        extra_kwargs = {
            "accessed_on": {
                "help_text": "For a source: the day its page was read; else null."
            }
        }


# --- Pictures ---------------------------------------------------------------------

_RENDITION_SCHEMA = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
    },
    "required": ["url", "width", "height"],
}


@extend_schema_field(
    {
        "type": "object",
        "properties": dict.fromkeys(SIZES, _RENDITION_SCHEMA),
        "required": list(SIZES),
        "description": "The picture in each size: card (480×320, cropped) and "
        "card_2x, detail (at most 960 wide) and detail_2x, og (1200×630, JPEG, "
        "for link previews). The uploaded file itself is not published.",
    }
)
class RenditionsField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: RecordImage) -> dict:
        request = self.context.get("request")
        renditions = {}
        for size in SIZES:
            url, width, height = value.rendition(size)
            if request is not None:
                url = request.build_absolute_uri(url)
            renditions[size] = {"url": url, "width": width, "height": height}
        return renditions


class ImageSerializer(ReadSerializer):
    """A picture of a record (the fields every kind of picture shares)."""

    sizes = RenditionsField()
    licence_label = label("licence")
    licence_url = serializers.SerializerMethodField(
        help_text="The licence's text, where it has one; else null."
    )

    class Meta:
        model = PotentialImage
        fields = [
            "sizes",
            "alt",
            "caption",
            "credit",
            "licence",
            "licence_label",
            "licence_url",
            "source_url",
        ]

    def get_licence_url(self, image: RecordImage) -> str | None:
        return LICENCE_URLS.get(image.licence) or None


# --- Regions, partners, projects, publications --------------------------------


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri", "nullable": True},
        },
        "required": ["title", "url"],
        "description": "Where the figure comes from; null without a figure.",
    }
)
class FigureSourceField(serializers.Field):
    """A stated figure's source (`population_source_title`, `…_url`) as one object."""

    def __init__(self, prefix: str, **kwargs):
        self.prefix = prefix
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Region) -> dict | None:
        title = getattr(value, f"{self.prefix}_source_title")
        if not title:
            return None
        return {
            "title": title,
            "url": getattr(value, f"{self.prefix}_source_url") or None,
        }


class RegionLegacySerializer(ReadSerializer):
    legacy_type = LegacyTypeSummarySerializer(read_only=True)

    class Meta:
        model = RegionLegacy
        fields = ["legacy_type", "note"]
        extra_kwargs = {"note": {"help_text": "A short note on its extent."}}


class RegionSerializer(ReadSerializer):
    url = DetailUrlField("api:region-detail")
    kind_label = label("kind")
    mining_status_label = label("mining_status")
    commodities = CommoditySerializer(many=True, read_only=True)
    goals = DevelopmentGoalSummarySerializer(many=True, read_only=True)
    potentials_url = FilteredListUrlField("api:potential-list", "region")
    good_practices_url = FilteredListUrlField("api:goodpractice-list", "region")
    translations = TranslationsField("name")
    search_rank = SearchRankField()
    search_headline = SearchHeadlineField()

    class Meta:
        model = Region
        fields = [
            "slug",
            "url",
            "name",
            "country",
            "nuts_code",
            "nuts_version",
            "kind",
            "kind_label",
            "mining_status",
            "mining_status_label",
            "mining_ended_year",
            "commodities",
            "goals",
            "population",
            "population_year",
            "area_km2",
            "area_year",
            "latitude",
            "longitude",
            "summary",
            "potentials_url",
            "good_practices_url",
            "translations",
            "search_rank",
            "search_headline",
        ]


class RegionDetailSerializer(RegionSerializer):
    translation_provenance = ProvenanceField()
    legacies = RegionLegacySerializer(
        many=True,
        read_only=True,
        help_text="The kinds of mining legacy present in the region, each with a "
        "note on its extent.",
    )
    population_source = FigureSourceField("population")
    area_source = FigureSourceField("area")
    partners = PartnerSummarySerializer(many=True, read_only=True)
    images = ImageSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = [
            *RegionSerializer.Meta.fields,
            "population_source",
            "area_source",
            "legacies",
            "goals_text",
            "challenges",
            "strengths",
            "description",
            "website",
            "partners",
            "images",
            "links",
            "translation_provenance",
        ]


class PartnerSerializer(ReadSerializer):
    url = DetailUrlField("api:partner-detail")
    kind_label = label("kind")
    sector_label = label("sector")
    level_label = label("level")
    region = RegionSummarySerializer(read_only=True, allow_null=True)
    translations = TranslationsField("name")
    search_rank = SearchRankField()
    search_headline = SearchHeadlineField()

    class Meta:
        model = Partner
        fields = [
            "slug",
            "url",
            "name",
            "acronym",
            "kind",
            "kind_label",
            "sector",
            "sector_label",
            "level",
            "level_label",
            "country",
            "region",
            "website",
            "sector",
            "sector_label",
            "level",
            "level_label",
            "translations",
            "search_rank",
            "search_headline",
        ]


class PartnerMembershipSerializer(ReadSerializer):
    project = ProjectSummarySerializer(read_only=True)
    role_label = label("role")

    class Meta:
        model = Membership
        fields = ["project", "role", "role_label"]


class ContactSerializer(ReadSerializer):
    project = ProjectSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Contact
        fields = ["name", "function", "email", "phone", "project", "project_period"]


class PartnerDetailSerializer(PartnerSerializer):
    translation_provenance = ProvenanceField()
    memberships = PartnerMembershipSerializer(many=True, read_only=True)
    contacts = ContactSerializer(
        many=True,
        read_only=True,
        help_text=(
            "People to contact, as sources name them; `project_period` marks a "
            "contact named for a project's duration."
        ),
    )
    images = ImageSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)

    class Meta(PartnerSerializer.Meta):
        fields = [
            *PartnerSerializer.Meta.fields,
            "address",
            "email",
            "phone",
            "logo",
            "contacts",
            "memberships",
            "images",
            "links",
            "translation_provenance",
        ]


class ProjectSerializer(ReadSerializer):
    url = DetailUrlField("api:project-detail")
    kind_label = label("kind")
    programme_label = label("programme")
    fund_label = label("fund")
    partner_count = serializers.IntegerField(
        read_only=True, help_text="Partners recorded as members."
    )
    region_count = serializers.IntegerField(
        read_only=True, help_text="Regions of the member partners."
    )
    country_count = serializers.IntegerField(
        read_only=True, help_text="Countries of the member partners."
    )
    translations = TranslationsField("title")
    search_rank = SearchRankField()
    search_headline = SearchHeadlineField()

    class Meta:
        model = Project
        fields = [
            "slug",
            "url",
            "acronym",
            "title",
            "kind",
            "kind_label",
            "programme",
            "programme_label",
            "fund",
            "fund_label",
            "start_date",
            "end_date",
            "website",
            "summary",
            "partner_count",
            "region_count",
            "country_count",
            "translations",
            "search_rank",
            "search_headline",
        ]


class MemberSerializer(ReadSerializer):
    partner = PartnerSummarySerializer(read_only=True)
    role_label = label("role")

    class Meta:
        model = Membership
        fields = ["role", "role_label", "partner"]


class StatedFigureSerializer(ReadSerializer):
    kind_label = label("kind")

    class Meta:
        model = StatedFigure
        fields = ["kind", "kind_label", "value", "source_title", "source_url", "note"]


class HeadlineCountsSerializer(serializers.Serializer):
    partners = serializers.IntegerField()
    regions = serializers.IntegerField()
    countries = serializers.IntegerField()
    by_role = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Members per role: lead, partner, scientific, advisory.",
    )


class ProjectDetailSerializer(ProjectSerializer):
    translation_provenance = ProvenanceField()
    headline_counts = serializers.SerializerMethodField(
        help_text="Computed from the memberships recorded, never stated by hand."
    )
    memberships = serializers.SerializerMethodField(
        help_text="Members, the lead partner first, then by role."
    )
    objectives = serializers.SlugRelatedField(
        slug_field="text", many=True, read_only=True
    )
    stated_figures = StatedFigureSerializer(many=True, read_only=True)
    publications = PublicationSummarySerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "subtitle",
            "grant_agreement",
            "topic",
            "description",
            "headline_counts",
            "memberships",
            "objectives",
            "stated_figures",
            "publications",
            "links",
            "translation_provenance",
        ]

    @extend_schema_field(HeadlineCountsSerializer)
    def get_headline_counts(self, project: Project) -> dict:
        return HeadlineCountsSerializer(project.headline_counts()).data

    @extend_schema_field(MemberSerializer(many=True))
    def get_memberships(self, project: Project) -> list:
        order = {role: position for position, role in enumerate(Membership.Role)}
        members = sorted(
            project.memberships.all(),
            key=lambda member: (order[member.role], member.partner.slug),
        )
        return MemberSerializer(members, many=True, context=self.context).data


class PublicationSerializer(ReadSerializer):
    url = DetailUrlField("api:publication-detail")
    kind_label = label("kind")
    project = ProjectSummarySerializer(read_only=True, allow_null=True)
    external_url = OptionalURLField(
        source="url",
        read_only=True,
        allow_null=True,
        help_text="Where the publication is online.",
    )
    translations = TranslationsField("title")
    search_rank = SearchRankField()
    search_headline = SearchHeadlineField()

    class Meta:
        model = Publication
        fields = [
            "slug",
            "url",
            "title",
            "kind",
            "kind_label",
            "language",
            "year",
            "project",
            "summary",
            "file",
            "external_url",
            "translations",
            "search_rank",
            "search_headline",
        ]


class PublicationDetailSerializer(PublicationSerializer):
    translation_provenance = ProvenanceField()
    links = LinkSerializer(many=True, read_only=True)

    class Meta(PublicationSerializer.Meta):
        fields = [
            *PublicationSerializer.Meta.fields,
            "links",
            "translation_provenance",
        ]


# --- Taxonomy -------------------------------------------------------------------


class ThemeSerializer(ReadSerializer):
    url = DetailUrlField("api:theme-detail")
    categories = CategorySummarySerializer(many=True, read_only=True)
    potentials_url = FilteredListUrlField("api:potential-list", "theme")
    translations = TranslationsField("name")

    class Meta:
        model = Theme
        fields = [
            "slug",
            "url",
            "name",
            "description",
            "order",
            "categories",
            "potentials_url",
            "translations",
        ]


class CategorySerializer(ReadSerializer):
    url = DetailUrlField("api:category-detail")
    theme = ThemeSummarySerializer(read_only=True)
    goals = DevelopmentGoalSummarySerializer(
        many=True,
        read_only=True,
        help_text="The development goals the category's uses serve.",
    )
    potentials_url = FilteredListUrlField("api:potential-list", "category")
    translations = TranslationsField("name")

    class Meta:
        model = Category
        fields = [
            "slug",
            "url",
            "name",
            "description",
            "order",
            "theme",
            "goals",
            "potentials_url",
            "translations",
        ]


class LegacyTypeSerializer(ReadSerializer):
    url = DetailUrlField("api:legacytype-detail")
    potentials_url = FilteredListUrlField("api:potential-list", "legacy_type")
    translations = TranslationsField("name")

    class Meta:
        model = LegacyType
        fields = [
            "slug",
            "url",
            "name",
            "description",
            "order",
            "potentials_url",
            "translations",
        ]


class DevelopmentGoalSerializer(ReadSerializer):
    url = DetailUrlField("api:developmentgoal-detail")
    categories = CategorySummarySerializer(
        many=True,
        read_only=True,
        help_text="The categories of use that serve the goal.",
    )
    translations = TranslationsField("name")

    class Meta:
        model = DevelopmentGoal
        fields = [
            "slug",
            "url",
            "name",
            "description",
            "order",
            "categories",
            "translations",
        ]


# --- Potentials and good practices --------------------------------------------


class PotentialSerializer(ReadSerializer):
    url = DetailUrlField("api:potential-detail")
    stage_label = label("stage")
    status = status_field()
    status_label = label("status")
    region = RegionSummarySerializer(read_only=True, allow_null=True)
    category = CategorySummarySerializer(read_only=True)
    theme = ThemeSummarySerializer(source="category.theme", read_only=True)
    legacy_types = LegacyTypeSummarySerializer(many=True, read_only=True)
    translations = TranslationsField("title")
    search_rank = SearchRankField()
    search_headline = SearchHeadlineField()

    class Meta:
        model = Potential
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "stage",
            "stage_label",
            "region",
            "theme",
            "category",
            "legacy_types",
            "latitude",
            "longitude",
            "area_ha",
            "capacity_mw",
            "visitors_per_year",
            "original_language",
            "status",
            "status_label",
            "published_at",
            "updated_at",
            "translations",
            "search_rank",
            "search_headline",
        ]


class ActorSerializer(ReadSerializer):
    partner = PartnerSummarySerializer(read_only=True)
    role_label = label("role")

    class Meta:
        model = PotentialActor
        fields = ["role", "role_label", "partner"]


class PotentialDetailSerializer(PotentialSerializer):
    translation_provenance = ProvenanceField()
    owner = PartnerSummarySerializer(read_only=True)
    actors = ActorSerializer(source="actor_roles", many=True, read_only=True)
    projects = ProjectSummarySerializer(many=True, read_only=True)
    good_practices = GoodPracticeSummarySerializer(many=True, read_only=True)
    images = ImageSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)

    class Meta(PotentialSerializer.Meta):
        fields = [
            *PotentialSerializer.Meta.fields,
            "description",
            "utilisation_options",
            "owner",
            "actors",
            "projects",
            "good_practices",
            "images",
            "links",
            "translation_provenance",
        ]


class GoodPracticeSerializer(ReadSerializer):
    url = DetailUrlField("api:goodpractice-detail")
    kind_label = label("kind")
    status = status_field()
    status_label = label("status")
    practice_status_label = label("practice_status")
    evidence_level_label = label("evidence_level")
    region = RegionSummarySerializer(read_only=True, allow_null=True)
    main_institution = PartnerSummarySerializer(read_only=True)
    themes = ThemeSummarySerializer(many=True, read_only=True)
    legacy_types = LegacyTypeSummarySerializer(
        many=True,
        read_only=True,
        help_text="What mining left behind that the practice put to use.",
    )
    translations = TranslationsField("title")
    search_rank = SearchRankField()
    search_headline = SearchHeadlineField()

    class Meta:
        model = GoodPractice
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "kind",
            "kind_label",
            "practice_status",
            "practice_status_label",
            "region",
            "main_institution",
            "themes",
            "legacy_types",
            "start_date",
            "end_date",
            "latitude",
            "longitude",
            "original_language",
            "evidence_level",
            "evidence_level_label",
            "validated_on",
            "status",
            "status_label",
            "published_at",
            "updated_at",
            "translations",
            "search_rank",
            "search_headline",
        ]


class StakeholderSerializer(ReadSerializer):
    sector_label = label("sector")
    partner = PartnerSummarySerializer(
        read_only=True,
        allow_null=True,
        help_text="The organisation, where it is in the network; else null.",
    )

    class Meta:
        model = Stakeholder
        fields = ["sector", "sector_label", "partner", "description"]


class ValidationSerializer(serializers.Serializer):
    validated_on = serializers.DateField(help_text="The day the network validated it.")
    opinion = serializers.CharField(
        source="validation_opinion", help_text="The network's short opinion."
    )
    signature = serializers.CharField(
        source="validation_signature",
        help_text="The name and function the opinion is signed with.",
    )


class GoodPracticeDetailSerializer(GoodPracticeSerializer):
    translation_provenance = ProvenanceField()
    owner = PartnerSummarySerializer(read_only=True)
    categories = CategorySummarySerializer(many=True, read_only=True)
    potentials = PotentialSummarySerializer(many=True, read_only=True)
    projects = ProjectSummarySerializer(many=True, read_only=True)
    policy_instruments = PolicyInstrumentSummarySerializer(
        many=True, read_only=True, help_text="The policy instruments it improved."
    )
    transferable_legacy_types = LegacyTypeSummarySerializer(
        many=True,
        read_only=True,
        help_text="The kinds of mining legacy it could be used on elsewhere.",
    )
    stakeholders = StakeholderSerializer(
        many=True, read_only=True, help_text="Who took part, by sector."
    )
    validation = serializers.SerializerMethodField(
        help_text="The network's validation: a moderator's dated, signed opinion; "
        "null when the practice is not validated."
    )
    images = ImageSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)

    class Meta(GoodPracticeSerializer.Meta):
        fields = [
            *GoodPracticeSerializer.Meta.fields,
            "description",
            "resources_needed",
            "evidence_of_success",
            "difficulties_encountered",
            "potential_for_learning",
            "cost_min",
            "cost_max",
            "cost_currency",
            "funding_sources",
            "implementation_months",
            "lifetime_years",
            "success_factors",
            "limiting_factors",
            "preconditions",
            "transferable_region_kinds",
            "transferable_legacy_types",
            "stakeholders",
            "validation",
            "contact_name",
            "owner",
            "categories",
            "potentials",
            "projects",
            "policy_instruments",
            "images",
            "links",
            "translation_provenance",
        ]

    @extend_schema_field(ValidationSerializer(allow_null=True))
    def get_validation(self, practice: GoodPractice) -> dict | None:
        if not practice.is_validated:
            return None
        return ValidationSerializer(practice).data


# --- Similar records ---------------------------------------------------------------


class SimilarRecordValueSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="The shared value's slug; for a country, its ISO 3166 code."
    )
    name = serializers.CharField(help_text="Its name in the response's language.")


class SimilarRecordReasonSerializer(serializers.Serializer):
    trait = serializers.ChoiceField(
        choices=list(TRAIT_ORDER),
        help_text="What the records share: the category (or categories), kinds "
        "of mining legacy, the theme (a potential: another category of the same "
        "theme), the region, the country (another region), commodities both "
        "regions mined, or similar words (the English title's words in the "
        "other's English title or summary).",
    )
    label = serializers.CharField(help_text="The trait in words.")
    values = SimilarRecordValueSerializer(
        many=True, help_text="The values shared (none for similar words)."
    )
    text = serializers.CharField(
        help_text='The reason as a page shows it: "both use: Mine water".'
    )


class SimilarFieldsMixin(serializers.Serializer):
    score = serializers.FloatField(
        source="similarity.score",
        help_text="The sum of the weights of the shared traits; higher is more "
        "similar. Records are ordered by it, best first.",
    )
    reasons = SimilarRecordReasonSerializer(
        source="similarity.reasons",
        many=True,
        help_text="Exactly the traits the two records share.",
    )


class SimilarPotentialSerializer(SimilarFieldsMixin, ReadSerializer):
    url = DetailUrlField("api:potential-detail")
    region = RegionSummarySerializer(read_only=True, allow_null=True)
    category = CategorySummarySerializer(read_only=True)

    class Meta:
        model = Potential
        fields = [
            "slug",
            "url",
            "title",
            "stage",
            "region",
            "category",
            "score",
            "reasons",
        ]


class SimilarGoodPracticeSerializer(SimilarFieldsMixin, ReadSerializer):
    url = DetailUrlField("api:goodpractice-detail")
    region = RegionSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = GoodPractice
        fields = ["slug", "url", "title", "kind", "region", "score", "reasons"]


# --- Writes: potentials and good practices, by partner staff ---------------------


class EditorialSerializer(serializers.ModelSerializer):
    """The record as partner staff write it: every language of each translated
    text, related records by slug, and its editorial state, which only the
    record's actions change."""

    # Validation and shape only: the view hands `to_record()` to a service, which
    # checks the rules and saves.
    status = status_field()
    status_label = label("status")
    owner = SlugRelatedField(
        queryset=Partner.objects.all(),
        required=False,
        help_text="Slug of the organisation whose staff edit the record. An "
        "editor of a single organisation may leave it out on creation; only a "
        "moderator may change it.",
    )
    review_comment = serializers.CharField(
        read_only=True,
        help_text="Why a moderator sent the record back; cleared on submission.",
    )
    transitions = serializers.SerializerMethodField(
        help_text="The actions the signed-in user may apply to the record now; "
        "each is `POST <record url><action>/` (`send_back` is `send-back/`)."
    )
    slug = serializers.SlugField(
        max_length=200,
        required=False,
        help_text="The record's address. On creation it defaults to the title "
        "made into a slug: the English title, else the one in the original "
        "language.",
    )

    #: Fields never taken from a request: only the services and actions set them.
    editorial_fields = (
        "status",
        "status_label",
        "review_comment",
        "published_at",
        "created_at",
        "updated_at",
        "transitions",
    )

    class Meta:
        model: type[models.Model]
        fields: list[str]
        read_only_fields = ("published_at", "created_at", "updated_at")
        extra_kwargs = {
            "original_language": {
                "help_text": "The language the record was first written in "
                "(English if left out). Its required texts (`title`, `summary`) "
                "are required in it, or in English, which stands in for it; "
                "readers of a language it has no text in see the English text, "
                "else this one."
            }
        }

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in translated_fields(model_class):
            return TranslatedTextField, {
                "model_field": model_class._meta.get_field(field_name)
            }
        return super().build_field(field_name, info, model_class, nested_depth)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(Transition.choices))
    )
    def get_transitions(self, record) -> list[str]:
        return [
            transition.value
            for transition in transitions_for(self.context["request"].user, record)
        ]

    def to_internal_value(self, data):
        if isinstance(data, dict) and "status" in data:
            current = self.instance.status if self.instance else Status.DRAFT
            if data["status"] != current:
                raise serializers.ValidationError(
                    {
                        "status": [
                            _(
                                "The status changes only by the record's actions: "
                                "submit, publish, send-back and archive. A new "
                                "record is a draft."
                            )
                        ]
                    }
                )
        return super().to_internal_value(data)

    def validate(self, attrs: dict) -> dict:
        if self.instance is None and not attrs.get("slug"):
            # From the title as the record's readers first see it: in English,
            # else in its original language.
            original = attrs.get("original_language") or FALLBACK_LANGUAGE
            title = next(
                (
                    text
                    for code in reading_order(FALLBACK_LANGUAGE, original)
                    if (text := attrs.get(language_column("title", code)))
                ),
                "",
            )
            attrs["slug"] = slugify(title)[:200]
        return attrs

    def to_record(self) -> tuple[models.Model, dict[str, list]]:
        """The record with the validated changes applied (unsaved), and the
        many-to-many choices to set with it, for a service to save."""
        values = dict(self.validated_data)
        many = {
            name: values.pop(name)
            for name, field in self.fields.items()
            if isinstance(field, serializers.ManyRelatedField) and name in values
        }
        record = self.instance or self.Meta.model()
        for name, value in values.items():
            setattr(record, name, value)
        return record, many


class VisiblePotentialsField(SlugRelatedField):
    """Related potentials: any the user can read, as in the admin's picker, so
    that another organisation's drafts stay unknown."""

    def get_queryset(self):
        return Potential.objects.visible_to(self.context["request"].user)


class PotentialWriteSerializer(EditorialSerializer):
    url = DetailUrlField("api:potential-detail")
    region = SlugRelatedField(
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text="Region slug; null for a potential across a project's regions.",
    )
    category = SlugRelatedField(
        queryset=Category.objects.all(), help_text="Category slug."
    )
    legacy_types = SlugRelatedField(
        queryset=LegacyType.objects.all(),
        many=True,
        allow_empty=False,
        help_text="Legacy type slugs: what mining left behind that it uses.",
    )
    projects = SlugRelatedField(
        queryset=Project.objects.all(),
        many=True,
        required=False,
        help_text="Project slugs.",
    )

    class Meta(EditorialSerializer.Meta):
        model = Potential
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "description",
            "utilisation_options",
            "stage",
            "region",
            "category",
            "legacy_types",
            "projects",
            "latitude",
            "longitude",
            "area_ha",
            "capacity_mw",
            "visitors_per_year",
            "original_language",
            "owner",
            *EditorialSerializer.editorial_fields,
        ]


class GoodPracticeWriteSerializer(EditorialSerializer):
    url = DetailUrlField("api:goodpractice-detail")
    main_institution = SlugRelatedField(
        queryset=Partner.objects.all(), help_text="Partner slug."
    )
    region = SlugRelatedField(
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text="Region slug.",
    )
    themes = SlugRelatedField(
        queryset=Theme.objects.all(),
        many=True,
        required=False,
        help_text="Theme slugs.",
    )
    categories = SlugRelatedField(
        queryset=Category.objects.all(),
        many=True,
        required=False,
        help_text="Category slugs.",
    )
    potentials = VisiblePotentialsField(
        queryset=Potential.objects.all(),
        many=True,
        required=False,
        help_text="Slugs of related potentials the user can read.",
    )
    projects = SlugRelatedField(
        queryset=Project.objects.all(),
        many=True,
        required=False,
        help_text="Project slugs.",
    )
    legacy_types = SlugRelatedField(
        queryset=LegacyType.objects.all(),
        many=True,
        required=False,
        help_text="Legacy type slugs: what mining left behind that it put to use.",
    )
    policy_instruments = SlugRelatedField(
        queryset=PolicyInstrument.objects.all(),
        many=True,
        required=False,
        help_text="Slugs of the policy instruments it improved.",
    )
    transferable_legacy_types = SlugRelatedField(
        queryset=LegacyType.objects.all(),
        many=True,
        required=False,
        help_text="Legacy type slugs: the kinds of legacy it could be used on "
        "elsewhere.",
    )
    stakeholders = StakeholderSerializer(
        many=True,
        read_only=True,
        help_text="Who took part, by sector. Read-only here: stakeholders are "
        "edited in the admin.",
    )

    class Meta(EditorialSerializer.Meta):
        model = GoodPractice
        fields = [
            "slug",
            "url",
            "title",
            "summary",
            "description",
            "resources_needed",
            "evidence_of_success",
            "difficulties_encountered",
            "potential_for_learning",
            "kind",
            "practice_status",
            "original_language",
            "main_institution",
            "region",
            "start_date",
            "end_date",
            "latitude",
            "longitude",
            "themes",
            "categories",
            "legacy_types",
            "potentials",
            "projects",
            "policy_instruments",
            "cost_min",
            "cost_max",
            "cost_currency",
            "funding_sources",
            "implementation_months",
            "lifetime_years",
            "success_factors",
            "limiting_factors",
            "preconditions",
            "evidence_level",
            "transferable_region_kinds",
            "transferable_legacy_types",
            "stakeholders",
            "validated_on",
            "validation_opinion",
            "validation_signature",
            "contact_name",
            "contact_email",
            "owner",
            *EditorialSerializer.editorial_fields,
        ]
        extra_kwargs = {
            **EditorialSerializer.Meta.extra_kwargs,
            "validated_on": {
                "help_text": "The day the network validated the practice; null "
                "withdraws the validation. The validation fields are a "
                "moderator's: anyone else who changes them is refused (403)."
            },
            "validation_signature": {
                "help_text": "The name and function the validation is signed with; "
                "required with `validated_on`."
            },
            "cost_currency": {
                "help_text": "ISO 4217 code of the costs' currency (EUR); required "
                "with a cost."
            },
        }


class SendBackSerializer(serializers.Serializer):
    comment = serializers.CharField(
        allow_blank=True,
        max_length=5000,
        help_text="What the editor should change before submitting again; "
        "shown to them on the record and kept in its history.",
    )


class RestoreSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The `id` of one of the record's versions "
        "(`GET <record url>versions/`).",
    )


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(
        source="revision.date_created", read_only=True
    )
    user = serializers.CharField(
        source="revision.user.get_username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Who made the change; null for changes made by no one signed in.",
    )
    comment = serializers.CharField(source="revision.comment", read_only=True)


# --- Policy instruments and actor networks -------------------------------------


class PolicyInstrumentSerializer(ReadSerializer):
    url = DetailUrlField("api:policyinstrument-detail")
    kind_label = label("kind")
    region = RegionSummarySerializer(read_only=True, allow_null=True)
    projects = ProjectSummarySerializer(
        many=True, read_only=True, help_text="The projects that address it."
    )
    translations = TranslationsField("name")
    search_rank = SearchRankField()
    search_headline = SearchHeadlineField()

    class Meta:
        model = PolicyInstrument
        fields = [
            "slug",
            "url",
            "name",
            "kind",
            "kind_label",
            "region",
            "country",
            "managing_authority",
            "programme",
            "period_start",
            "period_end",
            "projects",
            "translations",
            "search_rank",
            "search_headline",
        ]


class PolicyInstrumentDetailSerializer(PolicyInstrumentSerializer):
    translation_provenance = ProvenanceField()
    good_practices = GoodPracticeSummarySerializer(
        many=True,
        read_only=True,
        help_text="The published good practices that improved it.",
    )
    links = LinkSerializer(
        many=True, read_only=True, help_text="Its sources, each with the day read."
    )

    class Meta(PolicyInstrumentSerializer.Meta):
        fields = [
            *PolicyInstrumentSerializer.Meta.fields,
            "good_practices",
            "links",
            "translation_provenance",
        ]


class NetworkNodeSerializer(ReadSerializer):
    url = DetailUrlField("api:partner-detail")
    sector_label = label("sector")
    level_label = label("level")

    class Meta:
        model = Partner
        fields = [
            "slug",
            "url",
            "name",
            "acronym",
            "country",
            "sector",
            "sector_label",
            "level",
            "level_label",
        ]


class NetworkTieSerializer(serializers.Serializer):
    source = serializers.CharField(
        source="source.slug", help_text="The slug of one organisation (a node)."
    )
    target = serializers.CharField(
        source="target.slug", help_text="The slug of the other organisation."
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=TieKind.choices),
        help_text="What ties them: a shared project, roles on the same published "
        "potential, the same published good practice.",
    )
    projects = ProjectSummarySerializer(
        many=True, help_text="The projects both are members of."
    )
    potentials = PotentialSummarySerializer(
        many=True, help_text="The published potentials both have roles on."
    )
    good_practices = GoodPracticeSummarySerializer(
        source="practices",
        many=True,
        help_text="The published good practices both took part in, as main "
        "institution or stakeholder.",
    )


class NetworkCountSerializer(serializers.Serializer):
    value = serializers.CharField(
        help_text="The sector or planning level; empty for the organisations "
        "that record none."
    )
    label = serializers.CharField()
    count = serializers.IntegerField()


class NetworkSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=["region", "project"], help_text="Whose network this is."
    )
    nodes = NetworkNodeSerializer(
        many=True,
        help_text="The organisations: for a region, those located in it or with "
        "a role on its published potentials and good practices; for a project, "
        "its members.",
    )
    ties = NetworkTieSerializer(
        many=True, help_text="Each pair of organisations that share something."
    )
    by_sector = NetworkCountSerializer(
        many=True, help_text="Organisations per sector, counted from the nodes."
    )
    by_level = NetworkCountSerializer(
        many=True,
        help_text="Organisations per planning level, counted from the nodes.",
    )


# --- Regions like mine (regions.similarity) ------------------------------------------


class RegionTraitValueSerializer(serializers.Serializer):
    slug = serializers.CharField(
        help_text="The value's code: a slug, a decade's first year, `active`, a "
        "size class or an ISO 3166 country code."
    )
    name = serializers.CharField(help_text="The value in the response's language.")


class RegionReasonSerializer(serializers.Serializer):
    trait = serializers.ChoiceField(
        choices=Trait.choices, help_text="The kind of trait both regions share."
    )
    label = serializers.CharField(help_text="The trait, in words.")
    values = RegionTraitValueSerializer(
        many=True, help_text="Exactly the values both share of this trait."
    )
    text = serializers.CharField(help_text="The reason as one line of text.")


class SimilarRegionSerializer(serializers.Serializer):
    region = RegionSummarySerializer()
    score = serializers.IntegerField(
        help_text="The weighted sum of the shared traits: higher is more alike."
    )
    reasons = RegionReasonSerializer(
        many=True, help_text="Why it ranks: every trait shared, and nothing else."
    )
    potentials = PotentialSummarySerializer(
        many=True,
        help_text="What to learn there: a few of its published potentials in the "
        "categories serving the goals of the region compared.",
    )
    good_practices = GoodPracticeSummarySerializer(
        many=True,
        help_text="A few of its published good practices in those categories, or "
        "using or transferable to the same kinds of mining legacy.",
    )


class SimilarRegionsSerializer(serializers.Serializer):
    region = RegionSummarySerializer(help_text="The region compared.")
    results = SimilarRegionSerializer(many=True, help_text="Most alike first.")


class RegionMatchSerializer(serializers.Serializer):
    results = SimilarRegionSerializer(
        many=True,
        help_text="The regions most like the one described, most alike first; "
        "none when no parameter is given.",
    )
    good_practices = GoodPracticeSummarySerializer(
        many=True,
        help_text="The good practices suggested across the results, each once.",
    )


# --- Map markers (search.maps) -------------------------------------------------------


class BoundsField(serializers.ListField):
    """west, south, east, north in WGS 84 degrees."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.FloatField())
        kwargs.setdefault("min_length", 4)
        kwargs.setdefault("max_length", 4)
        super().__init__(**kwargs)


class MapClusterSerializer(serializers.Serializer):
    lat = serializers.FloatField(source="latitude", help_text="Mean latitude.")
    lon = serializers.FloatField(source="longitude", help_text="Mean longitude.")
    count = serializers.IntegerField(help_text="Records in the cluster (2 or more).")
    bbox = BoundsField(
        source="bounds",
        help_text="Where its records lie: west, south, east, north. Zoom to it "
        "to see them apart.",
    )


class MapPointSerializer(serializers.Serializer):
    lat = serializers.FloatField(source="latitude")
    lon = serializers.FloatField(source="longitude")
    kind = serializers.ChoiceField(
        choices=["potential", "goodpractice", "region"], help_text="Kind of record."
    )
    title = serializers.CharField(
        help_text="Its title (a region's name) in the response's language, else "
        "in English, else in its original language."
    )
    lang = serializers.CharField(help_text="The language `title` is in.")
    url = serializers.URLField(help_text="Its page on the portal.")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None:
            data["url"] = request.build_absolute_uri(data["url"])
        return data


class MapMarkersSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="Records with a location that match the filters, in view or not."
    )
    extent = BoundsField(
        allow_null=True,
        help_text="Where all of them lie (west, south, east, north); null when "
        "none has a location.",
    )
    zoom = serializers.IntegerField()
    cell = serializers.FloatField(
        help_text="The side of a grid cell at this zoom, in degrees: 90 / 2^zoom."
    )
    clusters = MapClusterSerializer(
        many=True, help_text="Cells in view that hold several records."
    )
    points = MapPointSerializer(
        many=True, help_text="Records alone in their cell in view."
    )


class MapMarkersQuerySerializer(serializers.Serializer):
    """The parameters of `/map-markers/` besides the filters."""

    records = serializers.MultipleChoiceField(
        choices=list(MARKER_KINDS), allow_empty=False
    )
    bbox = serializers.CharField()
    zoom = serializers.IntegerField(min_value=MIN_ZOOM, max_value=MAX_ZOOM)

    def validate_bbox(self, value: str):
        try:
            return BoundingBoxField().clean(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate_records(self, value) -> list[str]:
        # A set: in the one order of MARKER_KINDS, so that equal requests are
        # answered alike.
        return [kind for kind in MARKER_KINDS if kind in value]

    def validate(self, attrs):
        if cells_in(attrs["bbox"], attrs["zoom"]) > MAX_CELLS:
            raise serializers.ValidationError(
                {
                    "bbox": [
                        _(
                            "The map area is too large for this zoom: ask for at "
                            "most %(cells)s grid cells (a cell is %(cell)s degrees "
                            "wide at this zoom)."
                        )
                        % {"cells": MAX_CELLS, "cell": cell_size(attrs["zoom"])}
                    ]
                }
            )
        return attrs
