"""Good-practice cases, in the format of Interreg Europe's good practices."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.db import (
    Located,
    coordinate_constraints,
    end_not_before_start,
    location_index,
)
from editorial.models import Publishable, PublishableQuerySet
from potentials.models import Category, Potential, Theme
from regions.models import Partner, Project, Region
from search.fields import searchable


@searchable(
    ("title", "A"),
    ("summary", "B"),
    ("description", "C"),
    ("resources_needed", "C"),
    ("evidence_of_success", "C"),
    ("difficulties_encountered", "C"),
    ("potential_for_learning", "C"),
)
class GoodPractice(Publishable, Located):
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
    links = GenericRelation("core.Link", verbose_name=_("links"))
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
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the case was first written in."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["slug"]
        indexes = [location_index()]
        constraints = [
            *coordinate_constraints(),
            end_not_before_start("start_date", "end_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goodpractices:goodpractice-detail", kwargs={"slug": self.slug})
