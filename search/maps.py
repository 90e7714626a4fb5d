"""Map markers, clustered on a grid in the database.

A map asks for the markers of the area in view, at its zoom (the API's
`/map-markers/`), never carries them in its page. The earth is cut into square
cells whose size depends on the zoom alone (a quarter of a 256-pixel map tile,
so 64 pixels on screen), the same cells for every request: one GROUP BY over
`floor(latitude / cell)`, `floor(longitude / cell)` counts the records of each
cell in view, with their mean position and their bounds. A cell of one record is
that record's point (kind, title, link); a cell of more is a cluster. An answer
has at most one entry per cell in view, however many records there are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse

from core.languages import (
    ORIGINAL_LANGUAGE,
    fallback_language,
    has_original_language,
    language_codes,
    language_column,
    shown_language,
)

#: Cells across one 256-pixel tile: a cell is 64 pixels wide on screen.
TILE_CELLS = 4
MIN_ZOOM = 0
#: Leaflet's deepest zoom with the portal's tiles.
MAX_ZOOM = 18
#: The most cells one request may cover: a 4096-pixel-wide map at any zoom.
MAX_CELLS = 64 * 64
#: Decimal places of a position in an answer: about 10 cm, as stored.
PLACES = 6


def cell_size(zoom: int) -> float:
    """A cell's side in degrees at `zoom`: exact in binary (90 / 2**zoom), so
    the grid a browser snaps to is the database's."""
    return 360 / 2**zoom / TILE_CELLS


def cells_in(bbox: Sequence[Decimal | float], zoom: int) -> int:
    """How many cells of `zoom`'s grid the area west,south,east,north touches."""
    west, south, east, north = (float(edge) for edge in bbox)
    cell = cell_size(zoom)
    across = math.floor(east / cell) - math.floor(west / cell) + 1
    down = math.floor(north / cell) - math.floor(south / cell) + 1
    return across * down


@dataclass(frozen=True)
class MarkerSource:
    """Records of one kind for a map: filtered already, published only."""

    queryset: QuerySet
    title_field: str = "title"

    @property
    def kind(self) -> str:
        return self.queryset.model._meta.model_name


@dataclass(frozen=True)
class Cluster:
    latitude: float
    longitude: float
    count: int
    #: west, south, east, north: where its records lie.
    bounds: tuple[float, float, float, float]


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    kind: str
    title: str
    #: The language the title is in (the reader's, else a fallback).
    lang: str
    url: str


@dataclass(frozen=True)
class MapMarkers:
    clusters: list[Cluster]
    points: list[Point]
    #: Records with a location among the sources (in view or not)…
    count: int
    #: …and where they lie: west, south, east, north, None if nowhere.
    extent: tuple[float, float, float, float] | None


def _located_rows(sources: Sequence[MarkerSource]) -> tuple[str, list]:
    """One relation of (source, key, latitude, longitude) over all sources."""
    parts, params = [], []
    for index, source in enumerate(sources):
        rows = (
            source.queryset.filter(latitude__isnull=False, longitude__isnull=False)
            .order_by()
            .values("id", "latitude", "longitude")
        )
        sql, rows_params = rows.query.sql_with_params()
        # By the columns' names: Django may compile them in another order.
        parts.append(
            f"SELECT {index} AS source, s.id AS pk, s.latitude AS lat, "
            f"s.longitude AS lon FROM ({sql}) AS s"
        )
        params.extend(rows_params)
    return " UNION ALL ".join(parts), params


def map_markers(
    sources: Sequence[MarkerSource],
    *,
    zoom: int,
    bbox: Sequence[Decimal | float],
) -> MapMarkers:
    """The clusters and points of `sources` inside `bbox` at `zoom`.

    Three queries whatever the number of records: the cells, the extent and
    count of all records, and the records alone in their cells (one per kind
    that has any).
    """
    if not sources:
        return MapMarkers([], [], 0, None)
    cell = cell_size(zoom)
    west, south, east, north = (float(edge) for edge in bbox)
    rows, params = _located_rows(sources)
    with connection.cursor() as cursor:
        # Bounds inclusive, as the API's `bbox` filter: a record on an edge shows.
        cursor.execute(
            "SELECT count(*), avg(lat), avg(lon), min(lon), min(lat), max(lon), "
            "max(lat), min(source), min(pk) "
            f"FROM ({rows}) AS located "
            "WHERE lon BETWEEN %s AND %s AND lat BETWEEN %s AND %s "
            "GROUP BY floor(lat / %s), floor(lon / %s) "
            "ORDER BY floor(lat / %s), floor(lon / %s)",
            [*params, west, east, south, north, cell, cell, cell, cell],
        )
        cells = cursor.fetchall()
        cursor.execute(
            "SELECT count(*), min(lon), min(lat), max(lon), max(lat) "
            f"FROM ({rows}) AS located",
            params,
        )
        count, *extent = cursor.fetchone()
    clusters = []
    singles: dict[int, list[int]] = {}
    for records, lat, lon, *bounds, source, pk in cells:
        if records == 1:
            singles.setdefault(source, []).append(pk)
        else:
            clusters.append(
                Cluster(
                    round(float(lat), PLACES),
                    round(float(lon), PLACES),
                    records,
                    tuple(float(edge) for edge in bounds),
                )
            )
    points = [
        point
        for index, keys in sorted(singles.items())
        for point in _points(sources[index], keys)
    ]
    return MapMarkers(
        clusters,
        points,
        count,
        tuple(float(edge) for edge in extent) if count else None,
    )


def _points(source: MarkerSource, keys: list[int]) -> list[Point]:
    model = source.queryset.model
    columns = [language_column(source.title_field, code) for code in language_codes()]
    if has_original_language(model):
        columns.append(ORIGINAL_LANGUAGE)
    records = (
        model._base_manager.filter(pk__in=keys)
        .only("slug", "latitude", "longitude", *columns)
        .order_by("latitude", "longitude", "pk")
    )
    return [
        Point(
            round(float(record.latitude), PLACES),
            round(float(record.longitude), PLACES),
            source.kind,
            getattr(record, source.title_field),
            shown_language(record, source.title_field) or "",
            record.get_absolute_url(),
        )
        for record in records
    ]


def map_points(objects: Iterable[Any], title_field: str = "title") -> list[dict]:
    """Markers a page carries itself: a record's own place (static/js/maps.js)."""
    return [
        {
            "lat": float(obj.latitude),
            "lon": float(obj.longitude),
            "title": getattr(obj, title_field),
            "lang": fallback_language(obj, title_field) or "",
            "url": obj.get_absolute_url(),
            "kind": obj._meta.model_name,
        }
        for obj in objects
        if obj.has_location
    ]


def markers_url(
    kinds: Sequence[str], params: Sequence[tuple[str, str]], language: str
) -> str:
    """The address of a map's markers: of these kinds of record, with a list's
    filters (`params`), titles in `language`. The map adds its area and zoom."""
    query = [*(("records", kind) for kind in kinds), *params, ("lang", language)]
    return f"{reverse('api:map-markers')}?{urlencode(query)}"
