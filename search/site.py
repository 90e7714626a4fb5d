"""Searching every kind of public record at once, for the results page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from search.facets import MAX_PAGE_MATCHES, search_page
from search.kinds import search_kind, search_kinds
from search.query import ParsedSearch, parse_search


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record: models.Model
    rank: float
    headline: str

    @property
    def label(self) -> Any:
        return search_kind(self.kind).label_one

    @property
    def title(self) -> str:
        """The record's title or name in the reader's language."""
        return getattr(self.record, search_kind(self.kind).title_field)

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
    # lower bounds (see facets.search_page()).
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
    `max_matches` matches (see facets.search_page()).
    """
    parsed = parse_search(query)
    every = search_kinds()
    wanted = set(kinds) if kinds else {kind.kind for kind in every}
    if not parsed.terms:
        return SiteSearchResults(parsed, [], {k.kind: 0 for k in every}, 0)
    counts: dict[str, int] = {}
    hits: list[SearchHit] = []
    exact = True
    for kind in every:
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
