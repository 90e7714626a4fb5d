"""Text search, suggestions and facet counts: one code path for the pages and the API.

The contract other code relies on:

- Every searchable QuerySet has `.search(query)`: the records matching `query` in the
  active language (English content is always found too), best first, annotated with
  `search_rank` (a float, higher is better) and `search_headline` (an HTML snippet
  showing why the record matched, safe to render: the record's text is escaped and
  the matches are wrapped in `<mark>…</mark>`). It chains like any QuerySet method,
  before and after `filter()`, `select_related()`, `count()`, slicing and
  `facet_counts()`. An empty query keeps every record (rank 0, empty headline).
- `suggest(prefix, limit=…)` gives completions as the reader types: titles and names
  of published potentials and good practices, regions, partners and projects (on
  PostgreSQL from indexes of the titles' words, `search_schema.AddPrefixIndexes`).
- `facet_counts(queryset, facets)` counts the records per facet value, e.g.
  `{"country": "region__country"}`; never one query per value (on PostgreSQL one
  query for all facets together).
- `search_page(queryset, query, facets=…, limit=…, offset=…)` is what a results
  page (or an API list) needs in one go: a page of `queryset.search(query)`, the
  number of hits and the facet counts. On PostgreSQL it reads the matches once for
  all three, and at most `max_matches` of them (2,000 by default): beyond that the
  page is the best of those, `count` says "more than" (`exact` is False) and the
  facets are those of the matches read. Pages should call it rather than the three
  steps, which read every match three times.
- `site_search(query, kinds=…, limit=…, offset=…)` searches every kind of public
  record at once for the results page: the best hits across kinds (`SearchHit`)
  and the number of hits per kind.
- `parse_search(query)` reads a query once (its words and their typo corrections),
  for callers that search several kinds with it; `.search()` takes its result too.
- Only published potentials and good practices are public: `.search()` searches
  the QuerySet it is given (call `.published()` for the public), while `suggest()`,
  `site_search()` and the typo vocabulary only ever use public records.

On PostgreSQL: full-text search over stored generated tsvector columns, one per
language (`search_en`, `search_de`, … — see `search_schema.py`; PostgreSQL keeps
them current on every write), with a text-search configuration per language that
strips accents and then stems where PostgreSQL has a stemmer (English, German,
Hungarian, Finnish; Polish, Czech and Slovenian get `simple`). The reader's language
and English are searched together. Typos are corrected against a vocabulary of the
words in the content (`SearchWord`, pg_trgm similarity), titles weigh more than
summaries and summaries more than bodies (`ts_rank` weights), and `ts_headline`
marks the matches.

On SQLite (the embedded default) the same contract holds more simply: every word of
the query must occur somewhere in the record's text (as part of a word: "thermal"
finds "geothermal"), ignoring case and accents, with no stemming and no typo
tolerance; titles still rank first, and every match is read (`exact` always True).
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections, models
from django.db.backends.signals import connection_created
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, Concat, Greatest, NullIf
from django.db.models.lookups import Contains
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from resource_portal.search_schema import (
    prefix_vector_columns,
    prefix_vector_sql,
    search_vector_column,
)

FALLBACK_LANGUAGE = "en"

# Languages with a PostgreSQL stemmer get it; the others (Polish, Czech, Slovenian)
# get `simple`. All of them strip accents first (see search_schema.py).
TEXT_SEARCH_CONFIGURATIONS = {
    "en": "rp_english",
    "de": "rp_german",
    "hu": "rp_hungarian",
    "fi": "rp_finnish",
}
SIMPLE_CONFIGURATION = "rp_simple"
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

# The most matches a results page reads (see search_page()).
MAX_PAGE_MATCHES = 2_000

MIN_SUGGEST_LENGTH = 2
MIN_SUGGEST_INDEXED_LENGTH = 3
SUGGEST_CANDIDATES = 20

HEADLINE_MAX_WORDS = 30
HEADLINE_MIN_WORDS = 12

_WORD = re.compile(r"[^\W_]+")


# --- Languages and words ---------------------------------------------------------


def reader_language() -> str:
    """The active language's code, or English for one the portal does not have."""
    code = (get_language() or FALLBACK_LANGUAGE).split("-")[0].lower()
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else FALLBACK_LANGUAGE


def search_languages() -> list[str]:
    """The languages searched for the reader: theirs, then English."""
    return list(dict.fromkeys([reader_language(), FALLBACK_LANGUAGE]))


def text_search_configuration(language: str) -> str:
    return TEXT_SEARCH_CONFIGURATIONS.get(language, SIMPLE_CONFIGURATION)


def search_terms(query: str) -> list[str]:
    """The words of a query, in order, without repeats or punctuation."""
    words = _WORD.findall((query or "")[:MAX_QUERY_LENGTH])
    return list(dict.fromkeys(word[:MAX_TERM_LENGTH] for word in words))[:MAX_TERMS]


def fold(text: str) -> str:
    """Lower case without accents: how the simple search compares text."""
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


def is_translated(model: type[models.Model], field_name: str) -> bool:
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return False
    return field_name in options.all_fields


def _columns(model: type[models.Model], field_name: str) -> list[str]:
    """The columns to search for a field: the reader's language, then English."""
    if not is_translated(model, field_name):
        return [field_name]
    return [f"{field_name}_{language}" for language in search_languages()]


def _localised(
    model: type[models.Model], field_name: str, language: str | None = None
) -> models.Expression:
    """A translated field in `language` (the reader's), falling back to English."""
    text = models.TextField()
    if not is_translated(model, field_name):
        return Coalesce(F(field_name), Value(""), output_field=text)
    languages = (
        search_languages()
        if language is None
        else list(dict.fromkeys([language, FALLBACK_LANGUAGE]))
    )
    first, *rest = [f"{field_name}_{code}" for code in languages]
    # An empty string counts as untranslated; the last column may be anything.
    return Coalesce(
        NullIf(F(first), Value(""), output_field=text),
        *(F(column) for column in rest),
        Value(""),
        output_field=text,
    )


def _is_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


# --- A parsed query ---------------------------------------------------------------


@dataclass(frozen=True)
class ParsedSearch:
    """A query read once: its words and, on PostgreSQL, their typo corrections."""

    text: str
    terms: tuple[str, ...]
    corrections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def alternatives(self, term: str) -> list[str]:
        return [term, *self.corrections.get(term, ())]


def parse_search(query: str, *, using: str = "default") -> ParsedSearch:
    terms = tuple(search_terms(query))
    corrections = _corrections(terms, using) if _is_postgresql(using) else {}
    return ParsedSearch(query, terms, corrections)


# For each query word the vocabulary does not hold, the closest words it does.
# `folded` is the word as the vocabulary writes words: lower case, no accents.
_CORRECTIONS_SQL = """
SELECT query.term, candidate.word
FROM (
    SELECT term, public.unaccent(lower(term)) AS folded
    FROM unnest(%s::text[]) AS term
) AS query
CROSS JOIN LATERAL (
    SELECT word
    FROM resource_portal_searchword
    WHERE word %% query.folded AND similarity(word, query.folded) >= %s
    ORDER BY similarity(word, query.folded) DESC, word
    LIMIT %s
) AS candidate
WHERE NOT EXISTS (
    SELECT 1 FROM resource_portal_searchword AS known WHERE known.word = query.folded
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


# --- PostgreSQL expressions ---------------------------------------------------------


class SearchVectorColumn(Expression):
    """A search-vector column of the queried table (not a model field).

    Resolves to a column of the query's base table, so the expression keeps working
    when Django re-aliases the table, e.g. inside `pk__in=` subqueries.
    """

    output_field = SearchVectorField()

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        target = SearchVectorField()
        target.set_attributes_from_name(self.column)
        target.model = query.model
        return Col(query.get_initial_alias(), target)


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
        " & ".join(groups), config=f"public.{configuration}", search_type="raw"
    )


def _prefix_tsquery_text(terms: Sequence[str]) -> str:
    return " & ".join(f"{term}:*" for term in terms)


def _prefix_tsquery(terms: Sequence[str], configuration: str) -> SearchQuery:
    """Words starting with every term."""
    return SearchQuery(
        _prefix_tsquery_text(terms),
        config=f"public.{configuration}",
        search_type="raw",
    )


class PrefixVector(Func):
    """The words of a record's title fields (weight "A") in one language: the
    expression of its suggestion index (`search_schema.AddPrefixIndexes`)."""

    output_field = SearchVectorField()

    def __init__(self, columns: Sequence[str], configuration: str) -> None:
        super().__init__(*(F(column) for column in columns))
        self.configuration = configuration

    def as_sql(self, compiler, connection, **extra_context):
        parts = [compiler.compile(column) for column in self.get_source_expressions()]
        sql = prefix_vector_sql([part for part, _params in parts], self.configuration)
        return sql, [param for _part, params in parts for param in params]


def _prefix_vector(model: type[models.Model], language: str) -> PrefixVector:
    fields = [
        name
        for name, weight in model._default_manager._queryset_class.search_fields
        if weight == "A"
    ]
    untranslated = [name for name in fields if not is_translated(model, name)]
    return PrefixVector(
        prefix_vector_columns(fields, language, untranslated),
        text_search_configuration(language),
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


def _headline_text(
    model: type[models.Model], search_fields: Sequence[tuple[str, str]], language: str
) -> models.Expression:
    """The text a headline is cut from: summaries and bodies, else the titles."""
    fields = [name for name, weight in search_fields if weight != "A"] or [
        name for name, _weight in search_fields
    ]
    parts: list[models.Expression] = []
    for name in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(_localised(model, name, language))
    return parts[0] if len(parts) == 1 else Concat(*parts, output_field=TextField())


# --- The simple version (SQLite) ------------------------------------------------

SQLITE_FOLD_FUNCTION = "rp_fold"
SQLITE_HEADLINE_FUNCTION = "rp_headline"
SIMPLE_RANK_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.05}
HEADLINE_CHARACTERS = 220


class Fold(Func):
    """Lower case without accents, through a function registered on SQLite."""

    function = SQLITE_FOLD_FUNCTION
    output_field = TextField()


class SimpleHeadline(Func):
    """An escaped snippet with the query's words marked, computed in Python."""

    function = SQLITE_HEADLINE_FUNCTION
    output_field = TextField()


def _simple_contains(model: type[models.Model], field_name: str, term: str) -> Q:
    folded = fold(term)
    return Q(
        *(Contains(Fold(F(column)), folded) for column in _columns(model, field_name)),
        _connector=Q.OR,
    )


def simple_headline(text: str | None, terms_json: str) -> str:
    """The start of `text`, escaped, with the query's words marked.

    The snippet starts shortly before the first match so that it shows why the
    record matched.
    """
    text = text or ""
    terms = [fold(term) for term in json.loads(terms_json) if term]
    folded_chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        folded_chars.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(folded_chars)
    marked = [False] * len(text)
    for term in terms:
        for found in re.finditer(re.escape(term), folded_text):
            for position in range(found.start(), found.end()):
                marked[origin[position]] = True
    first = next((index for index, mark in enumerate(marked) if mark), 0)
    start = text.rfind(" ", 0, max(first - 40, 0)) + 1 if first > 60 else 0
    end = min(len(text), start + HEADLINE_CHARACTERS)
    if end < len(text):
        end = max(text.rfind(" ", start, end), first + 1)
    pieces = ["… " if start else ""]
    index = start
    while index < end:
        run_end = index
        while run_end < end and marked[run_end] == marked[index]:
            run_end += 1
        chunk = html.escape(text[index:run_end])
        pieces.append(f"<mark>{chunk}</mark>" if marked[index] else chunk)
        index = run_end
    pieces.append(" …" if end < len(text) else "")
    return "".join(pieces)


def register_sqlite_search_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FOLD_FUNCTION,
            1,
            lambda text: None if text is None else fold(text),
            deterministic=True,
        )
        connection.connection.create_function(
            SQLITE_HEADLINE_FUNCTION, 2, simple_headline, deterministic=True
        )


connection_created.connect(register_sqlite_search_functions)


# --- The QuerySet ---------------------------------------------------------------


class SearchQuerySet(models.QuerySet):
    """A QuerySet whose records can be searched by text.

    `search_fields` lists the translated text fields by weight: "A" (titles) weighs
    more than "B" (summaries), and "B" more than "C" (bodies). On PostgreSQL the
    table has a search-vector column per language built from them (a migration with
    `search_schema.AddSearchVectors`).
    """

    search_fields: ClassVar[tuple[tuple[str, str], ...]] = ()

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
                search_headline=Value("", output_field=TextField()),
            )
        if _is_postgresql(self.db):
            return self._full_text_search(parsed)
        return self._simple_search(parsed)

    def _full_text_search(self, parsed: ParsedSearch) -> Self:
        condition, rank, headline = self._full_text_expressions(parsed)
        return (
            self.filter(condition)
            .annotate(search_rank=rank, search_headline=headline)
            .order_by("-search_rank", "pk")
        )

    def _full_text_expressions(
        self, parsed: ParsedSearch
    ) -> tuple[Q, models.Expression, models.Expression]:
        """The condition, the rank and the headline of a full-text search."""
        matches: dict[str, Matches] = {}
        ranks: list[models.Expression] = []
        headlines: dict[str, SearchHeadline] = {}
        reader = reader_language()
        for language in search_languages():
            configuration = text_search_configuration(language)
            tsquery = _tsquery(parsed, configuration)
            vector = SearchVectorColumn(search_vector_column(language))
            matches[language] = Matches(vector, tsquery)
            rank = SearchRank(vector, tsquery, weights=RANK_WEIGHTS)
            if language != reader:
                rank = rank * Value(ENGLISH_ONLY_FACTOR)
            ranks.append(rank)
            headlines[language] = MarkedHeadline(
                _headline_text(self.model, self.search_fields, language),
                tsquery,
                config=f"public.{configuration}",
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

    def _simple_search(self, parsed: ParsedSearch) -> Self:
        matches = Q()
        for term in parsed.terms:
            matches &= Q(
                *(
                    _simple_contains(self.model, name, term)
                    for name, _weight in self.search_fields
                ),
                _connector=Q.OR,
            )
        rank: models.Expression = Value(0.0, output_field=FloatField())
        for term in parsed.terms:
            for name, weight in self.search_fields:
                rank = rank + Case(
                    When(
                        _simple_contains(self.model, name, term),
                        then=Value(SIMPLE_RANK_WEIGHTS[weight]),
                    ),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
        headline = SimpleHeadline(
            _headline_text(self.model, self.search_fields, reader_language()),
            Value(json.dumps(list(parsed.terms))),
        )
        return (
            self.filter(matches)
            .annotate(search_rank=rank, search_headline=headline)
            .order_by("-search_rank", "pk")
        )

    def _suggest_candidates(
        self, kind: str, terms: Sequence[str], field: str, limit: int
    ) -> models.QuerySet:
        """(kind, slug, title) of records whose title has words starting with the
        terms: any `limit` of them, not the best (the caller orders them), which
        keeps a two-letter prefix cheap on a large table."""
        if _is_postgresql(self.db):
            condition = Q(
                *(
                    Matches(
                        _prefix_vector(self.model, language),
                        _prefix_tsquery(terms, text_search_configuration(language)),
                    )
                    for language in search_languages()
                ),
                _connector=Q.OR,
            )
        else:
            # The title fields (weight "A"), as the suggestion indexes hold them.
            columns = [
                column
                for name, weight in self.search_fields
                if weight == "A"
                for column in _columns(self.model, name)
            ]
            condition = Q()
            for term in terms:
                condition &= Q(
                    *(Contains(Fold(F(column)), fold(term)) for column in columns),
                    _connector=Q.OR,
                )
        return (
            self.filter(condition)
            .order_by()
            .annotate(
                suggestion_kind=Value(kind, output_field=TextField()),
                suggestion=_localised(self.model, field),
            )
            .values_list("suggestion_kind", "slug", "suggestion")[:limit]
        )


# --- Suggestions ---------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    kind: str
    slug: str
    text: str


def _suggestion_sources() -> list[tuple[str, models.QuerySet, str]]:
    from goodpractices.models import GoodPractice
    from potentials.models import Potential
    from regions.models import Partner, Project, Region

    return [
        ("region", Region.objects.all(), "name"),
        ("project", Project.objects.all(), "title"),
        ("partner", Partner.objects.all(), "name"),
        ("potential", Potential.objects.published(), "title"),
        ("goodpractice", GoodPractice.objects.published(), "title"),
    ]


def suggest(prefix: str, *, limit: int = 8) -> list[Suggestion]:
    """Titles and names with words that start with what the reader has typed.

    Titles that start with the text come first, then titles with a word that does,
    then shorter titles; regions, projects and partners before potentials and good
    practices when they match equally well.
    """
    prefix = (prefix or "")[:MAX_QUERY_LENGTH].strip()
    terms = search_terms(prefix)
    if len(prefix) < MIN_SUGGEST_LENGTH or not terms or limit <= 0:
        return []
    folded_prefix = fold(" ".join(terms))
    folded_terms = [fold(term) for term in terms]
    sources = _suggestion_sources()
    using = sources[0][1].db
    candidates_each = max(limit, SUGGEST_CANDIDATES)
    if _is_postgresql(using):
        # A word of one or two letters starts thousands of words, which the index
        # gathers before anything else: beside a longer word it only orders the
        # candidates (below), as it does on SQLite.
        longer = [term for term in terms if len(term) >= MIN_SUGGEST_INDEXED_LENGTH]
        rows = _suggestion_rows(sources, longer or terms, candidates_each, using)
    else:
        # SQLite cannot limit the parts of a UNION: a query per kind.
        rows = [
            row
            for kind, queryset, field_name in sources
            for row in queryset._suggest_candidates(
                kind, terms, field_name, candidates_each
            )
        ]
    order = {kind: position for position, (kind, _qs, _field) in enumerate(sources)}
    scored: list[tuple[tuple, Suggestion]] = []
    for kind, slug, text in rows:
        folded_text = fold(text)
        words = _WORD.findall(folded_text)
        if folded_text.startswith(folded_prefix):
            quality = 0
        elif all(any(w.startswith(t) for w in words) for t in folded_terms):
            quality = 1
        else:
            quality = 2
        scored.append(
            ((quality, order[kind], len(text), text), Suggestion(kind, slug, text))
        )
    scored.sort(key=lambda item: item[0])
    return [suggestion for _key, suggestion in scored[:limit]]


# Suggestions run on every keystroke, and building their query through the ORM
# (five kinds, two languages each) cost more than running it. The statement depends
# only on the languages searched and the number of candidates, so it is compiled
# once for each and only the typed words change: they are one parameter, the
# prefix query, found by the placeholder it was compiled with.
_SUGGEST_PLACEHOLDER = "rpsuggestplaceholder"
_suggest_statements: dict[tuple, tuple[str, tuple, tuple[int, ...]]] = {}


def _suggestion_rows(
    sources: list[tuple[str, models.QuerySet, str]],
    terms: Sequence[str],
    limit: int,
    using: str,
) -> list[tuple[str, str, str]]:
    """(kind, slug, title) of up to `limit` candidates of each kind."""
    key = (using, tuple(search_languages()), limit, tuple(kind for kind, *_ in sources))
    statement = _suggest_statements.get(key)
    if statement is None:
        parts = [
            queryset._suggest_candidates(
                kind, [_SUGGEST_PLACEHOLDER], field_name, limit
            )
            for kind, queryset, field_name in sources
        ]
        union = parts[0].union(*parts[1:], all=True)
        union_sql, params = union.query.get_compiler(using=using).as_sql()
        # By name: the compiler orders the columns as it likes.
        sql = (
            f"SELECT suggestion_kind, slug, suggestion FROM ({union_sql}) AS candidate"
        )
        placeholder = _prefix_tsquery_text([_SUGGEST_PLACEHOLDER])
        slots = tuple(
            index for index, value in enumerate(params) if value == placeholder
        )
        statement = _suggest_statements[key] = (sql, tuple(params), slots)
    sql, params, slots = statement
    values = list(params)
    for index in slots:
        values[index] = _prefix_tsquery_text(terms)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


# --- Facets ---------------------------------------------------------------------


def facet_counts(
    queryset: models.QuerySet, facets: Mapping[str, str]
) -> dict[str, dict[Any, int]]:
    """Records per value for each facet, e.g. {"country": "region__country"}.

    Values are ordered by count, highest first; records without a value are not
    counted. On PostgreSQL all facets come from one query (GROUPING SETS), so the
    search behind `queryset` runs once; elsewhere one query per facet.
    """
    if not facets:
        return {}
    base = queryset.order_by()
    if _is_postgresql(queryset.db) and len(facets) > 1:
        counts = _grouping_set_counts(base, facets)
    else:
        counts = {
            name: dict(
                base.values_list(path)
                .annotate(count=Count("pk", distinct=True))
                .values_list(path, "count")
            )
            for name, path in facets.items()
        }
    return {name: _ordered(values) for name, values in counts.items()}


def _grouping_set_counts(
    base: models.QuerySet, facets: Mapping[str, str]
) -> dict[str, dict[Any, int]]:
    paths = list(dict.fromkeys(facets.values()))
    # Django may order the inner SELECT's columns as it likes, so each column gets
    # a name of its own to be found by.
    columns = [f"facet_{index}" for index in range(len(paths))]
    inner = base.annotate(
        facet_record=F("pk"),
        **{column: F(path) for column, path in zip(columns, paths, strict=True)},
    ).values_list("facet_record", *columns)
    sql, params = inner.query.get_compiler(using=base.db).as_sql()
    statement = (
        f"SELECT {', '.join(f'GROUPING({c})' for c in columns)},"
        f" {', '.join(columns)}, COUNT(DISTINCT facet_record)"
        f" FROM ({sql}) AS facet"
        f" GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in columns)})"
    )
    by_path: dict[str, dict[Any, int]] = {path: {} for path in paths}
    with connections[base.db].cursor() as cursor:
        cursor.execute(statement, params)
        for row in cursor.fetchall():
            grouping, values, count = (
                row[: len(paths)],
                row[len(paths) : 2 * len(paths)],
                row[-1],
            )
            index = grouping.index(0)
            by_path[paths[index]][values[index]] = count
    return {name: by_path[path] for name, path in facets.items()}


# --- A page of results, its count and facets in one pass --------------------------


@dataclass(frozen=True)
class SearchPage:
    """One page of ranked results, with the number of hits and the facet counts.

    `exact` is False when more records matched than a page reads: then `count` is
    a lower bound ("more than …"), and the page and the facet counts come from the
    matches read.
    """

    records: list[models.Model]
    count: int
    facets: dict[str, dict[Any, int]]
    exact: bool = True


def search_page(
    queryset: SearchQuerySet,
    query: str | ParsedSearch,
    *,
    facets: Mapping[str, str] | None = None,
    limit: int = 20,
    offset: int = 0,
    max_matches: int | None = MAX_PAGE_MATCHES,
) -> SearchPage:
    """What a results page needs: `queryset.search(query)[offset:offset + limit]`
    (annotated as `.search()` does), the number of hits and `facet_counts()`.

    On PostgreSQL the matching records are read once for all three, instead of once
    for the page, once for the count and once for the facets: on a large table it is
    reading the matches that costs, so this is what pages should call. And at most
    `max_matches` of them are read: a query that matches half the database ("solar")
    would otherwise rank, count and facet every match, which no page can do in
    time and no reader needs; they get the best of the first `max_matches`, "more
    than `max_matches`" and facets to narrow down with. `max_matches=None` reads
    every match. Elsewhere it is the three steps, exactly.
    """
    facets = dict(facets or {})
    parsed = (
        query
        if isinstance(query, ParsedSearch)
        else parse_search(query, using=queryset.db)
    )
    results = queryset.search(parsed)
    if not _is_postgresql(queryset.db) or not parsed.terms:
        return SearchPage(
            list(results[offset : offset + limit]),
            results.count(),
            facet_counts(results, facets),
        )
    ranked, count, rows, counts = _one_pass(results, facets, limit, offset, max_matches)
    # Rows, not records, are what the limit stops: a facet on a many-to-many
    # relation gives a record several.
    exact = max_matches is None or rows <= max_matches
    # The page's records by key, with their headlines; their ranks are known.
    _condition, _rank, headline = queryset._full_text_expressions(parsed)
    ranks = dict(ranked)
    by_id = {
        record.pk: record
        for record in queryset.filter(pk__in=ranks).annotate(search_headline=headline)
    }
    for pk, record in by_id.items():
        record.search_rank = ranks[pk]
    return SearchPage(
        [by_id[pk] for pk, _rank in ranked if pk in by_id],
        count if exact else min(count, max_matches),
        counts,
        exact,
    )


def _one_pass(
    results: models.QuerySet,
    facets: Mapping[str, str],
    limit: int,
    offset: int,
    max_matches: int | None,
) -> tuple[list[tuple[Any, float]], int, int, dict[str, dict[Any, int]]]:
    """(id, rank) of the page, the number of records and of rows read, and the
    facet counts, from one statement."""
    paths = list(dict.fromkeys(facets.values()))
    columns = [f"facet_{index}" for index in range(len(paths))]
    inner = (
        results.order_by()
        .annotate(
            facet_record=F("pk"),
            facet_rank=F("search_rank"),
            **{column: F(path) for column, path in zip(columns, paths, strict=True)},
        )
        .values_list("facet_record", "facet_rank", *columns)
    )
    if max_matches is not None:
        # One more than the most, to know whether there were more.
        inner = inner[: max_matches + 1]
    sql, params = inner.query.get_compiler(using=results.db).as_sql()
    facet_sql = "NULL::json"
    if columns:
        groupings = [f"grouping_{column}" for column in columns]
        facet_sql = (
            "(SELECT json_agg(json_build_array("
            + ", ".join([*groupings, *columns, "n"])
            + ")) FROM (SELECT "
            + ", ".join(
                [
                    *(f"GROUPING({c}) AS grouping_{c}" for c in columns),
                    *columns,
                    "COUNT(DISTINCT facet_record) AS n",
                ]
            )
            + " FROM hit GROUP BY GROUPING SETS ("
            + ", ".join(f"({c})" for c in columns)
            + ")) AS grouped)"
        )
    statement = (
        f"WITH hit AS MATERIALIZED ({sql})"
        " SELECT (SELECT COUNT(DISTINCT facet_record) FROM hit),"
        " (SELECT COUNT(*) FROM hit),"
        " (SELECT json_agg(json_build_array(facet_record, best)"
        "  ORDER BY best DESC, facet_record) FROM ("
        "  SELECT facet_record, MAX(facet_rank) AS best FROM hit"
        "  GROUP BY facet_record ORDER BY best DESC, facet_record"
        "  LIMIT %s OFFSET %s) AS page),"
        f" {facet_sql}"
    )
    with connections[results.db].cursor() as cursor:
        cursor.execute(statement, [*params, limit, offset])
        count, rows, ranked, grouped = cursor.fetchone()
    by_path: dict[str, dict[Any, int]] = {path: {} for path in paths}
    for row in grouped or []:
        grouping, values = row[: len(paths)], row[len(paths) : 2 * len(paths)]
        index = grouping.index(0)
        by_path[paths[index]][values[index]] = row[-1]
    return (
        [(pk, rank) for pk, rank in ranked or []],
        count,
        rows,
        {name: _ordered(by_path[path]) for name, path in facets.items()},
    )


def _ordered(values: Mapping[Any, int]) -> dict[Any, int]:
    """Values by count, highest first, without the records that have none."""
    return dict(
        sorted(
            (item for item in values.items() if item[0] is not None),
            key=lambda item: (-item[1], str(item[0])),
        )
    )


# --- Searching every kind of record -----------------------------------------------


@dataclass(frozen=True)
class SearchKind:
    kind: str
    label: Any
    label_one: Any
    title_field: str

    def queryset(self) -> SearchQuerySet:
        from goodpractices.models import GoodPractice
        from potentials.models import Potential
        from regions.models import Partner, Project, Publication, Region

        public = {
            "potential": lambda: Potential.objects.published().select_related(
                "region", "category"
            ),
            "goodpractice": lambda: GoodPractice.objects.published().select_related(
                "region"
            ),
            "region": Region.objects.all,
            "partner": Partner.objects.all,
            "project": Project.objects.all,
            "publication": lambda: Publication.objects.select_related("project"),
        }
        return public[self.kind]()


SEARCH_KINDS = (
    SearchKind("potential", _("Potentials"), _("Potential"), "title"),
    SearchKind("goodpractice", _("Good practices"), _("Good practice"), "title"),
    SearchKind("region", _("Regions"), _("Region"), "name"),
    SearchKind("partner", _("Partners"), _("Partner"), "name"),
    SearchKind("project", _("Projects"), _("Project"), "title"),
    SearchKind("publication", _("Publications"), _("Publication"), "title"),
)
SEARCH_KINDS_BY_NAME = {kind.kind: kind for kind in SEARCH_KINDS}


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record: models.Model
    rank: float
    headline: str

    @property
    def label(self) -> Any:
        return SEARCH_KINDS_BY_NAME[self.kind].label_one

    @property
    def title(self) -> str:
        """The record's title or name in the reader's language."""
        return getattr(self.record, SEARCH_KINDS_BY_NAME[self.kind].title_field)

    @property
    def url(self) -> str | None:
        get_url = getattr(self.record, "get_absolute_url", None)
        return get_url() if get_url else None


@dataclass(frozen=True)
class SiteSearchResults:
    query: ParsedSearch
    hits: list[SearchHit]
    counts: dict[str, int]
    total: int
    # False when a kind had more matches than a page reads: counts are then
    # lower bounds (see search_page()).
    exact: bool = True


def site_search(
    query: str,
    *,
    kinds: Iterable[str] | None = None,
    limit: int = 20,
    offset: int = 0,
    max_matches: int | None = MAX_PAGE_MATCHES,
) -> SiteSearchResults:
    """The best public hits across kinds (or only `kinds`), and hits per kind.

    Ranks of different kinds are comparable (the same weights and query), so the
    hits are merged by rank. `counts` always covers every kind, for the facet list;
    `total` counts the hits of the kinds asked for. Each kind reads at most
    `max_matches` matches (see search_page()).
    """
    parsed = parse_search(query)
    wanted = set(kinds) if kinds else {kind.kind for kind in SEARCH_KINDS}
    if not parsed.terms:
        return SiteSearchResults(parsed, [], {k.kind: 0 for k in SEARCH_KINDS}, 0)
    counts: dict[str, int] = {}
    hits: list[SearchHit] = []
    exact = True
    for kind in SEARCH_KINDS:
        page = search_page(
            kind.queryset(),
            parsed,
            limit=offset + limit if kind.kind in wanted else 0,
            max_matches=max_matches,
        )
        counts[kind.kind] = page.count
        exact = exact and page.exact
        hits += [
            SearchHit(kind.kind, record, record.search_rank, record.search_headline)
            for record in page.records
        ]
    hits.sort(key=lambda hit: -hit.rank)
    total = sum(count for kind, count in counts.items() if kind in wanted)
    return SiteSearchResults(
        parsed, hits[offset : offset + limit], counts, total, exact
    )
