"""A list page's selection, taken away: as CSV, GeoJSON, in the API and as a feed.

The list pages and the API filter with the same FilterSets (search.filters), so a
filter has the same name in both; this is the one place that says how the rest of
a list's address maps: its sort becomes the API's `ordering` (each SortOption names
its own), its page is dropped (a download is the whole selection), and the page's
language becomes the API's `?lang=`. The feed takes the list's own filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict
from django_filters import FilterSet

#: Entries in a feed of a selection: its newest records.
FEED_LENGTH = 50


@dataclass(frozen=True)
class ExportLinks:
    """Where the selection can be had; `geojson` is None for records without a place."""

    csv: str
    api: str
    feed: str | None
    geojson: str | None = None
    #: The most features one GeoJSON answer holds; more come as further pages.
    geojson_page_size: int = 0
    feed_length: int = FEED_LENGTH


def selection_params(
    filterset_class: type[FilterSet], query: QueryDict
) -> list[tuple[str, str]]:
    """The list's filters and search, as given: no page, no sort, nothing unknown."""
    names = filterset_class.base_filters
    return [
        (name, value)
        for name, values in query.lists()
        if name in names
        for value in values
        if value != ""
    ]


def _address(path: str, params: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(params))
    return f"{path}?{query}" if query else path


def export_links(
    *,
    filterset_class: type[FilterSet],
    query: QueryDict,
    api_path: str,
    feed_path: str | None,
    ordering: str,
    language: str,
    geojson: bool,
) -> ExportLinks:
    """The addresses of the selection `query` makes of a list.

    `api_path` is the API's list of the same records (/api/v1/potentials/),
    `ordering` the API's name for the list's sort ("" for the API's own order).
    """
    params = selection_params(filterset_class, query)
    api_params = [*params, *([("ordering", ordering)] if ordering else [])]
    api_params.append(("lang", language))
    geojson_size = settings.API_MAX_GEOJSON_PAGE_SIZE
    return ExportLinks(
        csv=_address(api_path, [*api_params, ("format", "csv")]),
        api=_address(api_path, api_params),
        feed=_address(feed_path, params) if feed_path else None,
        geojson=_address(
            api_path,
            [*api_params, ("format", "geojson"), ("page_size", str(geojson_size))],
        )
        if geojson
        else None,
        geojson_page_size=geojson_size,
    )
