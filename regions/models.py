"""The network: mining regions, the organisations in them, and their projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from django.conf import global_settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.db import (
    Located,
    coordinate_constraints,
    end_not_before_start,
    year_not_in_future,
)
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


@searchable(("name", "A"), ("summary", "B"), ("description", "C"))
class Region(Located):
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
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    commodities = models.ManyToManyField(
        Commodity, blank=True, related_name="regions", verbose_name=_("commodities")
    )
    mining_status = models.CharField(
        _("mining status"), max_length=20, choices=MiningStatus.choices, blank=True
    )
    mining_ended_year = models.PositiveSmallIntegerField(
        _("year mining ended"), null=True, blank=True
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    links = GenericRelation("core.Link", verbose_name=_("links"))

    objects = SearchQuerySet.as_manager()

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
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:region-detail", kwargs={"slug": self.slug})


@searchable(("name", "A"), ("acronym", "A"), untranslated=["acronym"])
class Partner(models.Model):
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

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:partner-detail", kwargs={"slug": self.slug})


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
class Project(models.Model):
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
    source = models.CharField(
        _("source"),
        max_length=500,
        help_text=_("Where the project states this figure: a document or an address."),
    )

    class Meta:
        verbose_name = _("stated figure")
        verbose_name_plural = _("stated figures")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                name="regions_statedfigure_unique_kind",
                violation_error_message=_("The project already states this figure."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.get_kind_display()}"


@searchable(("title", "A"), ("summary", "B"))
class Publication(models.Model):
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
        related_name="publications",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=global_settings.LANGUAGES, blank=True
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="publications/", blank=True)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    links = GenericRelation("core.Link", verbose_name=_("links"))

    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "slug"]
        constraints = [year_not_in_future("year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("regions:publication-detail", kwargs={"slug": self.slug})
