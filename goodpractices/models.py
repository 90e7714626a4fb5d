"""Good-practice cases, in the format of Interreg Europe's good practices."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.db import (
    Located,
    coordinate_constraints,
    end_not_before_start,
    location_index,
)
from core.images import RecordImage
from core.languages import named_by
from core.models import TranslationProvenance
from editorial.models import Publishable, PublishableQuerySet
from potentials.models import Category, Potential, Theme
from regions.models import (
    LegacyType,
    Partner,
    PolicyInstrument,
    Project,
    Region,
    Sector,
)
from search.fields import searchable


class GoodPracticeQuerySet(PublishableQuerySet):
    def validated(self) -> Self:
        """Practices the network has validated."""
        return self.filter(validated_on__isnull=False)

    def not_validated(self) -> Self:
        return self.filter(validated_on__isnull=True)


@searchable(
    ("title", "A"),
    ("summary", "B"),
    ("description", "C"),
    ("resources_needed", "C"),
    ("evidence_of_success", "C"),
    ("difficulties_encountered", "C"),
    ("potential_for_learning", "C"),
    ("success_factors", "C"),
    ("limiting_factors", "C"),
)
class GoodPractice(TranslationProvenance, Publishable, Located):
    class Kind(models.TextChoices):
        PILOT_PROJECT = "pilot_project", _("Pilot project")
        PRE_INVESTMENT_STUDY = "pre_investment_study", _("Pre-investment study")
        COMPETITION = "competition", _("Competition")
        SUMMER_SCHOOL = "summer_school", _("Summer school")
        SEMINAR = "seminar", _("Seminar")
        COOPERATION_MODEL = "cooperation_model", _("Cooperation model")
        POLICY = "policy", _("Policy or strategy")
        MASTERPLAN = "masterplan", _("Masterplan")

    class PracticeStatus(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    class EvidenceLevel(models.TextChoices):
        """How far the results are known, from a claim to an outside evaluation."""

        REPORTED = "reported", _("Reported")
        MONITORED = "monitored", _("Monitored")
        EVALUATED = "evaluated", _("Independently evaluated")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    summary = models.TextField(_("summary"))
    description = models.TextField(_("description"), blank=True)
    resources_needed = models.TextField(_("resources needed"), blank=True)
    evidence_of_success = models.TextField(_("evidence of success"), blank=True)
    difficulties_encountered = models.TextField(
        _("difficulties encountered"), blank=True
    )
    potential_for_learning = models.TextField(
        _("potential for learning or transfer"), blank=True
    )
    main_institution = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="main_good_practices",
        verbose_name=_("main institution"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("region"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    practice_status = models.CharField(
        _("implementation"),
        max_length=20,
        choices=PracticeStatus.choices,
        blank=True,
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="good_practices", verbose_name=_("themes")
    )
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="good_practices",
        verbose_name=_("categories"),
    )
    legacy_types = models.ManyToManyField(
        LegacyType,
        blank=True,
        related_name="good_practices",
        verbose_name=_("mining legacy used"),
        help_text=_("What mining left behind that the practice put to use."),
    )
    potentials = models.ManyToManyField(
        Potential,
        blank=True,
        related_name="good_practices",
        verbose_name=_("related potentials"),
    )
    projects = models.ManyToManyField(
        Project,
        blank=True,
        related_name="good_practices",
        verbose_name=_("related projects"),
    )
    policy_instruments = models.ManyToManyField(
        PolicyInstrument,
        blank=True,
        related_name="good_practices",
        verbose_name=_("policy instruments improved"),
    )
    links = GenericRelation("core.Link", verbose_name=_("links"))
    # Structured evidence, as Climate-ADAPT's case studies and WOCAT's QCAT record it.
    cost_min = models.DecimalField(
        _("cost from"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cost_max = models.DecimalField(
        _("cost up to"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cost_currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        help_text=_("The ISO 4217 code of the costs' currency, for example EUR."),
    )
    funding_sources = models.TextField(_("funding sources"), blank=True)
    implementation_months = models.PositiveSmallIntegerField(
        _("implementation time (months)"), null=True, blank=True
    )
    lifetime_years = models.PositiveSmallIntegerField(
        _("lifetime (years)"), null=True, blank=True
    )
    success_factors = models.TextField(_("success factors"), blank=True)
    limiting_factors = models.TextField(_("limiting factors"), blank=True)
    preconditions = models.TextField(_("legal or policy preconditions"), blank=True)
    evidence_level = models.CharField(
        _("level of evidence"),
        max_length=20,
        choices=EvidenceLevel.choices,
        blank=True,
    )
    transferable_region_kinds = ArrayField(
        models.CharField(max_length=20, choices=Region.Kind.choices),
        blank=True,
        default=list,
        verbose_name=_("transfers to kinds of region"),
    )
    transferable_legacy_types = models.ManyToManyField(
        LegacyType,
        blank=True,
        related_name="transferable_good_practices",
        verbose_name=_("transfers to mining legacy"),
    )
    # The network's validation: a moderator's dated, signed opinion.
    validated_on = models.DateField(_("validated on"), null=True, blank=True)
    validation_opinion = models.TextField(_("validation opinion"), blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    validation_signature = models.CharField(
        _("signed"),
        max_length=200,
        blank=True,
        help_text=_("The name and function the opinion is signed with."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    proposer_name = models.CharField(_("proposed by"), max_length=200, blank=True)
    proposer_email = models.EmailField(_("proposer's e-mail"), blank=True)
    proposer_organisation = models.CharField(
        _("proposer's organisation"),
        max_length=250,
        blank=True,
        help_text=_(
            "For a case proposed from outside the network: the organisation behind "
            "it as the proposer wrote it. Moderators choose or create the matching "
            "partner as main institution before publishing."
        ),
    )
    country = CountryField(
        _("country"),
        blank=True,
        help_text=_(
            "Where the practice took place, for a case proposed from outside the "
            "network: the proposer may name a country whose region is not on the "
            "portal."
        ),
    )
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the case was first written in."),
    )

    objects = GoodPracticeQuerySet.as_manager()
    # The list's alphabetical order, by an index per language (core.collation).
    reader_order_index = (("title", Q(status="published")),)

    moderated_fields = ("validated_on", "validation_opinion", "validation_signature")

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["slug"]
        indexes = [
            location_index(),
            # "Newest first" reads a page of this index, not every published row.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                condition=Q(status="published"),
                name="goodpractice_pub_newest",
            ),
            # A filtered list counts its matches (by region, kind, status, and
            # keys from the link tables) from this index alone, not the wide rows.
            models.Index(
                fields=["region", "kind", "practice_status"],
                include=["id"],
                condition=Q(status="published"),
                name="goodpractice_pub_filters",
            ),
            # A partner's page lists the latest of its published practices.
            models.Index(
                F("main_institution"),
                F("id").desc(),
                condition=Q(status="published"),
                name="goodpractice_pub_institution",
            ),
        ]
        constraints = [
            *coordinate_constraints(),
            end_not_before_start("start_date", "end_date"),
            models.CheckConstraint(
                condition=Q(cost_min__isnull=True)
                | Q(cost_max__isnull=True)
                | Q(cost_max__gte=F("cost_min")),
                name="goodpractices_cost_range_order",
                violation_error_message=_(
                    "The upper cost cannot be below the lower one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(cost_min__isnull=True, cost_max__isnull=True)
                | ~Q(cost_currency=""),
                name="goodpractices_cost_has_currency",
                violation_error_message=_("Costs need their currency."),
            ),
            models.CheckConstraint(
                condition=Q(validated_on__isnull=True) | ~Q(validation_signature=""),
                name="goodpractices_validation_signed",
                violation_error_message=_(
                    "A validation needs the signature of whoever gives it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def card_fields(cls) -> list[str]:
        """What a good practice's card shows (includes/result_card.html and its
        details line), for `only()`: not its long texts in every language."""
        return named_by(
            cls,
            "title",
            "summary",
            "kind",
            "validated_on",
            region=("name",),
            main_institution=("name",),
        )

    def get_absolute_url(self) -> str:
        return reverse("goodpractices:goodpractice-detail", kwargs={"slug": self.slug})

    @property
    def icon_name(self) -> str:
        """The icon shown in place of a picture: its first category's (read from
        the prefetched categories, as a list page has them)."""
        category = next(iter(self.categories.all()), None)
        return category.icon if category else Category.Icon.LIGHTBULB

    @property
    def is_validated(self) -> bool:
        return self.validated_on is not None

    def moderated_by(self, user) -> None:
        """The validation names the moderator who gave it, until it is withdrawn."""
        self.validated_by = user if self.validated_on else None

    def transferable_region_kind_labels(self) -> list[str]:
        labels = dict(Region.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.transferable_region_kinds]

    def stakeholders_by_sector(self) -> list[tuple[str, list[Stakeholder]]]:
        """The stakeholders grouped by sector, in the sectors' order (reads the
        prefetched stakeholders where there are some)."""
        groups: dict[str, list[Stakeholder]] = {}
        for stakeholder in self.stakeholders.all():
            groups.setdefault(stakeholder.sector, []).append(stakeholder)
        return [
            (label, groups[sector])
            for sector, label in Sector.choices
            if sector in groups
        ]


class Stakeholder(models.Model):
    """Who took part in a practice, by the sector of the actor network."""

    good_practice = models.ForeignKey(
        GoodPractice,
        on_delete=models.CASCADE,
        related_name="stakeholders",
        verbose_name=_("good practice"),
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practice_stakeholder_roles",
        verbose_name=_("organisation in the network"),
    )
    description = models.CharField(
        _("who and what they did"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["good_practice", "sector", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(description=""),
                name="goodpractices_stakeholder_named",
                violation_error_message=_(
                    "Choose an organisation of the network or describe the stakeholder."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.partner or self.description)


class GoodPracticeImage(RecordImage):
    good_practice = models.ForeignKey(
        GoodPractice,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("good practice"),
    )

    record_field = "good_practice"

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["good_practice", "order", "pk"]
