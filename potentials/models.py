"""The potentials database: what mining left behind, and what it can become."""

from __future__ import annotations

from typing import Self
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Case, F, OrderBy, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.db import Located, coordinate_constraints, location_index
from core.generation import kept
from core.images import RecordImage
from core.languages import named_by
from core.models import TranslationProvenance
from editorial.models import Publishable, PublishableQuerySet
from regions.models import DevelopmentGoal, LegacyType, Partner, Project, Region
from search.fields import searchable


def potentials_url(**filters: str) -> str:
    """The potentials list with the given filters applied."""
    return f"{reverse('potentials:potential-list')}?{urlencode(filters)}"


class Theme(models.Model):
    """One of the three work groups: natural, cultural, integrative."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The potentials list, filtered to this theme."""
        return potentials_url(theme=self.slug)


class Category(models.Model):
    """A kind of use within a theme: biomass, geothermal energy, tourist routes…"""

    class Icon(models.TextChoices):
        """Icons of the Lucide set (the `lucide` package): a record of the
        category without a picture shows its category's icon."""

        SPROUT = "sprout", _("Sprout")
        FLAME = "flame", _("Flame")
        WIND = "wind", _("Wind")
        SUN = "sun", _("Sun")
        DROPLETS = "droplets", _("Droplets")
        LAND_PLOT = "land-plot", _("Plot of land")
        PICKAXE = "pickaxe", _("Pickaxe")
        LIGHTBULB = "lightbulb", _("Light bulb")
        ROUTE = "route", _("Route")
        DRAMA = "drama", _("Theatre masks")
        DRAFTING_COMPASS = "drafting-compass", _("Drafting compass")
        TROPHY = "trophy", _("Trophy")
        FACTORY = "factory", _("Factory")
        LANDMARK = "landmark", _("Landmark")
        MOUNTAIN = "mountain", _("Mountain")
        TREE = "tree-pine", _("Tree")

    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("theme"),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    icon = models.CharField(
        _("icon"),
        max_length=30,
        choices=Icon.choices,
        default=Icon.PICKAXE,
        help_text=_("Shown for a record of this category that has no picture."),
    )
    goals = models.ManyToManyField(
        DevelopmentGoal,
        blank=True,
        related_name="categories",
        verbose_name=_("serves development goals"),
        help_text=_(
            "The development goals that uses of this category serve: a region "
            "with one of these goals is pointed to potentials and practices of "
            "this category."
        ),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["theme__order", "order", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The potentials list, filtered to this category."""
        return potentials_url(category=self.slug)


def themes_with_categories() -> list[Theme]:
    """The themes in their order, each with its categories: the vocabulary the
    home page and the utilisation matrix show whole, kept per content version
    (core.generation) rather than read with two queries a request."""
    return kept(
        "themes-with-categories",
        lambda: list(Theme.objects.prefetch_related("categories")),
    )


class PotentialStage(models.TextChoices):
    """A potential's development stage (`Potential.Stage`), from the first to the
    most advanced."""

    IDENTIFIED = "identified", _("Identified")
    STUDIED = "studied", _("Studied")
    FEASIBILITY_PROVEN = "feasibility_proven", _("Feasibility proven")
    PILOTED = "piloted", _("Piloted")
    IMPLEMENTED = "implemented", _("Implemented")


def stage_rank() -> Case:
    """0 for identified up to 4 for implemented: the list's "most advanced first"
    order, and the expression of the index that serves it."""
    return Case(
        *(
            When(stage=stage, then=Value(rank))
            for rank, stage in enumerate(PotentialStage.values)
        ),
        default=Value(0),
        output_field=models.IntegerField(),
    )


class PotentialQuerySet(PublishableQuerySet):
    def with_stage_rank(self) -> Self:
        """Annotate `stage_rank` (see `stage_rank()`)."""
        return self.annotate(stage_rank=stage_rank())


@searchable(
    ("title", "A"),
    ("summary", "B"),
    ("description", "C"),
    ("utilisation_options", "C"),
)
class Potential(TranslationProvenance, Publishable, Located):
    """A concrete potential left by mining, and the uses it can be put to."""

    Stage = PotentialStage

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="potentials",
        verbose_name=_("region"),
        help_text=_(
            "Leave empty for a potential that applies across a project's regions "
            "rather than at one place."
        ),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="potentials",
        verbose_name=_("category"),
    )
    legacy_types = models.ManyToManyField(
        LegacyType,
        related_name="potentials",
        verbose_name=_("legacy types"),
        help_text=_("What mining left behind that this potential uses."),
    )
    summary = models.TextField(_("summary"))
    description = models.TextField(_("description"), blank=True)
    utilisation_options = models.TextField(_("utilisation options"), blank=True)
    stage = models.CharField(
        _("development stage"),
        max_length=30,
        choices=Stage.choices,
        default=Stage.IDENTIFIED,
    )
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    capacity_mw = models.DecimalField(
        _("capacity (MW)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    visitors_per_year = models.PositiveIntegerField(
        _("visitors a year"), null=True, blank=True
    )
    actors = models.ManyToManyField(
        Partner,
        through="PotentialActor",
        related_name="potentials",
        verbose_name=_("actors"),
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="potentials", verbose_name=_("projects")
    )
    links = GenericRelation("core.Link", verbose_name=_("sources and links"))
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "The language the potential was first written in: its title and "
            "summary are required in it, and readers of a language it has no "
            "text in see that text after the English one."
        ),
    )

    objects = PotentialQuerySet.as_manager()
    # The list's alphabetical order, by an index per language (core.collation).
    reader_order_index = (("title", Q(status="published")),)

    class Meta:
        verbose_name = _("potential")
        verbose_name_plural = _("potentials")
        ordering = ["slug"]
        indexes = [
            location_index(),
            # "Regions like mine" (regions.similarity) counts, for every region,
            # the categories of its published potentials: read from this index
            # alone, never from the wide rows.
            models.Index(
                fields=["region", "category"],
                condition=Q(status="published"),
                name="potential_pub_region_category",
            ),
            # A filtered list counts its matches (by category or theme, region,
            # stage, and keys from the link tables) from this index alone, not
            # from the wide rows, which at 100,000 records are 250 MB. Apart from
            # the one above, which it would make wider for what that one serves.
            models.Index(
                fields=["category"],
                include=["region", "id", "stage"],
                condition=Q(status="published"),
                name="potential_pub_counted",
            ),
            # "Newest first" reads a page of this index, not every published row.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                condition=Q(status="published"),
                name="potential_pub_newest",
            ),
            # "Most advanced first" likewise: the very expression it orders by.
            models.Index(
                OrderBy(stage_rank(), descending=True),
                F("slug"),
                condition=Q(status="published"),
                name="potential_pub_stage",
            ),
        ]
        constraints = [
            *coordinate_constraints(),
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gt=0),
                name="potentials_potential_area_positive",
                violation_error_message=_("The area must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(capacity_mw__isnull=True) | Q(capacity_mw__gt=0),
                name="potentials_potential_capacity_positive",
                violation_error_message=_("The capacity must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def card_fields(cls) -> list[str]:
        """What a potential's card shows (includes/result_card.html and its
        details line), for `only()`: not its long texts in every language, which
        make a page of cards read whole cost half as much again."""
        return named_by(
            cls,
            "title",
            "summary",
            "stage",
            region=("name",),
            category=("name", "icon"),
        )

    def get_absolute_url(self) -> str:
        return reverse("potentials:potential-detail", kwargs={"slug": self.slug})

    @property
    def icon_name(self) -> str:
        """The icon shown in place of a picture: the category's."""
        return self.category.icon


class PotentialActor(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        OPERATOR = "operator", _("Operator")
        PLANNER = "planner", _("Planner")
        FUNDER = "funder", _("Funder")
        RESEARCHER = "researcher", _("Researcher")
        PROMOTER = "promoter", _("Promoter")

    potential = models.ForeignKey(
        Potential,
        on_delete=models.CASCADE,
        related_name="actor_roles",
        verbose_name=_("potential"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="potential_roles",
        verbose_name=_("partner"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["potential", "role", "partner__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["potential", "partner", "role"],
                name="potentials_actor_unique_role",
                violation_error_message=_(
                    "This partner already has this role in the potential."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.get_role_display()})"


class PotentialImage(RecordImage):
    potential = models.ForeignKey(
        Potential,
        on_delete=models.CASCADE,
        related_name="images",
        verbose_name=_("potential"),
    )

    record_field = "potential"

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["potential", "order", "pk"]
