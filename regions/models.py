"""The network: mining regions, the organisations in them, and their projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from django.conf import global_settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.db import (
    Located,
    coordinate_constraints,
    end_not_before_start,
    year_not_in_future,
)
from core.documents import validate_new_document
from core.images import RecordImage
from core.models import TranslationProvenance
from search.fields import searchable
from search.query import SearchQuerySet

NUTS_CODE_PATTERN = r"^[A-Z]{2}[A-Z0-9]{0,3}$"


class Commodity(models.Model):
    """What was or is mined in a region: coal, lignite, iron ore, uranium…"""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("mining commodity")
        verbose_name_plural = _("mining commodities")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class LegacyType(models.Model):
    """What mining left behind: dumps, mine water, open pits, machinery…

    A region has legacies of these types; its potentials and the good practices
    elsewhere put them to use.
    """

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("legacy type")
        verbose_name_plural = _("legacy types")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The potentials list, filtered to this legacy type."""
        return f"{reverse('potentials:potential-list')}?legacy_type={self.slug}"


class DevelopmentGoal(models.Model):
    """What a region wants to become: renewable energy, tourism and culture…"""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


def figure_has_year_and_source(
    field: str, prefix: str | None = None
) -> list[models.CheckConstraint]:
    """A stated figure (population, area) comes with the year and the source."""
    prefix = prefix or field
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__isnull": True})
            | (
                Q(**{f"{prefix}_year__isnull": False})
                & ~Q(**{f"{prefix}_source_title": ""})
            ),
            name=f"regions_region_{prefix}_has_year_and_source",
            violation_error_message=_(
                "A figure needs the year it refers to and the source it comes from."
            ),
        )
    ]


class NutsVersion(models.TextChoices):
    NUTS_2013 = "2013", "NUTS 2013"
    NUTS_2016 = "2016", "NUTS 2016"
    NUTS_2021 = "2021", "NUTS 2021"
    NUTS_2024 = "2024", "NUTS 2024"


@searchable(
    ("name", "A"),
    ("summary", "B"),
    ("description", "C"),
    ("goals_text", "C"),
    ("challenges", "C"),
    ("strengths", "C"),
)
class Region(TranslationProvenance, Located):
    class Kind(models.TextChoices):
        STATE = "state", _("State or province")
        REGION = "region", _("Region")
        COUNTY = "county", _("County")
        DISTRICT = "district", _("District")
        MICRO_REGION = "micro_region", _("Micro-region")
        MUNICIPALITY = "municipality", _("Municipality")
        TOWN = "town", _("Town")
        LANDSCAPE = "landscape", _("Mining landscape")

    class MiningStatus(models.TextChoices):
        ACTIVE = "active", _("Active")
        DECLINING = "declining", _("Declining")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    country = CountryField(_("country"), db_index=True)
    nuts_code = models.CharField(
        _("NUTS code"),
        max_length=5,
        blank=True,
        help_text=_(
            "The Eurostat NUTS code: two capital letters for the country, then up "
            "to three letters or digits (for example DED45)."
        ),
    )
    nuts_version = models.CharField(
        _("NUTS version"),
        max_length=4,
        choices=NutsVersion.choices,
        blank=True,
        help_text=_("The edition of the NUTS classification the code belongs to."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    commodities = models.ManyToManyField(
        Commodity, blank=True, related_name="regions", verbose_name=_("commodities")
    )
    legacy_types = models.ManyToManyField(
        LegacyType,
        through="RegionLegacy",
        blank=True,
        related_name="regions",
        verbose_name=_("mining legacy"),
    )
    goals = models.ManyToManyField(
        DevelopmentGoal,
        blank=True,
        related_name="regions",
        verbose_name=_("development goals"),
    )
    mining_status = models.CharField(
        _("mining status"), max_length=20, choices=MiningStatus.choices, blank=True
    )
    mining_ended_year = models.PositiveSmallIntegerField(
        _("year mining ended"), null=True, blank=True
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population: year"), null=True, blank=True
    )
    population_source_title = models.CharField(
        _("population: source"), max_length=300, blank=True
    )
    population_source_url = models.URLField(
        _("population: source address"), max_length=500, blank=True
    )
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    area_year = models.PositiveSmallIntegerField(_("area: year"), null=True, blank=True)
    area_source_title = models.CharField(_("area: source"), max_length=300, blank=True)
    area_source_url = models.URLField(
        _("area: source address"), max_length=500, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    goals_text = models.TextField(
        _("goals"), blank=True, help_text=_("The region's development goals in words.")
    )
    challenges = models.TextField(_("challenges"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    links = GenericRelation("core.Link", verbose_name=_("links"))

    objects = SearchQuerySet.as_manager()
    # The list's alphabetical order, by an index per language (core.collation).
    reader_order_index = (("name", None),)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["slug"]
        constraints = [
            *coordinate_constraints(),
            year_not_in_future("mining_ended_year"),
            models.CheckConstraint(
                condition=Q(nuts_code="") | Q(nuts_code__regex=NUTS_CODE_PATTERN),
                name="regions_region_nuts_code_shape",
                violation_error_message=_(
                    "A NUTS code is two capital letters followed by up to three "
                    "capital letters or digits, for example DED45."
                ),
            ),
            models.CheckConstraint(
                condition=Q(mining_ended_year__isnull=True) | Q(mining_status="ended"),
                name="regions_region_ended_year_needs_ended_status",
                violation_error_message=_(
                    "A year mining ended needs the mining status “ended”."
                ),
            ),
            models.CheckConstraint(
                condition=Q(area_km2__isnull=True) | Q(area_km2__gt=0),
                name="regions_region_area_positive",
                violation_error_message=_("The area must be greater than zero."),
            ),
            year_not_in_future("population_year"),
            year_not_in_future("area_year"),
            *figure_has_year_and_source("population"),
            *figure_has_year_and_source("area_km2", prefix="area"),
            models.CheckConstraint(
                condition=Q(nuts_version="") | ~Q(nuts_code=""),
                name="regions_region_nuts_version_needs_code",
                violation_error_message=_("A NUTS version needs a NUTS code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:region-detail", kwargs={"slug": self.slug})

    # A neutral icon in place of a picture (Lucide, the `lucide` package).
    icon_name = "map"


class RegionLegacy(models.Model):
    """A kind of mining legacy present in a region, with a note on its extent."""

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="legacies",
        verbose_name=_("region"),
    )
    legacy_type = models.ForeignKey(
        LegacyType,
        on_delete=models.PROTECT,
        related_name="region_legacies",
        verbose_name=_("legacy type"),
    )
    note = models.CharField(
        _("extent"),
        max_length=300,
        blank=True,
        help_text=_("A short note on its extent: how much, how large, where."),
    )

    class Meta:
        verbose_name = _("mining legacy")
        verbose_name_plural = _("mining legacy")
        ordering = ["region", "legacy_type__order", "legacy_type__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "legacy_type"],
                name="regions_regionlegacy_unique_type",
                violation_error_message=_(
                    "The region already records this kind of legacy."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.legacy_type)


class Sector(models.TextChoices):
    """The sectors of a regional actor network (the IOER paper)."""

    PUBLIC_ADMINISTRATION = "public_administration", _("Public administration")
    POLITICS = "politics", _("Politics")
    BUSINESS = "business", _("Business")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    RESEARCH_EDUCATION = "research_education", _("Research and education")


class PlanningLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EUROPEAN = "european", _("European")


@searchable(("name", "A"), ("acronym", "A"), untranslated=["acronym"])
class Partner(TranslationProvenance):
    """An organisation in the network: an authority, an agency, a university…"""

    class Kind(models.TextChoices):
        REGIONAL_AUTHORITY = "regional_authority", _("Regional authority")
        MUNICIPALITY = "municipality", _("Municipality")
        DEVELOPMENT_AGENCY = "development_agency", _("Development agency")
        ASSOCIATION = "association", _("Association")
        EDUCATIONAL_INSTITUTION = "educational", _("Educational institution")
        UNIVERSITY = "university", _("University")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    sector = models.CharField(
        _("sector"), max_length=30, choices=Sector.choices, blank=True
    )
    level = models.CharField(
        _("planning level"), max_length=20, choices=PlanningLevel.choices, blank=True
    )
    country = CountryField(_("country"), db_index=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("region"),
    )
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    logo = models.ImageField(_("logo"), upload_to="partners/logos/", blank=True)
    links = GenericRelation("core.Link", verbose_name=_("links"))

    objects = SearchQuerySet.as_manager()
    # The list's alphabetical order, by an index per language (core.collation).
    reader_order_index = (("name", None),)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:partner-detail", kwargs={"slug": self.slug})

    # A neutral icon in place of a picture; the logo is the partner's own mark,
    # not a picture of it.
    icon_name = "building-2"


@dataclass(frozen=True)
class HeadlineCounts:
    """A project's figures, computed from its memberships."""

    partners: int
    regions: int
    countries: int
    by_role: dict[str, int] = field(default_factory=dict)


class ProjectQuerySet(SearchQuerySet):
    def with_counts(self) -> Self:
        """Annotate partner, region and country counts from the memberships."""
        return self.annotate(
            partner_count=Count("memberships", distinct=True),
            region_count=Count("memberships__partner__region", distinct=True),
            country_count=Count("memberships__partner__country", distinct=True),
        )


@searchable(
    ("acronym", "A"),
    ("title", "A"),
    ("summary", "B"),
    ("description", "C"),
    untranslated=["acronym"],
)
class Project(TranslationProvenance):
    """A cooperation project or a standing network of mining regions."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project")
        NETWORK = "network", _("Network")

    class Programme(models.TextChoices):
        CENTRAL_EUROPE = "central_europe", _("Interreg IVB Central Europe")
        INTERREG_EUROPE = "interreg_europe", _("Interreg Europe")
        HORIZON_2020 = "horizon_2020", _("Horizon 2020")
        HORIZON_EUROPE = "horizon_europe", _("Horizon Europe")
        OTHER = "other", _("Other")

    class Fund(models.TextChoices):
        ERDF = "erdf", _("European Regional Development Fund (ERDF)")
        HORIZON_2020 = "horizon_2020", _("Horizon 2020 research and innovation grant")
        OTHER = "other", _("Other")

    acronym = models.CharField(_("acronym"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(
        _("subtitle"),
        max_length=300,
        blank=True,
        help_text=_("The line the project gives under its name, if any."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.PROJECT
    )
    programme = models.CharField(
        _("programme"), max_length=30, choices=Programme.choices, blank=True
    )
    fund = models.CharField(_("fund"), max_length=30, choices=Fund.choices, blank=True)
    grant_agreement = models.CharField(_("grant agreement"), max_length=40, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Partner,
        through="Membership",
        related_name="projects",
        verbose_name=_("members"),
    )
    links = GenericRelation("core.Link", verbose_name=_("links"))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["slug"]
        constraints = [end_not_before_start("start_date", "end_date")]
        indexes = [
            # "Newest first" reads a page of this index, not every project.
            models.Index(F("start_date").desc(), F("acronym"), name="project_newest"),
        ]

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("regions:project-detail", kwargs={"slug": self.slug})

    def headline_counts(self) -> HeadlineCounts:
        """Partners, regions and countries, by role too, from the memberships."""
        figures = self.memberships.aggregate(
            partners=Count("pk"),
            regions=Count("partner__region", distinct=True),
            countries=Count("partner__country", distinct=True),
            **{
                role: Count("pk", filter=Q(role=role))
                for role in Membership.Role.values
            },
        )
        return HeadlineCounts(
            partners=figures.pop("partners"),
            regions=figures.pop("regions"),
            countries=figures.pop("countries"),
            by_role=figures,
        )


@searchable(
    ("name", "A"), ("managing_authority", "B"), untranslated=["managing_authority"]
)
class PolicyInstrument(TranslationProvenance):
    """A regional policy that projects address and good practices improve."""

    class Kind(models.TextChoices):
        OPERATIONAL_PROGRAMME = "operational_programme", _("Operational programme")
        SMART_SPECIALISATION = (
            "smart_specialisation",
            _("Smart specialisation strategy"),
        )
        REGIONAL_STRATEGY = "regional_strategy", _("Regional strategy")
        NATIONAL_POLICY = "national_policy", _("National policy")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_instruments",
        verbose_name=_("region"),
    )
    country = CountryField(_("country"), db_index=True)
    managing_authority = models.CharField(
        _("managing authority"), max_length=300, blank=True
    )
    programme = models.CharField(_("programme"), max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(
        _("period from"), null=True, blank=True
    )
    period_end = models.PositiveSmallIntegerField(_("period to"), null=True, blank=True)
    projects = models.ManyToManyField(
        Project,
        blank=True,
        related_name="policy_instruments",
        verbose_name=_("addressed by projects"),
    )
    links = GenericRelation("core.Link", verbose_name=_("sources and links"))

    objects = SearchQuerySet.as_manager()
    # The list's alphabetical order, by an index per language (core.collation).
    reader_order_index = (("name", None),)

    class Meta:
        verbose_name = _("policy instrument")
        verbose_name_plural = _("policy instruments")
        ordering = ["slug"]
        # "Newest period first" reads a page of this index, not every instrument.
        indexes = [
            models.Index(
                F("period_start").desc(nulls_last=True),
                "slug",
                name="policyinstrument_newest",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="regions_policyinstrument_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:policyinstrument-detail", kwargs={"slug": self.slug})

    @property
    def period(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}–{self.period_end}"
        return str(self.period_start or self.period_end or "")


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead partner")
        PARTNER = "partner", _("Partner")
        SCIENTIFIC = "scientific", _("Scientific partner")
        ADVISORY = "advisory", _("Advisory partner")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("project"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("partner"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTNER
    )
    links = GenericRelation("core.Link", verbose_name=_("sources"))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["project", "role", "partner__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "partner"],
                name="regions_membership_unique_partner",
                violation_error_message=_(
                    "This partner is already a member of the project."
                ),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="lead"),
                name="regions_membership_one_lead_partner",
                violation_error_message=_("A project has only one lead partner."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} – {self.project} ({self.get_role_display()})"


class Objective(models.Model):
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("project"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("objective"))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "order"],
                name="regions_objective_unique_order",
                violation_error_message=_("Two objectives cannot share a position."),
            )
        ]

    def __str__(self) -> str:
        return self.text


class StatedFigure(models.Model):
    """A figure a project publishes about itself ("9 partners, 9 countries").

    Kept apart from the headline counts, which are computed from the memberships
    recorded here: a project may state more members than the portal knows by name.
    Sources may disagree, so a project may state several figures of one kind, each
    with its own source and a note on how they differ.
    """

    class Kind(models.TextChoices):
        PARTNERS = "partners", _("Partners")
        ADVISORY_PARTNERS = "advisory_partners", _("Advisory partners")
        REGIONS = "regions", _("Regions")
        COUNTRIES = "countries", _("Countries")
        POLICY_INSTRUMENTS = "policy_instruments", _("Policy instruments")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="stated_figures",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    value = models.PositiveIntegerField(_("value"))
    source_title = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("The document or page in which the project states this figure."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("For example, how this figure differs from another source's."),
    )

    class Meta:
        verbose_name = _("stated figure")
        verbose_name_plural = _("stated figures")
        ordering = ["project", "kind", "value", "pk"]

    def __str__(self) -> str:
        return f"{self.value} {self.get_kind_display()}"


class Contact(models.Model):
    """A person to contact at a partner, as a source names them."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("partner"),
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(
        _("function"),
        max_length=200,
        blank=True,
        help_text=_("What the person does, for example project coordination."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("project"),
        help_text=_("The project this person is the contact for, if any."),
    )
    project_period = models.BooleanField(
        _("contact for the project period"),
        default=False,
        help_text=_(
            "Named for the project's duration: the person may no longer be "
            "reachable there."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["partner", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project_period=False) | Q(project__isnull=False),
                name="regions_contact_period_needs_project",
                violation_error_message=_(
                    "A contact for the project period needs its project."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


@searchable(("title", "A"), ("summary", "B"))
class Publication(TranslationProvenance):
    """An output of a project: a report, a handbook, a policy paper…"""

    class Kind(models.TextChoices):
        THEMATIC_REPORT = "thematic_report", _("Thematic report")
        HANDBOOK = "handbook", _("Handbook")
        POLICY_PAPER = "policy_paper", _("Policy paper")
        GUIDELINE = "guideline", _("Guideline")
        TOOLKIT = "toolkit", _("Toolkit")
        DATABASE = "database", _("Database")
        PAPER = "paper", _("Research paper")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("project"),
        help_text=_(
            "The project the publication comes from; empty for a study on mining "
            "regions that no project of the network published."
        ),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=global_settings.LANGUAGES, blank=True
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to="publications/",
        blank=True,
        validators=[validate_new_document],
        help_text=_(
            "A PDF, or an office document (ODT, ODS, ODP, DOCX, XLSX, PPTX) "
            "without macros."
        ),
    )
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    links = GenericRelation("core.Link", verbose_name=_("links"))

    objects = SearchQuerySet.as_manager()
    # The list's alphabetical order, by an index per language (core.collation).
    reader_order_index = (("title", None),)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "slug"]
        # "Newest first", the list's default, reads a page of this index.
        indexes = [models.Index(F("year").desc(), "slug", name="publication_newest")]
        constraints = [year_not_in_future("year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("regions:publication-detail", kwargs={"slug": self.slug})


class RegionImage(RecordImage):
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("region"),
    )

    record_field = "region"

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["region", "order", "pk"]


class PartnerImage(RecordImage):
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("partner"),
    )

    record_field = "partner"

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["partner", "order", "pk"]
