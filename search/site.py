"""Searching every kind of public record at once, for the results page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import F

from core.languages import named_by, reading_only
from search.facets import MAX_PAGE_MATCHES
from search.kinds import SearchKind, search_kind, search_kinds
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
    def title_field(self) -> str:
        return search_kind(self.kind).title_field

    @property
    def title(self) -> str:
        """The record's title or name in the reader's language."""
        return getattr(self.record, self.title_field)

    @property
    def url(self) -> str | None:
        get_url = getattr(self.record, "get_absolute_url", None)
        return get_url() if get_url else None

    @property
    def region(self) -> models.Model | None:
        """The region the record belongs to, where it has one (read with it:
        the kind's `select_related`)."""
        if "region" not in search_kind(self.kind).select_related:
            return None
        return self.record.region

    @property
    def country(self) -> Any:
        """The record's country (django-countries' Country), else its region's."""
        country = getattr(self.record, "country", None)
        if not country and self.region is not None:
            country = self.region.country
        return country or None


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

    The counts of every kind and the page's (kind, key, rank) come from one
    statement; then each kind on the page reads its records with their
    headlines: at most 2 + the number of kinds queries, whatever the content.
    """
    parsed = parse_search(query)
    every = search_kinds()
    wanted = set(kinds) if kinds else {kind.kind for kind in every}
    if not parsed.terms:
        return SiteSearchResults(parsed, [], {k.kind: 0 for k in every}, 0)
    counted, ranked = _counts_and_page(
        every,
        parsed,
        [position for position, kind in enumerate(every) if kind.kind in wanted],
        limit,
        offset,
        max_matches,
    )
    counts = {kind.kind: counted.get(at, 0) for at, kind in enumerate(every)}
    exact = max_matches is None or all(n <= max_matches for n in counts.values())
    if max_matches is not None:
        counts = {kind: min(n, max_matches) for kind, n in counts.items()}
    records = _page_records(every, parsed, ranked)
    hits = []
    for position, pk, rank in ranked:
        record = records.get((position, pk))
        if record is not None:
            hits.append(
                SearchHit(every[position].kind, record, rank, record.search_headline)
            )
    total = sum(count for kind, count in counts.items() if kind in wanted)
    return SiteSearchResults(parsed, hits, counts, total, exact)


def _counts_and_page(
    every: list[SearchKind],
    parsed: ParsedSearch,
    wanted: list[int],
    limit: int,
    offset: int,
    max_matches: int | None,
) -> tuple[dict[int, int], list[tuple[int, Any, float]]]:
    """Matches per kind (by position in `every`) and the page's (kind position,
    key, rank), best first, from one statement over every kind's matches."""
    parts: list[str] = []
    params: list[Any] = []
    using = "default"
    for position, kind in enumerate(every):
        queryset = kind.model._default_manager.public()
        using = queryset.db
        # The condition and the rank alone: the headlines are the page's.
        condition, rank, _headline = queryset.full_text_expressions(parsed)
        matches = (
            queryset.filter(condition)
            .annotate(site_record=F("pk"), site_rank=rank)
            .values_list("site_record", "site_rank")
        )
        if max_matches is not None:
            # One more than the most, to know whether there were more.
            matches = matches[: max_matches + 1]
        sql, kind_params = matches.query.get_compiler(using=using).as_sql()
        # By name: the compiler orders the columns as it likes.
        parts.append(
            f"SELECT {position} AS kind_position, site_record, site_rank"
            f" FROM ({sql}) AS kind_{position}"
        )
        params += kind_params
    statement = (
        f"WITH hit AS MATERIALIZED ({' UNION ALL '.join(parts)})"
        " SELECT (SELECT json_agg(json_build_array(kind_position, matches)) FROM ("
        "  SELECT kind_position, COUNT(*) AS matches FROM hit GROUP BY kind_position"
        " ) AS counted),"
        " (SELECT json_agg(json_build_array(kind_position, site_record, site_rank)"
        "  ORDER BY site_rank DESC, kind_position, site_record) FROM ("
        "  SELECT * FROM hit WHERE kind_position = ANY(%s)"
        "  ORDER BY site_rank DESC, kind_position, site_record"
        "  LIMIT %s OFFSET %s) AS page)"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(statement, [*params, wanted, limit, offset])
        counted, ranked = cursor.fetchone()
    return (
        dict(counted or []),
        [(position, pk, rank) for position, pk, rank in ranked or []],
    )


def _page_records(
    every: list[SearchKind],
    parsed: ParsedSearch,
    ranked: list[tuple[int, Any, float]],
) -> dict[tuple[int, Any], models.Model]:
    """The page's records by (kind position, key), with their headlines: one
    query for each kind on the page."""
    keys: dict[int, list[Any]] = {}
    for position, pk, _rank in ranked:
        keys.setdefault(position, []).append(pk)
    records: dict[tuple[int, Any], models.Model] = {}
    for position, pks in keys.items():
        kind = every[position]
        queryset = reading_only(kind.queryset(), _shown(kind))
        _condition, _rank, headline = queryset.full_text_expressions(parsed)
        for record in queryset.filter(pk__in=pks).annotate(search_headline=headline):
            records[position, record.pk] = record
    return records


def _shown(kind: SearchKind) -> list[str]:
    """What a hit shows of its record (`SearchHit`): its title, link and place,
    not its long texts in every language."""
    own = {field.name for field in kind.model._meta.concrete_fields}
    fields = [kind.title_field, *(["country"] if "country" in own else [])]
    related = {"region": ("name", "country")} if "region" in kind.select_related else {}
    return named_by(kind.model, *fields, **related)
