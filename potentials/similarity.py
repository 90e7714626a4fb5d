"""Similar records: what a potential (or a good practice) has in common with others.

A record is similar to another for the traits they share, each weighted here, in
`SIMILARITY_WEIGHTS`, the one place the weights live (goodpractices/similarity.py
uses them too):

- the category of use (a good practice: each shared category), and otherwise the
  theme (a potential: another category of the same theme; a good practice: each
  shared theme);
- each kind of mining legacy both use;
- where they are: the same region, or else the same country and each commodity
  both regions mined;
- similar words: the words of this record's English title found in the other's
  English title or summary (`ts_rank` over the stored search vector, titles
  weighing most). English is every record's source and fallback language, so the
  same records are similar for every reader.

One statement scores the candidates and returns the best `SIMILAR_LIMIT` with
their reasons (the shared values, named in the reader's language); a second loads
those records. Only published records are candidates, never the record itself.

The candidates are a bounded set, so that the statement reads as many rows at a
million records as at a thousand: for each trait an index can find (the same
category, each shared legacy type, category or theme, the same region, the same
country, the words of the title), at most `CANDIDATES_PER_TRAIT` records that
share it, read from that index. It is an approximation: where more records share
a trait, only the first `CANDIDATES_PER_TRAIT` the index yields are considered
(the text: any records with the words, not the best ranked). A record found
through one trait is scored with every trait it shares, so a record similar in
several traits still ranks first among the candidates; the records of the same
region are all found unless a region has more than that many. The traits no
index finds (a potential's theme, the regions' commodities) only score the
candidates found otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection, models
from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django_countries import countries

from core.db import count_beside, related_records
from core.languages import (
    FALLBACK_LANGUAGE,
    active_language,
    language_column,
    reading_only,
)
from editorial.models import Status
from potentials.models import Category, Potential, Theme
from regions.models import Commodity, LegacyType, Region
from search.fields import qualified, text_search_configuration, vector_column
from search.query import RANK_WEIGHTS, search_terms

#: What each shared trait adds to a record's score: per shared value for the
#: categories, themes, legacy types and commodities; once for the region and the
#: country; times the text rank (0 to 1) for similar words.
SIMILARITY_WEIGHTS: dict[str, float] = {
    "category": 4.0,
    "legacy_type": 3.0,
    "theme": 1.0,
    "region": 2.0,
    "country": 1.0,
    "commodity": 1.0,
    "text": 2.0,
}
#: How many similar records a page and the API show.
SIMILAR_LIMIT = 5
#: How many records sharing one trait (one index) are scored at most: the bound
#: on what finding similar records reads, whatever the number of records.
CANDIDATES_PER_TRAIT = 100
#: How many good practices (or potentials) found by legacy type × category a page
#: lists before "see all".
FOUND_LIMIT = 5

# The reasons in the order a reader sees them.
TRAIT_ORDER = tuple(SIMILARITY_WEIGHTS)
TEXT_LANGUAGE = FALLBACK_LANGUAGE


# --- Reasons ------------------------------------------------------------------------


class SharedValue(NamedTuple):
    """One shared value: a slug (a country: its code) and its name."""

    code: str
    name: str


@dataclass(frozen=True)
class Reason:
    """One trait two records share, with the values they share in it."""

    trait: str
    values: tuple[SharedValue, ...] = ()

    @property
    def label(self) -> str:
        """What is shared, in words: "same category", "both use"…"""
        count = len(self.values)
        labels = {
            "category": ngettext("same category", "same categories", count),
            "legacy_type": gettext("both use"),
            "theme": ngettext("same theme", "same themes", count),
            "region": gettext("same region"),
            "country": gettext("same country"),
            "commodity": gettext("both regions mined"),
            "text": gettext("similar words"),
        }
        return labels[self.trait]

    @property
    def text(self) -> str:
        """The reason as a reader sees it: "both use: mine water, dumps"."""
        if not self.values:
            return self.label
        return gettext("%(trait)s: %(values)s") % {
            "trait": self.label,
            "values": ", ".join(value.name for value in self.values),
        }


@dataclass(frozen=True)
class Similarity:
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return "; ".join(reason.text for reason in self.reasons)


# --- The statement ------------------------------------------------------------------
#
# The candidates (`found`: at most CANDIDATES_PER_TRAIT per trait an index finds,
# see the module's docstring), each compared with the record asked about (`me`,
# alias `p`): equal columns, counts of shared values read by the candidate's id,
# and the text rank. The shared values themselves are read for the best few only.


@dataclass(frozen=True)
class Trait:
    """A trait of the scoring statement, as SQL.

    `strength`: how much of it the row `p` shares with the row `me` (0 for
    nothing: the number of shared values), reading `joins` besides; or, for a
    trait worth at most its weight (the text rank), `lookup`: a query of the
    `strength` of one candidate `c`, none for nothing. `shared`: for a row `p`
    that shares it, the ids of the shared values (named from `vocabulary`) or
    their codes (countries). `candidates`: a query of the ids (`id`) of at most
    `%(per_trait)s` other published records that share it, read from an index;
    none where no index finds them.
    """

    name: str
    strength: str
    shared: str
    joins: tuple[str, ...] = ()
    vocabulary: type[models.Model] | None = None
    lookup: str | None = None
    candidates: str | None = None


def _published(alias: str) -> str:
    """The row `alias` is a candidate: published, and not the record itself."""
    return f"{alias}.status = '{Status.PUBLISHED}' AND {alias}.id <> %(pk)s"


def _names_sql(model: type[models.Model], language: str) -> str:
    """id, slug, name in `language` (else English) and order of a vocabulary."""
    fields = {f.name for f in model._meta.fields}
    first, fallback = (
        language_column("name", code) for code in (language, FALLBACK_LANGUAGE)
    )
    order = '"order"' if "order" in fields else "0"
    return (
        f"SELECT id, slug, COALESCE(NULLIF({first}, ''), {fallback}, '') AS name, "
        f"{order} AS ord FROM {model._meta.db_table}"
    )


def _through(relation) -> tuple[str, str, str]:
    """(table, column of the record, column of the value) of an M2M relation."""
    field_ = relation.field
    return field_.m2m_db_table(), field_.m2m_column_name(), field_.m2m_reverse_name()


def same_value(
    name: str, model: type[models.Model], column: str, vocabulary: type[models.Model]
) -> Trait:
    """The same value of a foreign key (a category, a region) of `model`'s rows."""
    table = model._meta.db_table
    return Trait(
        name,
        f"COALESCE((p.{column} = me.{column})::int, 0)",
        f"ARRAY[p.{column}]",
        vocabulary=vocabulary,
        candidates=(
            f"SELECT o.id FROM {table} AS o WHERE o.{column} = "
            f"(SELECT {column} FROM {table} WHERE id = %(pk)s) AND {_published('o')} "
            "LIMIT %(per_trait)s"
        ),
    )


def shared_many(name: str, relation, vocabulary: type[models.Model]) -> Trait:
    """Each value of a many-to-many relation both records have."""
    table, record, value = _through(relation)
    records = relation.field.model._meta.db_table
    alias = f"m_{name}"
    mine = f"SELECT {value} FROM {table} WHERE {record} = %(pk)s"
    return Trait(
        name,
        f"COALESCE({alias}.n, 0)",
        f"ARRAY(SELECT t.{value} FROM {table} AS t WHERE t.{record} = p.id "
        f"AND t.{value} IN ({mine}))",
        (
            # ANY(ARRAY(…)): the record's values are read once, not per candidate.
            f"LEFT JOIN LATERAL (SELECT count(*) AS n FROM {table} AS t "
            f"WHERE t.{record} = p.id AND t.{value} = ANY(ARRAY({mine}))) "
            f"AS {alias} ON true",
        ),
        vocabulary,
        # Per value of the record's: the first records with it.
        candidates=(
            f"SELECT f.id FROM ({mine}) AS v(value) CROSS JOIN LATERAL ("
            f"SELECT o.id FROM {table} AS t JOIN {records} AS o ON o.id = t.{record} "
            f"WHERE t.{value} = v.value AND {_published('o')} "
            "LIMIT %(per_trait)s) AS f"
        ),
    )


def region_traits(model: type[models.Model]) -> list[Trait]:
    """The same region; else the same country, and each commodity both regions
    mined."""
    mine = f"(SELECT region_id FROM {model._meta.db_table} WHERE id = %(pk)s)"
    regions = Region._meta.db_table
    commodities, region, commodity = _through(Region.commodities)
    other_region = "p.region_id <> me.region_id"
    mined = f"SELECT m.{commodity} FROM {commodities} AS m WHERE m.{region} = {mine}"
    table = model._meta.db_table
    return [
        same_value("region", model, "region_id", Region),
        Trait(
            "country",
            f"COALESCE((r.country = mr.country AND {other_region})::int, 0)",
            f"ARRAY[(SELECT country FROM {regions} WHERE id = p.region_id)::text]",
            (
                f"LEFT JOIN {regions} AS r ON r.id = p.region_id",
                f"LEFT JOIN {regions} AS mr ON mr.id = me.region_id",
            ),
            candidates=(
                f"SELECT o.id FROM {regions} AS r JOIN {table} AS o "
                "ON o.region_id = r.id "
                f"WHERE r.country = (SELECT country FROM {regions} WHERE id = {mine}) "
                f"AND r.id <> {mine} AND {_published('o')} LIMIT %(per_trait)s"
            ),
        ),
        Trait(
            "commodity",
            f"CASE WHEN {other_region} THEN COALESCE(m_commodity.n, 0) ELSE 0 END",
            f"ARRAY(SELECT t.{commodity} FROM {commodities} AS t "
            f"WHERE t.{region} = p.region_id AND t.{commodity} IN ({mined}))",
            (
                f"LEFT JOIN LATERAL (SELECT count(*) AS n FROM {commodities} AS t "
                f"WHERE t.{region} = p.region_id "
                f"AND t.{commodity} = ANY(ARRAY({mined}))) "
                "AS m_commodity ON true",
            ),
            Commodity,
        ),
    ]


def text_trait(model: type[models.Model]) -> Trait:
    """Words of this record's English title in the other's English title or
    summary, ranked (`%(words)s`: those words, joined by "or"), for a candidate
    `c` (see `similar_statement`)."""
    table = model._meta.db_table
    config = f"'{qualified(text_search_configuration(TEXT_LANGUAGE))}'::regconfig"
    vector = f"t.{vector_column(TEXT_LANGUAGE)}"
    weights = "{" + ",".join(str(weight) for weight in RANK_WEIGHTS) + "}"
    # websearch_to_tsquery drops stop words and reads any text safely; each of
    # its words is then restricted to titles and summaries (weights A and B).
    query = (
        f"to_tsquery({config}, NULLIF(regexp_replace("
        f"websearch_to_tsquery({config}, %(words)s)::text, "
        r"'''( |$)', ''':AB\1', 'g'), ''))"
    )
    return Trait(
        "text",
        "",
        "ARRAY[]::int[]",
        lookup=(
            f"SELECT ts_rank('{weights}', {vector}, q.query, 32) AS strength "
            f"FROM {table} AS t, (SELECT {query}) AS q(query) "
            f"WHERE t.id = c.id AND {vector} @@ q.query"
        ),
        # Any records with those words (the search vector's GIN index), not the
        # best ranked: ranking every match would read them all.
        candidates=(
            f"SELECT t.id FROM {table} AS t, (SELECT {query}) AS q(query) "
            f"WHERE {vector} @@ q.query AND {_published('t')} LIMIT %(per_trait)s"
        ),
    )


def _named(trait: Trait, language: str) -> str:
    """The shared values of the row `p` as JSON, [[code, name], …] (the name
    null for a country, named in Python), or null when it shares none."""
    if trait.vocabulary is None:
        values = (
            "SELECT jsonb_agg(jsonb_build_array(code, NULL)) "
            f"FROM unnest({trait.shared}) AS code"
        )
    else:
        values = (
            "SELECT jsonb_agg(jsonb_build_array(n.slug, n.name) "
            f"ORDER BY n.ord, n.slug) FROM ({_names_sql(trait.vocabulary, language)}) "
            f"AS n WHERE n.id = ANY({trait.shared})"
        )
    return f"CASE WHEN best.s_{trait.name} > 0 THEN COALESCE(({values}), '[]') END"


def similar_statement(model: type[models.Model], traits: Sequence[Trait]) -> str:
    """Scores the candidates among the published records of `model` (at most
    `%(per_trait)s` per trait that finds them) against the record `%(pk)s` and
    returns the best `%(limit)s` that share something: id, score, then each
    trait's shared values (`_named`).

    The traits looked up per record (the text rank, at most 1) are read only for
    the records that could still be among the best with them: those whose other
    traits score at least the best `%(limit)s`-th's less the looked-up traits'
    weights. The result is the same as ranking every record's text, at a fraction
    of the cost when many records match the words.
    """
    table = model._meta.db_table
    language = active_language()
    scanned = [trait for trait in traits if trait.lookup is None]
    looked_up = [trait for trait in traits if trait.lookup is not None]
    joins = "\n".join(dict.fromkeys(join for trait in scanned for join in trait.joins))
    strengths = ",\n".join(f"{trait.strength} AS s_{trait.name}" for trait in scanned)

    def weighted(names: Sequence[Trait]) -> str:
        return (
            " + ".join(
                f"{SIMILARITY_WEIGHTS[trait.name]}::float8 * s_{trait.name}"
                for trait in names
            )
            or "0::float8"
        )

    reach = sum(SIMILARITY_WEIGHTS[trait.name] for trait in looked_up)
    lookups = "\n".join(
        f"LEFT JOIN LATERAL ({trait.lookup} AND c.partial >= cut.low) "
        f"AS l_{trait.name} ON true"
        for trait in looked_up
    )
    looked_up_strengths = "".join(
        f",\n    COALESCE(l_{trait.name}.strength, 0)::float8 AS s_{trait.name}"
        for trait in looked_up
    )
    named = ",\n".join(_named(trait, language) for trait in traits)
    found = "\nUNION\n".join(
        f"({trait.candidates})" for trait in traits if trait.candidates
    )
    # The CTE `compared` is read twice (the cut and the candidates): one pass.
    return f"""
WITH found AS MATERIALIZED (
{found}
),
compared AS MATERIALIZED (
    SELECT p.id,
{strengths}
    FROM found
    JOIN {table} AS p ON p.id = found.id
    JOIN {table} AS me ON me.id = %(pk)s
{joins}
),
partial AS MATERIALIZED (
    SELECT compared.*, {weighted(scanned)} AS partial FROM compared
),
cut AS (
    SELECT COALESCE((
        SELECT partial FROM partial ORDER BY partial DESC
        LIMIT 1 OFFSET %(limit)s - 1
    ), 0) - {reach}::float8 AS low
),
candidates AS (
    SELECT c.*{looked_up_strengths}
    FROM partial AS c
    CROSS JOIN cut
{lookups}
    WHERE c.partial >= cut.low
),
best AS (
    SELECT scored.* FROM (
        SELECT candidates.*, partial + {weighted(looked_up) if looked_up else "0"}
            AS score
        FROM candidates
    ) AS scored
    WHERE scored.score > 0
    ORDER BY scored.score DESC, scored.id
    LIMIT %(limit)s
)
SELECT best.id, best.score,
{named}
FROM best
JOIN {table} AS p ON p.id = best.id
JOIN {table} AS me ON me.id = %(pk)s
ORDER BY best.score DESC, best.id
"""


def _reasons(traits: Sequence[Trait], found: Sequence) -> tuple[Reason, ...]:
    reasons = []
    for trait, values in zip(traits, found, strict=True):
        if values is None:
            continue
        # Django's connection leaves JSON undecoded (JSONField decodes its own).
        values = json.loads(values) if isinstance(values, str) else values
        reasons.append(
            Reason(
                trait.name,
                tuple(
                    SharedValue(code, name or str(countries.name(code)))
                    for code, name in values
                ),
            )
        )
    order = {name: index for index, name in enumerate(TRAIT_ORDER)}
    return tuple(sorted(reasons, key=lambda reason: order[reason.trait]))


def similar_records(
    record: models.Model,
    queryset: models.QuerySet,
    traits: Sequence[Trait],
    *,
    limit: int = SIMILAR_LIMIT,
) -> list:
    """The records of `queryset` most similar to `record`, best first, each with
    `.similarity` (its score and reasons). Two queries, whatever the data."""
    title = getattr(record, language_column("title", TEXT_LANGUAGE)) or ""
    with connection.cursor() as cursor:
        cursor.execute(
            similar_statement(queryset.model, traits),
            {
                "pk": record.pk,
                "limit": limit,
                "per_trait": CANDIDATES_PER_TRAIT,
                "words": " or ".join(search_terms(title)),
            },
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    records = queryset.in_bulk([row[0] for row in rows])
    similar = []
    for pk, score, *found in rows:
        if pk in records:
            match = records[pk]
            match.similarity = Similarity(round(score, 3), _reasons(traits, found))
            similar.append(match)
    return similar


def potential_traits() -> list[Trait]:
    categories = Category._meta.db_table
    return [
        same_value("category", Potential, "category_id", Category),
        shared_many("legacy_type", Potential.legacy_types, LegacyType),
        Trait(
            "theme",
            "(pc.theme_id = mc.theme_id AND p.category_id <> me.category_id)::int",
            f"ARRAY(SELECT theme_id FROM {categories} WHERE id = p.category_id)",
            (
                f"JOIN {categories} AS pc ON pc.id = p.category_id",
                f"JOIN {categories} AS mc ON mc.id = me.category_id",
            ),
            Theme,
        ),
        *region_traits(Potential),
        text_trait(Potential),
    ]


def similar_potentials(
    potential: Potential, *, limit: int = SIMILAR_LIMIT, only: Sequence[str] = ()
) -> list:
    """The published potentials most like `potential`, each with `.similarity`;
    read whole, or only the fields `only` names (core.languages.reading_only)."""
    return similar_records(
        potential,
        reading_only(
            Potential.objects.published().select_related("region", "category__theme"),
            only,
        ),
        potential_traits(),
        limit=limit,
    )


# --- Good practices found from a potential ------------------------------------------


@dataclass(frozen=True)
class Found:
    """Records found by legacy type × category: the first few, how many in all,
    and the list page showing all of them (None where no list can)."""

    records: list
    total: int
    url: str | None


def filtered_list_url(
    view_name: str, *, categories: Sequence[str], legacy_types: Sequence[str]
) -> str:
    """A list page (potentials or good practices) filtered to any of these
    categories and any of these legacy types."""
    query = urlencode(
        [("category", slug) for slug in categories]
        + [("legacy_type", slug) for slug in legacy_types]
    )
    return f"{reverse(view_name)}?{query}"


def found_by_pairs(
    records: models.QuerySet, legacy_types: Sequence[int], limit: int
) -> list:
    """Of `records` (filtered to a pair's category), those with any of
    `legacy_types`, most shared legacy types first, each with `.shared_pairs`,
    and with `.found_total`: how many there are in all.

    The ranked are a bounded set of candidates, as for similar records: at most
    `CANDIDATES_PER_TRAIT` for each legacy type. How many in all is a count
    beside them (a scalar subquery), never a window over every match."""
    matches = records.filter(legacy_types__in=legacy_types)
    candidates = models.Q()
    for legacy_type in legacy_types:
        candidates |= models.Q(
            pk__in=records.filter(legacy_types=legacy_type)
            .order_by()
            .values("pk")[:CANDIDATES_PER_TRAIT]
        )
    # Each record once, by a probe of its own legacy types (not a DISTINCT over
    # every record × legacy type row).
    field = records.model._meta.get_field("legacy_types")
    through = field.remote_field.through
    total = count_beside(
        records.filter(
            models.Exists(
                through.objects.filter(
                    **{
                        field.m2m_field_name(): models.OuterRef("pk"),
                        f"{field.m2m_reverse_field_name()}__in": legacy_types,
                    }
                )
            )
        )
    )
    return list(
        matches.filter(candidates)
        .annotate(
            shared_pairs=Count("legacy_types", distinct=True),
            found_total=total,
        )
        .order_by("-shared_pairs", "-published_at", "pk")[:limit]
    )


def good_practices_for(
    potential: Potential, *, limit: int = FOUND_LIMIT, only: Sequence[str] = ()
) -> Found:
    """The published good practices that used a kind of legacy this potential has
    for its category of use, anywhere (not only those linked to it), most shared
    legacy types first; each with `.shared_pairs`. One query; the practices read
    whole, or only the fields `only` names."""
    legacy_types = list(potential.legacy_types.all())
    if not legacy_types:
        return Found([], 0, None)
    practices = found_by_pairs(
        reading_only(
            related_records(Potential, "good_practices")
            .published()
            .filter(categories=potential.category_id)
            .select_related("region"),
            only,
        ),
        [legacy.pk for legacy in legacy_types],
        limit,
    )
    total = practices[0].found_total if practices else 0
    return Found(
        practices,
        total,
        filtered_list_url(
            "goodpractices:goodpractice-list",
            categories=[potential.category.slug],
            legacy_types=[legacy.slug for legacy in legacy_types],
        ),
    )


def utilisation_practice_counts() -> dict[tuple[str, str], int]:
    """(legacy type slug, category slug) → the number of published good practices
    with that legacy type and that category: the utilisation matrix's second
    number. One query."""
    return {
        (row["legacy_types__slug"], row["categories__slug"]): row["count"]
        for row in related_records(Potential, "good_practices")
        .published()
        .filter(legacy_types__isnull=False, categories__isnull=False)
        .values("legacy_types__slug", "categories__slug")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    }
