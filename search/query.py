"""Text search: reading a query, and matching, ranking and marking records with it.

The contract other code relies on:

- Every searchable QuerySet has `.search(query)`: the records matching `query` in the
  active language (English content is always found too), best first, annotated with
  `search_rank` (a float, higher is better) and `search_headline` (an HTML snippet
  showing why the record matched, safe to render: the record's text is escaped and
  the matches are wrapped in `<mark>…</mark>`). It chains like any QuerySet method,
  before and after `filter()`, `select_related()`, `count()`, slicing and
  `facets.facet_counts()`. An empty query keeps every record (rank 0, empty
  headline). It searches the QuerySet it is given: call `.published()` for the
  public.
- `parse_search(query)` reads a query once (its words and their typo corrections),
  for callers that search several kinds with it; `.search()` takes its result too.

How: full-text search over the stored generated vector columns that
`search.fields.searchable` declares, one per language, with a text-search
configuration per language that strips accents and then stems where PostgreSQL
has a stemmer (Polish, Czech and Slovenian get `simple`). The reader's language
and English are searched together. Typos are corrected against a vocabulary of the
words in the public content (`SearchWord`, pg_trgm similarity), titles weigh more
than summaries and summaries more than bodies (`ts_rank` weights), and
`ts_headline` marks the matches.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Self

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Concat, Greatest

from core.languages import FALLBACK_LANGUAGE, active_language, localised, with_fallback
from search.fields import (
    SIMPLE_CONFIGURATION,
    SearchSpec,
    qualified,
    text_search_configuration,
    vector_column,
)
from search.models import SearchWord

# ts_rank's weights for D, C, B and A: a title match counts five times a body match.
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
# A match only in English, for a reader of another language, ranks a little lower
# than the same match in the reader's own language.
ENGLISH_ONLY_FACTOR = 0.9

# Bounds on what one query may ask of the database.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Typo correction: only words this long, to words this similar (pg_trgm).
MIN_CORRECTED_LENGTH = 4
CORRECTION_SIMILARITY = 0.45
MAX_CORRECTIONS = 3

# Words at least this long also match as the start of longer words.
MIN_WORD_START_LENGTH = 5

HEADLINE_MAX_WORDS = 30
HEADLINE_MIN_WORDS = 12

WORD = re.compile(r"[^\W_]+")


# --- Languages and words ---------------------------------------------------------


def search_languages() -> list[str]:
    """The languages searched for the reader: theirs, then English."""
    return with_fallback(active_language())


def search_terms(query: str) -> list[str]:
    """The words of a query, in order, without repeats or punctuation."""
    words = WORD.findall((query or "")[:MAX_QUERY_LENGTH])
    return list(dict.fromkeys(word[:MAX_TERM_LENGTH] for word in words))[:MAX_TERMS]


def fold(text: str) -> str:
    """Lower case without accents, as the vocabulary and the indexes see words."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


# Letters that Unicode does not decompose into a base letter and an accent.
_FOLD_EXTRA = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}


@functools.cache
def _fold_char(char: str) -> str:
    lowered = char.casefold()
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_FOLD_EXTRA.get(c, c) for c in stripped)


def localised_text(spec: SearchSpec, name: str, language: str) -> models.Expression:
    """A searchable field in `language`, falling back to English, never NULL."""
    return localised(name, language, translated=name not in spec.untranslated)


# --- A parsed query ---------------------------------------------------------------


@dataclass(frozen=True)
class ParsedSearch:
    """A query read once: its words and their typo corrections."""

    text: str
    terms: tuple[str, ...]
    corrections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def alternatives(self, term: str) -> list[str]:
        return [term, *self.corrections.get(term, ())]


def parse_search(query: str, *, using: str = "default") -> ParsedSearch:
    terms = tuple(search_terms(query))
    return ParsedSearch(query, terms, _corrections(terms, using))


# For each query word the vocabulary does not hold, the closest words it does,
# one of each family.
# `folded` is the word as the vocabulary writes words: lower case, no accents.
_CORRECTIONS_SQL = f"""
SELECT query.term, candidate.word
FROM (
    SELECT term, public.unaccent(lower(term)) AS folded
    FROM unnest(%s::text[]) AS term
) AS query
CROSS JOIN LATERAL (
    SELECT word
    FROM (
        -- One word per family (the same first letters, as many as the query
        -- has): five Polish endings of "geotermaln-" must not crowd out the
        -- English "geothermal".
        SELECT DISTINCT ON (left(word, char_length(query.folded)))
            word, similarity(word, query.folded) AS likeness
        FROM {SearchWord._meta.db_table}
        WHERE word %% query.folded AND similarity(word, query.folded) >= %s
        ORDER BY left(word, char_length(query.folded)),
            similarity(word, query.folded) DESC, word
    ) AS families
    ORDER BY likeness DESC, word
    LIMIT %s
) AS candidate
WHERE NOT EXISTS (
    SELECT 1 FROM {SearchWord._meta.db_table} AS known
    WHERE known.word = query.folded
)
"""


def _corrections(terms: Sequence[str], using: str) -> dict[str, tuple[str, ...]]:
    """Known words close to each query word that the content does not contain."""
    candidates = [
        term
        for term in terms
        if len(term) >= MIN_CORRECTED_LENGTH and not any(c.isdigit() for c in term)
    ]
    if not candidates:
        return {}
    corrections: dict[str, list[str]] = {}
    with connections[using].cursor() as cursor:
        cursor.execute(
            _CORRECTIONS_SQL, [candidates, CORRECTION_SIMILARITY, MAX_CORRECTIONS]
        )
        for term, word in cursor.fetchall():
            corrections.setdefault(term, []).append(word)
    return {term: tuple(words) for term, words in corrections.items()}


# --- Expressions ------------------------------------------------------------------


class Matches(Func):
    """`vector @@ query`: a condition for filter() and When()."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _word_start(term: str, configuration: str) -> str | None:
    """The start of a longer word, to find the word's other forms too.

    Stemmers leave some forms apart ("Lusatia", "Lusatian"), so a longer word also
    matches as a prefix. Polish, Czech and Slovenian have no stemmer and inflect
    mostly at the end ("hałdy", "hałdach"): there the word less its ending is the
    prefix.
    """
    if len(term) < MIN_WORD_START_LENGTH or not term.isalpha():
        return None
    if configuration != SIMPLE_CONFIGURATION:
        return term
    return term[: len(term) - (2 if len(term) >= 7 else 1)]


def _tsquery(parsed: ParsedSearch, configuration: str) -> SearchQuery:
    """Every word (or one of its corrections) must match.

    One `to_tsquery()` of the whole query, which normalises each word with the
    configuration as `plainto_tsquery()` would: words are letters and digits
    only (`search_terms()`), never operators. A tree of one query per word gave
    the same SQL at several times the cost of building it.
    """
    groups = []
    for term in parsed.terms:
        words = list(dict.fromkeys(parsed.alternatives(term)))
        start = _word_start(term, configuration)
        if start:
            words.append(f"{start}:*")
        groups.append(f"({' | '.join(words)})")
    return SearchQuery(
        " & ".join(groups), config=qualified(configuration), search_type="raw"
    )


def prefix_tsquery_text(terms: Sequence[str]) -> str:
    return " & ".join(f"{term}:*" for term in terms)


def prefix_tsquery(terms: Sequence[str], configuration: str) -> SearchQuery:
    """Words starting with every term."""
    return SearchQuery(
        prefix_tsquery_text(terms), config=qualified(configuration), search_type="raw"
    )


# ts_headline marks matches with characters no text uses; the marked text is then
# escaped in Python and the marks become <mark> elements, so the record's own text
# can never add markup.
_MARK_START = "\ue000"
_MARK_STOP = "\ue001"


class HeadlineField(models.TextField):
    """A headline from the database, returned as escaped HTML with <mark>s."""

    def from_db_value(self, value, expression, connection):
        escaped = html.escape(value or "")
        return escaped.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")


class MarkedHeadline(SearchHeadline):
    output_field = HeadlineField()


def _headline_text(spec: SearchSpec, language: str) -> models.Expression:
    """The text a headline is cut from: summaries and bodies, else the titles."""
    names = [name for name, weight in spec.fields if weight != "A"] or [
        name for name, _weight in spec.fields
    ]
    parts: list[models.Expression] = []
    for name in names:
        if parts:
            parts.append(Value(" "))
        parts.append(localised_text(spec, name, language))
    return (
        parts[0] if len(parts) == 1 else Concat(*parts, output_field=models.TextField())
    )


# --- The QuerySet ---------------------------------------------------------------


class SearchQuerySet(models.QuerySet):
    """A QuerySet whose records can be searched by text: the model is declared
    with `search.fields.searchable`."""

    @property
    def search_spec(self) -> SearchSpec:
        return self.model.search_spec

    def public(self) -> Self:
        """The records anyone may see; publishable records narrow this."""
        return self.all()

    def search(self, query: str | ParsedSearch) -> Self:
        parsed = (
            query
            if isinstance(query, ParsedSearch)
            else parse_search(query, using=self.db)
        )
        if not parsed.terms:
            return self.annotate(
                search_rank=Value(0.0, output_field=FloatField()),
                search_headline=Value("", output_field=models.TextField()),
            )
        condition, rank, headline = self.full_text_expressions(parsed)
        return (
            self.filter(condition)
            .annotate(search_rank=rank, search_headline=headline)
            .order_by("-search_rank", "pk")
        )

    def full_text_expressions(
        self, parsed: ParsedSearch
    ) -> tuple[Q, models.Expression, models.Expression]:
        """The condition, the rank and the headline of a full-text search."""
        matches: dict[str, Matches] = {}
        ranks: list[models.Expression] = []
        headlines: dict[str, SearchHeadline] = {}
        reader = active_language()
        for language in search_languages():
            configuration = text_search_configuration(language)
            tsquery = _tsquery(parsed, configuration)
            vector = F(vector_column(language))
            matches[language] = Matches(vector, tsquery)
            rank = SearchRank(vector, tsquery, weights=RANK_WEIGHTS)
            if language != reader:
                rank = rank * Value(ENGLISH_ONLY_FACTOR)
            ranks.append(rank)
            headlines[language] = MarkedHeadline(
                _headline_text(self.search_spec, language),
                tsquery,
                config=qualified(configuration),
                start_sel=_MARK_START,
                stop_sel=_MARK_STOP,
                max_words=HEADLINE_MAX_WORDS,
                min_words=HEADLINE_MIN_WORDS,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        condition = Q(*matches.values(), _connector=Q.OR)
        if len(ranks) == 1:
            rank, headline = ranks[0], headlines[reader]
        else:
            rank = Greatest(*ranks, output_field=FloatField())
            # The snippet comes from the text that matched: the reader's if it did.
            headline = Case(
                When(matches[reader], then=headlines[reader]),
                default=headlines[FALLBACK_LANGUAGE],
                output_field=HeadlineField(),
            )
        return condition, rank, headline

    def suggestion_candidates(
        self, kind: str, terms: Sequence[str], field_name: str, limit: int
    ) -> models.QuerySet:
        """(kind, slug, title) of records whose title has words starting with the
        terms: any `limit` of them, not the best (the caller orders them), which
        keeps a two-letter prefix cheap on a large table. It reads the suggestion
        indexes (`SearchSpec.prefix_vector`)."""
        spec = self.search_spec
        condition = Q(
            *(
                Matches(
                    spec.prefix_vector(language),
                    prefix_tsquery(terms, text_search_configuration(language)),
                )
                for language in search_languages()
            ),
            _connector=Q.OR,
        )
        return (
            self.filter(condition)
            .order_by()
            .annotate(
                suggestion_kind=Value(kind, output_field=models.TextField()),
                suggestion=localised_text(spec, field_name, active_language()),
            )
            .values_list("suggestion_kind", "slug", "suggestion")[:limit]
        )
