"""Suggestions as the reader types: titles and names of public records whose words
start with what was typed, from the GIN expression indexes of the titles' words
(`search.fields.SearchSpec.prefix_vector`), one statement for every kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections

from search.kinds import SearchKind, suggestion_kinds
from search.query import (
    MAX_QUERY_LENGTH,
    WORD,
    fold,
    prefix_tsquery_text,
    search_languages,
    search_terms,
)

MIN_SUGGEST_LENGTH = 2
MIN_SUGGEST_INDEXED_LENGTH = 3
SUGGEST_CANDIDATES = 20


@dataclass(frozen=True)
class Suggestion:
    kind: str
    slug: str
    text: str


def suggest(prefix: str, *, limit: int = 8) -> list[Suggestion]:
    """Titles and names with words that start with what the reader has typed.

    Titles that start with the text come first, then titles with a word that does,
    then shorter titles; kinds in their suggestion order (regions, projects and
    partners before potentials and good practices) when they match equally well.
    """
    prefix = (prefix or "")[:MAX_QUERY_LENGTH].strip()
    terms = search_terms(prefix)
    kinds = suggestion_kinds()
    if len(prefix) < MIN_SUGGEST_LENGTH or not terms or limit <= 0 or not kinds:
        return []
    folded_prefix = fold(" ".join(terms))
    folded_terms = [fold(term) for term in terms]
    # A word of one or two letters starts thousands of words, which the index
    # gathers before anything else: beside a longer word it only orders the
    # candidates (below).
    longer = [term for term in terms if len(term) >= MIN_SUGGEST_INDEXED_LENGTH]
    rows = _suggestion_rows(kinds, longer or terms, max(limit, SUGGEST_CANDIDATES))
    order = {kind.kind: position for position, kind in enumerate(kinds)}
    scored: list[tuple[tuple, Suggestion]] = []
    for kind, slug, text in rows:
        folded_text = fold(text)
        words = WORD.findall(folded_text)
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
    kinds: Sequence[SearchKind], terms: Sequence[str], limit: int
) -> list[tuple[str, str, str]]:
    """(kind, slug, title) of up to `limit` candidates of each kind."""
    sources = [kind.model._default_manager.public() for kind in kinds]
    using = sources[0].db
    key = (using, tuple(search_languages()), limit, tuple(k.kind for k in kinds))
    statement = _suggest_statements.get(key)
    if statement is None:
        parts = [
            queryset.suggestion_candidates(
                kind.kind, [_SUGGEST_PLACEHOLDER], kind.title_field, limit
            )
            for kind, queryset in zip(kinds, sources, strict=True)
        ]
        union = parts[0].union(*parts[1:], all=True)
        union_sql, params = union.query.get_compiler(using=using).as_sql()
        # By name: the compiler orders the columns as it likes.
        sql = (
            f"SELECT suggestion_kind, slug, suggestion FROM ({union_sql}) AS candidate"
        )
        placeholder = prefix_tsquery_text([_SUGGEST_PLACEHOLDER])
        slots = tuple(
            index for index, value in enumerate(params) if value == placeholder
        )
        statement = _suggest_statements[key] = (sql, tuple(params), slots)
    sql, params, slots = statement
    values = list(params)
    for index in slots:
        values[index] = prefix_tsquery_text(terms)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()
