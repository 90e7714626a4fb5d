"""“Regions like mine”: which regions share the most with a region, and why.

A region's *profile* is what it can share with another: the kinds of mining legacy
in it, what was mined, its development goals, the categories of its published
potentials, when mining ended (the decade; or that it still goes on), its size
class and its country. Two regions are as similar as the weighted sum of what
they share (`WEIGHTS`, the one place the weights live): one term per shared value
of a set (each shared legacy type, commodity, goal, category) and one per shared
single trait. The sum only grows with what is shared, so a region that comes to
share one more trait never ranks lower.

The database does the ranking in one statement: a subquery count per trait for
each candidate region, ordered and limited, and the values shared, which it reads
for the best few alone (after the sort and the limit); so a ranking costs the same
number of queries, and reads as many rows, at 300 regions or 30,000. The
candidates are a bounded set: for each value of the profile (each legacy type,
commodity, goal and category, the country, the mining period, the size class) at
most `CANDIDATES_PER_TRAIT` regions that share it, read from an index where one
serves. It is an approximation: where more regions share a value, only the first
that many are ranked; a region found through any value is scored with every
trait it shares, so a region similar in several traits still ranks first among
the candidates. Each result carries its reasons, exactly the
shared traits as data (`Reason`), and what to learn there: that region's
published potentials and good practices in the categories serving the asker's
goals (good practices also where they used or transfer to the asker's legacy
types). Drafts never count and never show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from core.db import related_records
from editorial.models import Status
from regions.models import Commodity, DevelopmentGoal, LegacyType, Region, RegionLegacy


@dataclass(frozen=True)
class Weights:
    """What each shared trait adds to a similarity: per shared value for the sets
    (legacy types, commodities, goals, categories), once for the single traits."""

    legacy_type: int = 3
    goal: int = 3
    commodity: int = 2
    mining_period: int = 2
    category: int = 1
    size_class: int = 1
    country: int = 1


WEIGHTS = Weights()


def weights_explained() -> list[tuple[Promise, int]]:
    """What counts how much, in words, for the page that explains the ranking."""
    return [
        (_("each kind of mining legacy both have"), WEIGHTS.legacy_type),
        (_("each development goal both pursue"), WEIGHTS.goal),
        (_("each commodity mined in both"), WEIGHTS.commodity),
        (
            _("mining ended in the same decade, or still goes on in both"),
            WEIGHTS.mining_period,
        ),
        (
            _("each category of published potentials both have (recorded regions)"),
            WEIGHTS.category,
        ),
        (
            _("the same size class by population (recorded regions)"),
            WEIGHTS.size_class,
        ),
        (_("the same country"), WEIGHTS.country),
    ]


#: Regions on a region's page; the match page and the API may ask for more.
SIMILAR_ON_PAGE = 5
MATCH_RESULTS = 10
MAX_RESULTS = 20
#: Potentials and good practices suggested per similar region.
LEARN_PER_REGION = 3
#: How many regions sharing one value of a profile are ranked at most: the bound
#: on what a ranking reads, whatever the number of regions.
CANDIDATES_PER_TRAIT = 100

STILL_MINING = (Region.MiningStatus.ACTIVE, Region.MiningStatus.DECLINING)
ACTIVE = "active"


class Trait(models.TextChoices):
    """What two regions can share; the label introduces the shared values."""

    LEGACY_TYPES = "legacy_types", _("Mining legacy in both")
    COMMODITIES = "commodities", _("Mined in both")
    GOALS = "goals", _("Goals in common")
    CATEGORIES = "categories", _("Potentials of the same kinds")
    MINING_PERIOD = "mining_period", _("Mining ended in the same decade")
    SIZE_CLASS = "size_class", _("Same size")
    COUNTRY = "country", _("Same country")


@dataclass(frozen=True)
class SizeClass:
    slug: str
    low: int
    high: int | None
    name: Promise

    def holds(self, population: int) -> bool:
        return population >= self.low and (self.high is None or population < self.high)

    def condition(self) -> Q:
        condition = Q(population__gte=self.low)
        if self.high is not None:
            condition &= Q(population__lt=self.high)
        return condition


SIZE_CLASSES = (
    SizeClass("under-50k", 0, 50_000, _("fewer than 50,000 inhabitants")),
    SizeClass("50k-500k", 50_000, 500_000, _("50,000 to 500,000 inhabitants")),
    SizeClass("500k-2m", 500_000, 2_000_000, _("500,000 to 2 million inhabitants")),
    SizeClass("over-2m", 2_000_000, None, _("2 million inhabitants or more")),
)


def size_class_of(population: int | None) -> SizeClass | None:
    if population is None:
        return None
    return next(size for size in SIZE_CLASSES if size.holds(population))


def mining_period_of(status: str, ended_year: int | None) -> str | None:
    """ "active" while mining goes on, the decade's first year once it ended (as
    text), else None: a region that says neither shares no period."""
    if status in STILL_MINING:
        return ACTIVE
    if ended_year:
        return str(ended_year // 10 * 10)
    return None


@dataclass(frozen=True)
class TraitValue:
    """A shared value that is no record: a decade, a size class, a country."""

    slug: str
    name: Any


@dataclass(frozen=True)
class Reason:
    """One shared trait and the values shared in it (records or `TraitValue`s)."""

    trait: Trait
    values: tuple[Any, ...]

    @property
    def label(self) -> Any:
        if self.trait == Trait.MINING_PERIOD and self.values[0].slug == ACTIVE:
            return _("Mining still goes on in both")
        return self.trait.label

    @property
    def shows_values(self) -> bool:
        return not (self.trait == Trait.MINING_PERIOD and self.values[0].slug == ACTIVE)

    @property
    def text(self) -> str:
        """The reason as one line of text, in the active language."""
        if not self.shows_values:
            return str(self.label)
        return _("%(trait)s: %(values)s") % {
            "trait": self.label,
            "values": ", ".join(str(value.name) for value in self.values),
        }


@dataclass(frozen=True)
class Profile:
    """What a region (or a description of one) can share with other regions."""

    country: str = ""
    legacy_types: tuple[LegacyType, ...] = ()
    commodities: tuple[Commodity, ...] = ()
    goals: tuple[DevelopmentGoal, ...] = ()
    #: The categories of its published potentials (records of potentials.Category).
    categories: tuple[models.Model, ...] = ()
    mining_period: str | None = None
    size_class: SizeClass | None = None
    #: The categories whose potentials and good practices it should learn from.
    learn_category_ids: tuple[int, ...] = ()
    #: The region described, left out of its own matches.
    region_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.country
            or self.legacy_types
            or self.commodities
            or self.goals
            or self.categories
            or self.mining_period
            or self.size_class
        )


@dataclass
class SimilarRegion:
    region: Region
    score: int
    reasons: list[Reason]
    potentials: list = field(default_factory=list)
    good_practices: list = field(default_factory=list)


def _category_model() -> type[models.Model]:
    return related_records(DevelopmentGoal, "categories").model


def _potentials():
    return related_records(Region, "potentials")


def _good_practices():
    return related_records(Region, "good_practices")


# --- Profiles ---------------------------------------------------------------------


def profile_prefetches() -> tuple:
    """What `region_profile()` reads of a region: for the caller's queryset's
    `prefetch_related()`, so that the page or the API reads it once."""
    return (
        models.Prefetch("legacies", RegionLegacy.objects.select_related("legacy_type")),
        "commodities",
        "goals",
    )


def region_profile(region: Region) -> Profile:
    """The profile of a recorded region: one query (the categories of its
    potentials and those serving its goals), plus three for its traits unless the
    caller prefetched them (`profile_prefetches()`)."""
    models.prefetch_related_objects([region], *profile_prefetches())
    goals = tuple(region.goals.all())
    goal_ids = [goal.pk for goal in goals]
    categories = list(
        _category_model()
        .objects.annotate(
            pursued=Exists(
                _potentials().filter(
                    region=region, status=Status.PUBLISHED, category=OuterRef("pk")
                )
            ),
            serves_goals=Exists(
                _category_model().goals.through.objects.filter(
                    category_id=OuterRef("pk"), developmentgoal_id__in=goal_ids
                )
            ),
        )
        .filter(Q(pursued=True) | Q(serves_goals=True))
    )
    pursued = tuple(category for category in categories if category.pursued)
    serving = [category.pk for category in categories if category.serves_goals]
    return Profile(
        country=str(region.country),
        legacy_types=tuple(legacy.legacy_type for legacy in region.legacies.all()),
        commodities=tuple(region.commodities.all()),
        goals=goals,
        categories=pursued,
        mining_period=mining_period_of(region.mining_status, region.mining_ended_year),
        size_class=size_class_of(region.population),
        # Without goals, a region learns from the kinds of use it pursues.
        learn_category_ids=tuple(serving or (c.pk for c in pursued)),
        region_id=region.pk,
    )


def described_profile(
    *,
    country: str = "",
    legacy_types: Iterable[LegacyType] = (),
    commodities: Iterable[Commodity] = (),
    goals: Iterable[DevelopmentGoal] = (),
    mining_ended: int | None = None,
    mining_active: bool = False,
) -> Profile:
    """The profile of a region someone describes (the match form); one query for
    the categories serving the goals, if any are given."""
    goals = tuple(goals)
    serving = ()
    if goals:
        serving = tuple(
            _category_model()
            .objects.filter(goals__in=goals)
            .values_list("pk", flat=True)
            .distinct()
        )
    if mining_active:
        period = ACTIVE
    else:
        period = mining_period_of(Region.MiningStatus.ENDED, mining_ended)
    return Profile(
        country=country or "",
        legacy_types=tuple(legacy_types),
        commodities=tuple(commodities),
        goals=goals,
        mining_period=period,
        learn_category_ids=serving,
    )


# --- Ranking ----------------------------------------------------------------------


class _Count(Subquery):
    """The number of rows (or of distinct values of `column`) of a subquery.

    `COUNT(*)` rather than a column's count: the database can then answer from
    an index alone (the through tables' unique pairs, the potentials' published
    region and category).
    """

    output_field = IntegerField()

    def __init__(self, queryset: models.QuerySet, column: str | None = None):
        if column:
            counted = Func(
                F(column),
                template="COUNT(DISTINCT %(expressions)s)",
                output_field=IntegerField(),
            )
        else:
            counted = Func(template="COUNT(*)", output_field=IntegerField())
        # No GROUP BY: one row, 0 when nothing matches.
        super().__init__(queryset.order_by().annotate(n=counted).values("n"))


def _ids(records: Iterable[models.Model]) -> list[int]:
    return [record.pk for record in records]


def _set_terms(profile: Profile) -> dict[Trait, tuple[int, Any, Any]]:
    """Per set trait: its weight, the subquery counting what a region shares of
    it, and the subquery listing the shared ids (for the best few)."""
    terms = {}
    if profile.legacy_types:
        shared = RegionLegacy.objects.filter(
            region_id=OuterRef("pk"), legacy_type_id__in=_ids(profile.legacy_types)
        )
        terms[Trait.LEGACY_TYPES] = (
            WEIGHTS.legacy_type,
            _Count(shared),
            shared.order_by().values("legacy_type_id"),
        )
    if profile.commodities:
        shared = Region.commodities.through.objects.filter(
            region_id=OuterRef("pk"), commodity_id__in=_ids(profile.commodities)
        )
        terms[Trait.COMMODITIES] = (
            WEIGHTS.commodity,
            _Count(shared),
            shared.order_by().values("commodity_id"),
        )
    if profile.goals:
        shared = Region.goals.through.objects.filter(
            region_id=OuterRef("pk"), developmentgoal_id__in=_ids(profile.goals)
        )
        terms[Trait.GOALS] = (
            WEIGHTS.goal,
            _Count(shared),
            shared.order_by().values("developmentgoal_id"),
        )
    if profile.categories:
        shared = _potentials().filter(
            region_id=OuterRef("pk"),
            status=Status.PUBLISHED,
            category_id__in=_ids(profile.categories),
        )
        terms[Trait.CATEGORIES] = (
            WEIGHTS.category,
            _Count(shared, "category_id"),
            shared.order_by().values("category_id").distinct(),
        )
    return terms


def _single_terms(profile: Profile) -> dict[Trait, tuple[int, Q]]:
    """Per single trait: its weight and the condition a region shares it on."""
    terms = {}
    if profile.mining_period == ACTIVE:
        terms[Trait.MINING_PERIOD] = (
            WEIGHTS.mining_period,
            Q(mining_status__in=STILL_MINING),
        )
    elif profile.mining_period:
        decade = int(profile.mining_period)
        terms[Trait.MINING_PERIOD] = (
            WEIGHTS.mining_period,
            Q(mining_ended_year__gte=decade, mining_ended_year__lt=decade + 10),
        )
    if profile.size_class:
        terms[Trait.SIZE_CLASS] = (WEIGHTS.size_class, profile.size_class.condition())
    if profile.country:
        terms[Trait.COUNTRY] = (WEIGHTS.country, Q(country=profile.country))
    return terms


def _candidates(profile: Profile) -> models.QuerySet:
    """The ids of the regions ranked: at most `CANDIDATES_PER_TRAIT` per value
    of the profile, each branch a limited scan (unordered: the first an index
    yields)."""
    per_value = [
        *(
            RegionLegacy.objects.filter(legacy_type_id=pk).values("region_id")
            for pk in _ids(profile.legacy_types)
        ),
        *(
            Region.commodities.through.objects.filter(commodity_id=pk).values(
                "region_id"
            )
            for pk in _ids(profile.commodities)
        ),
        *(
            Region.goals.through.objects.filter(developmentgoal_id=pk).values(
                "region_id"
            )
            for pk in _ids(profile.goals)
        ),
        *(
            _potentials()
            .filter(status=Status.PUBLISHED, category_id=pk)
            .values("region_id")
            for pk in _ids(profile.categories)
        ),
        *(
            Region.objects.filter(condition).values("pk")
            for _weight, condition in _single_terms(profile).values()
        ),
    ]
    first, *others = (branch.order_by()[:CANDIDATES_PER_TRAIT] for branch in per_value)
    return first.union(*others) if others else first


def similar_regions(profile: Profile, *, limit: int = SIMILAR_ON_PAGE) -> list:
    """The regions most like `profile`, best first, each with its reasons and
    what to learn there. Three queries, whatever the number of regions: the
    ranking with what the best share, and what to learn there (two)."""
    set_terms = _set_terms(profile)
    single_terms = _single_terms(profile)
    if not (set_terms or single_terms):
        return []
    score = sum(
        (Value(weight) * count for weight, count, _shared in set_terms.values()),
        Value(0),
    ) + sum(
        (
            Case(When(condition, then=Value(weight)), default=Value(0))
            for weight, condition in single_terms.values()
        ),
        Value(0),
    )
    regions = (
        Region.objects.filter(pk__in=_candidates(profile))
        .only(*REGION_FIELDS)
        .annotate(
            score=score,
            # The values shared, for the best few only: PostgreSQL computes these
            # subqueries of the select list after the sort and the limit.
            **{
                f"shared_{trait.value}": ArraySubquery(shared)
                for trait, (_weight, _count, shared) in set_terms.items()
            },
        )
        .order_by("-score", "slug")
    )
    if profile.region_id:
        regions = regions.exclude(pk=profile.region_id)
    # A region that shares nothing scores 0: left out here rather than in SQL,
    # where the condition would count everything once more.
    results = [
        SimilarRegion(
            region=region, score=region.score, reasons=_reasons(profile, region)
        )
        for region in regions[: max(1, limit)]
        if region.score > 0
    ]
    if results:
        _add_what_to_learn(profile, results)
    return results


# What a result shows of a region: its name, place and the traits compared.
REGION_FIELDS = (
    "slug",
    "name",
    "country",
    "kind",
    "mining_status",
    "mining_ended_year",
    "population",
    "latitude",
    "longitude",
)


def _reasons(profile: Profile, region: Region) -> list[Reason]:
    """Exactly the traits `region` shares with `profile`, in the order of Trait."""
    values: dict[Trait, tuple] = {}
    for trait, records in (
        (Trait.LEGACY_TYPES, profile.legacy_types),
        (Trait.COMMODITIES, profile.commodities),
        (Trait.GOALS, profile.goals),
        (Trait.CATEGORIES, profile.categories),
    ):
        ids = set(getattr(region, f"shared_{trait.value}", None) or ())
        values[trait] = tuple(record for record in records if record.pk in ids)
    period = mining_period_of(region.mining_status, region.mining_ended_year)
    if profile.mining_period and period == profile.mining_period:
        values[Trait.MINING_PERIOD] = (_period_value(period),)
    if profile.size_class and size_class_of(region.population) == profile.size_class:
        size = profile.size_class
        values[Trait.SIZE_CLASS] = (TraitValue(size.slug, size.name),)
    if profile.country and str(region.country) == profile.country:
        values[Trait.COUNTRY] = (
            TraitValue(profile.country, countries.name(profile.country)),
        )
    return [Reason(trait, values[trait]) for trait in Trait if values.get(trait)]


def _period_value(period: str) -> TraitValue:
    if period == ACTIVE:
        return TraitValue(ACTIVE, pgettext_lazy("mining", "still going on"))
    decade = int(period)
    return TraitValue(period, f"{decade}–{decade + 9}")


# What a suggestion shows of a potential or a good practice.
LEARN_FIELDS = ("slug", "title", "status", "region", "published_at")


def _add_what_to_learn(profile: Profile, results: list[SimilarRegion]) -> None:
    """A few published potentials and good practices of each region in the
    categories serving the asker's goals (practices also where they used or
    transfer to the asker's legacy types): two queries for all regions."""
    by_region = {result.region.pk: result for result in results}
    region_ids = list(by_region)
    categories = list(profile.learn_category_ids)
    legacy_ids = _ids(profile.legacy_types)

    def first_few(queryset: models.QuerySet) -> models.QuerySet:
        return queryset.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("region_id")],
                order_by=[F("published_at").desc(nulls_last=True), F("slug").asc()],
            )
        ).filter(place__lte=LEARN_PER_REGION)

    if categories:
        potentials = first_few(
            _potentials()
            .published()
            .filter(region_id__in=region_ids, category_id__in=categories)
            .select_related("category")
            .only(*LEARN_FIELDS, "stage", "category__slug", "category__name")
        )
        for potential in potentials.order_by("region_id", "place"):
            by_region[potential.region_id].potentials.append(potential)
    if categories or legacy_ids:
        condition = Q(pk__in=[])
        if categories:
            condition |= Exists(
                _category_model().objects.filter(
                    good_practices=OuterRef("pk"), pk__in=categories
                )
            )
        if legacy_ids:
            for relation in ("good_practices", "transferable_good_practices"):
                condition |= Exists(
                    LegacyType.objects.filter(
                        **{relation: OuterRef("pk")}, pk__in=legacy_ids
                    )
                )
        practices = first_few(
            _good_practices()
            .published()
            .filter(condition, region_id__in=region_ids)
            .only(*LEARN_FIELDS, "kind")
        )
        for practice in practices.order_by("region_id", "place"):
            by_region[practice.region_id].good_practices.append(practice)


def practices_to_learn_from(results: Iterable[SimilarRegion]) -> list:
    """The good practices suggested across the results, each once, best region
    first."""
    seen: dict[int, Any] = {}
    for result in results:
        for practice in result.good_practices:
            seen.setdefault(practice.pk, practice)
    return list(seen.values())
