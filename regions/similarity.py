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

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from core.db import related_records
from core.languages import named_by
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


def _ids(records: Iterable[models.Model]) -> list[int]:
    return [record.pk for record in records]


@dataclass(frozen=True)
class _SetTerm:
    """A set trait in the ranking statement: the table of a region's values of
    it, and the parameter holding the profile's values (ids)."""

    trait: Trait
    weight: int
    table: str
    value: str
    #: Extra condition on the table's rows (`t.`): the potentials' status.
    condition: str = ""
    #: Values counted once each (a region has many potentials of a category).
    distinct: bool = False

    def rows(self, region: str) -> str:
        where = f"t.region_id = {region} AND t.{self.value} = ANY(%({self.trait})s)"
        return f"FROM {self.table} AS t WHERE {where}{self.condition}"

    def count(self) -> str:
        counted = f"DISTINCT t.{self.value}" if self.distinct else "*"
        return f"(SELECT count({counted}) {self.rows('r.id')})"

    def shared(self) -> str:
        values = f"DISTINCT t.{self.value}" if self.distinct else f"t.{self.value}"
        return f"ARRAY(SELECT {values} {self.rows('r.id')})"

    def candidates(self) -> str:
        """Per value, the first regions that have it (the first an index yields)."""
        return (
            f"SELECT c.region_id FROM unnest(%({self.trait})s::bigint[]) AS v(id) "
            f"CROSS JOIN LATERAL (SELECT t.region_id FROM {self.table} AS t "
            f"WHERE t.{self.value} = v.id{self.condition} "
            "LIMIT %(per_trait)s) AS c"
        )


def _set_terms(profile: Profile) -> dict[str, Any]:
    """The set traits the profile has, and their parameters: its values' ids."""
    potentials = _potentials().model._meta.db_table
    published = f" AND t.status = '{Status.PUBLISHED}'"
    terms = [
        (
            _SetTerm(
                Trait.LEGACY_TYPES,
                WEIGHTS.legacy_type,
                RegionLegacy._meta.db_table,
                "legacy_type_id",
            ),
            profile.legacy_types,
        ),
        (
            _SetTerm(
                Trait.COMMODITIES,
                WEIGHTS.commodity,
                Region.commodities.through._meta.db_table,
                "commodity_id",
            ),
            profile.commodities,
        ),
        (
            _SetTerm(
                Trait.GOALS,
                WEIGHTS.goal,
                Region.goals.through._meta.db_table,
                "developmentgoal_id",
            ),
            profile.goals,
        ),
        (
            _SetTerm(
                Trait.CATEGORIES,
                WEIGHTS.category,
                potentials,
                "category_id",
                condition=published,
                distinct=True,
            ),
            profile.categories,
        ),
    ]
    return {term: _ids(values) for term, values in terms if values}


def _single_terms(profile: Profile) -> dict[Trait, tuple[int, str, dict]]:
    """Per single trait: its weight, the condition a region `%(table)s` shares it
    on and its parameters."""
    terms = {}
    if profile.mining_period == ACTIVE:
        terms[Trait.MINING_PERIOD] = (
            WEIGHTS.mining_period,
            "{r}.mining_status = ANY(%(still_mining)s)",
            {"still_mining": [str(status) for status in STILL_MINING]},
        )
    elif profile.mining_period:
        terms[Trait.MINING_PERIOD] = (
            WEIGHTS.mining_period,
            "{r}.mining_ended_year >= %(decade)s "
            "AND {r}.mining_ended_year < %(decade)s + 10",
            {"decade": int(profile.mining_period)},
        )
    if profile.size_class:
        size = profile.size_class
        condition = "{r}.population >= %(size_low)s"
        if size.high is not None:
            condition += " AND {r}.population < %(size_high)s"
        terms[Trait.SIZE_CLASS] = (
            WEIGHTS.size_class,
            condition,
            {"size_low": size.low, "size_high": size.high},
        )
    if profile.country:
        terms[Trait.COUNTRY] = (
            WEIGHTS.country,
            "{r}.country = %(country)s",
            {"country": profile.country},
        )
    return terms


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


def _columns(model: type[models.Model], fields: Iterable[str], alias: str) -> str:
    """The columns of `fields` of `model` (a translated one in every language) and
    of what tells a text's language and review, for a statement of our own."""
    named = set(named_by(model, *fields))
    columns = [model._meta.pk.column]
    for field_ in model._meta.concrete_fields:
        translated = getattr(field_, "translated_field", None)
        if field_.name in named or (translated and translated.name in named):
            columns.append(field_.column)
    return ", ".join(f"{alias}.{column}" for column in dict.fromkeys(columns))


def _ranking(
    profile: Profile, set_terms: dict, single_terms: dict, limit: int
) -> tuple[str, dict]:
    """One statement: the candidates (at most `CANDIDATES_PER_TRAIT` per value
    of the profile), each scored by a count per set trait and a condition per
    single trait, the best `limit` (with the highest score, then by slug), each
    with the values it shares of each set trait: PostgreSQL computes those
    arrays of the select list after the sort and the limit, for the best alone.
    Written as SQL, where the ORM spent longer building the statement than the
    database running it."""
    table = Region._meta.db_table
    params: dict[str, Any] = {"per_trait": CANDIDATES_PER_TRAIT, "limit": limit}
    score = ["0"]
    shared = []
    candidates = []
    for term, ids in set_terms.items():
        params[str(term.trait)] = ids
        score.append(f"{term.weight} * {term.count()}")
        shared.append(f"{term.shared()} AS shared_{term.trait}")
        candidates.append(term.candidates())
    for weight, condition, values in single_terms.values():
        params.update(values)
        score.append(f"CASE WHEN {condition.format(r='r')} THEN {weight} ELSE 0 END")
        candidates.append(
            f"SELECT o.id FROM {table} AS o WHERE {condition.format(r='o')} "
            "LIMIT %(per_trait)s"
        )
    others = ""
    if profile.region_id:
        params["region"] = profile.region_id
        others = " AND r.id <> %(region)s"
    found = " UNION ".join(f"({branch})" for branch in candidates)
    return (
        f"SELECT {_columns(Region, REGION_FIELDS, 'r')}, {' + '.join(score)} AS score"
        + "".join(f", {column}" for column in shared)
        + f" FROM {table} AS r WHERE r.id IN ({found}){others}"
        " ORDER BY score DESC, r.slug LIMIT %(limit)s",
        params,
    )


def similar_regions(profile: Profile, *, limit: int = SIMILAR_ON_PAGE) -> list:
    """The regions most like `profile`, best first, each with its reasons and
    what to learn there. Four queries, whatever the number of regions: the
    ranking with what the best share, and what to learn there (three)."""
    set_terms = _set_terms(profile)
    single_terms = _single_terms(profile)
    if not (set_terms or single_terms):
        return []
    statement, params = _ranking(profile, set_terms, single_terms, max(1, limit))
    # A region that shares nothing scores 0: left out here rather than in SQL,
    # where the condition would count everything once more.
    results = [
        SimilarRegion(
            region=region, score=region.score, reasons=_reasons(profile, region)
        )
        for region in Region.objects.raw(statement, params)
        if region.score > 0
    ]
    if results:
        _add_what_to_learn(profile, results)
    return results


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


def _first_few_sql(
    model: type[models.Model], fields: Iterable[str], condition: str
) -> str:
    """Per region of `%(regions)s`, its first `%(per_region)s` published records
    of `model` on `condition` (of `t`), the latest published first: a limited
    read of each region's records, in one statement."""
    table = model._meta.db_table
    return (
        f"SELECT {_columns(model, fields, 'f')} "
        "FROM unnest(%(regions)s::bigint[]) AS r(id) CROSS JOIN LATERAL ("
        f"SELECT * FROM {table} AS t WHERE t.region_id = r.id "
        f"AND t.status = '{Status.PUBLISHED}' AND ({condition}) "
        "ORDER BY t.published_at DESC NULLS LAST, t.slug "
        "LIMIT %(per_region)s) AS f "
        "ORDER BY f.region_id, f.published_at DESC NULLS LAST, f.slug"
    )


def _has_any(relation, ids_param: str) -> str:
    """`t` is linked through the many-to-many `relation` to any of `ids_param`."""
    field_ = relation.field
    return (
        f"EXISTS (SELECT 1 FROM {field_.m2m_db_table()} AS m "
        f"WHERE m.{field_.m2m_column_name()} = t.id "
        f"AND m.{field_.m2m_reverse_name()} = ANY(%({ids_param})s))"
    )


def _add_what_to_learn(profile: Profile, results: list[SimilarRegion]) -> None:
    """A few published potentials and good practices of each region in the
    categories serving the asker's goals (practices also where they used or
    transfer to the asker's legacy types): a statement for each, and one for the
    potentials' categories. Written as SQL, where the ORM spent longer building
    the statements than the database running them."""
    by_region = {result.region.pk: result for result in results}
    categories = list(profile.learn_category_ids)
    legacy_ids = _ids(profile.legacy_types)
    params = {
        "regions": list(by_region),
        "categories": categories,
        "legacy_types": legacy_ids,
        "per_region": LEARN_PER_REGION,
    }
    potential_model = _potentials().model
    practice_model = _good_practices().model
    if categories:
        potentials = list(
            potential_model.objects.raw(
                _first_few_sql(
                    potential_model,
                    (*LEARN_FIELDS, "stage", "category"),
                    "t.category_id = ANY(%(categories)s)",
                ),
                params,
            )
        )
        models.prefetch_related_objects(
            potentials,
            models.Prefetch("category", _category_model().objects.only("slug", "name")),
        )
        for potential in potentials:
            by_region[potential.region_id].potentials.append(potential)
    if categories or legacy_ids:
        conditions = []
        if categories:
            conditions.append(_has_any(practice_model.categories, "categories"))
        if legacy_ids:
            conditions += [
                _has_any(practice_model.legacy_types, "legacy_types"),
                _has_any(practice_model.transferable_legacy_types, "legacy_types"),
            ]
        practices = practice_model.objects.raw(
            _first_few_sql(
                practice_model, (*LEARN_FIELDS, "kind"), " OR ".join(conditions)
            ),
            params,
        )
        for practice in practices:
            by_region[practice.region_id].good_practices.append(practice)


def practices_to_learn_from(results: Iterable[SimilarRegion]) -> list:
    """The good practices suggested across the results, each once, best region
    first."""
    seen: dict[int, Any] = {}
    for result in results:
        for practice in result.good_practices:
            seen.setdefault(practice.pk, practice)
    return list(seen.values())
