"""GeoJSON and CSV: the same records as the JSON, in the shapes maps and
spreadsheets read."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

import orjson
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import translation
from rest_framework import renderers, serializers
from rest_framework.utils import encoders

from api import rows

GEOJSON_MEDIA_TYPE = "application/geo+json"
LINE_SEPARATOR = "\u2028".encode()
PARAGRAPH_SEPARATOR = "\u2029".encode()
CSV_CHUNK_SIZE = 500


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, written by orjson: the same bytes, some ten times faster.

    A map page of 500 features took 5–7 ms in the standard library's encoder.
    What orjson does not write itself (dates, decimals, lazy translations) goes
    to DRF's own encoder, so the output is DRF's; pretty-printed JSON
    (`; indent=`), and anything orjson refuses, is left to DRF.
    """

    _encoder = encoders.JSONEncoder()

    def render(self, data, accepted_media_type=None, renderer_context=None):
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if data is None or indent is not None or self.ensure_ascii or not self.compact:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = orjson.dumps(
                data,
                default=self._encoder.default,
                option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS,
            )
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: JSON that is also valid JavaScript.
        return content.replace(LINE_SEPARATOR, b"\\u2028").replace(
            PARAGRAPH_SEPARATOR, b"\\u2029"
        )


class GeoJSONRenderer(JSONRenderer):
    """A record as a Feature, a page of records as a FeatureCollection.

    `latitude`/`longitude` become the Point geometry (null where a record has no
    location, as RFC 7946 allows); the other fields are the properties. A page keeps
    `count`, `next` and `previous` beside the features.
    """

    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if data is not None and not (response and response.status_code >= 400):
            if isinstance(data, dict) and "results" in data:
                data = {
                    "type": "FeatureCollection",
                    "count": data["count"],
                    "next": data["next"],
                    "previous": data["previous"],
                    "features": [feature(row) for row in data["results"]],
                }
            elif isinstance(data, dict):
                data = feature(data)
        return super().render(data, accepted_media_type, renderer_context)


def feature(row: dict[str, Any]) -> dict[str, Any]:
    properties = dict(row)
    latitude = properties.pop("latitude", None)
    longitude = properties.pop("longitude", None)
    geometry = None
    if latitude is not None and longitude is not None:
        geometry = {"type": "Point", "coordinates": [float(longitude), float(latitude)]}
    return {
        "type": "Feature",
        "id": row["slug"],
        "geometry": geometry,
        "properties": properties,
    }


class CSVRenderer(renderers.BaseRenderer):
    """Negotiates `?format=csv`; lists answer it with `csv_response()`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV is streamed by csv_response(), not rendered.")


# --- Streaming CSV ---------------------------------------------------------------

Column = tuple[str, tuple[str, ...]]


def csv_columns(serializer: serializers.Serializer, prefix: str = "") -> list[Column]:
    """One column per scalar field; nested records flatten to `region.name`…"""
    columns: list[Column] = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            for header, path in csv_columns(field, f"{prefix}{name}."):
                columns.append((header, (name, *path)))
        else:
            columns.append((f"{prefix}{name}", (name,)))
    return columns


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        # A list of records is given by their slugs; of plain values, as they are.
        return "; ".join(
            str(item.get("slug", "")) if isinstance(item, dict) else _cell(item)
            for item in value
        )
    if isinstance(value, dict):
        return "; ".join(f"{key}={_cell(item)}" for key, item in value.items())
    text = str(value)
    # A spreadsheet runs a cell starting with one of these as a formula; numbers
    # (negative longitudes) are left alone.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return f"'{text}"
    return text


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _value(row: dict, path: tuple[str, ...]) -> Any:
    value: Any = row
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def csv_rows(
    queryset: QuerySet,
    serializer_class: type[serializers.Serializer],
    context: dict,
    language: str,
) -> Iterator[str]:
    """The CSV text, a chunk of records at a time, never the whole list at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    # The stream is consumed after the view has returned: activate its language.
    with translation.override(language):
        columns = csv_columns(serializer_class(context=context))
        writer.writerow([header for header, _path in columns])
        yield flush()
        for chunk in _serialized_chunks(queryset, serializer_class, context):
            for row in chunk:
                writer.writerow([_cell(_value(row, path)) for _header, path in columns])
            yield flush()


def _serialized_chunks(
    queryset: QuerySet, serializer_class: type[serializers.Serializer], context: dict
) -> Iterator[list[dict]]:
    plan = rows.plan_for(serializer_class, queryset)
    if plan is not None:
        values = rows.values_of(queryset, plan).iterator(chunk_size=CSV_CHUNK_SIZE)
        for chunk in _chunks(values, CSV_CHUNK_SIZE):
            yield rows.build_rows(plan, chunk, context)
        return
    records = queryset.iterator(chunk_size=CSV_CHUNK_SIZE)
    for chunk in _chunks(records, CSV_CHUNK_SIZE):
        yield serializer_class(chunk, many=True, context=context).data


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def csv_response(
    queryset: QuerySet,
    serializer_class: type[serializers.Serializer],
    context: dict,
    filename: str,
) -> StreamingHttpResponse:
    language = translation.get_language()
    response = StreamingHttpResponse(
        csv_rows(queryset, serializer_class, context, language),
        content_type="text/csv; charset=utf-8; header=present",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Content-Language"] = language
    return response
