"""Europe's country outlines, which every map draws under its markers."""

import gzip

import orjson
import pytest
from django.urls import reverse
from shapely.geometry import shape

from core.outlines import OUTLINES_BBOX

URL = "/maps/outlines.geojson"

pytestmark = pytest.mark.django_db


def _countries(content: bytes) -> dict[str, dict]:
    collection = orjson.loads(content)
    assert collection["type"] == "FeatureCollection"
    return {
        feature["properties"]["iso"]: feature
        for feature in collection["features"]
        if feature["properties"]["iso"]
    }


def test_outlines_are_geojson_of_europes_countries(client):
    assert reverse("map-outlines") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    countries = _countries(response.content)
    # The countries of the network and their neighbours, each a valid shape.
    network = {"DE", "PL", "CZ", "SK", "HU", "SI", "FI", "SE", "ES", "PT", "GB"}
    assert network | {"FR", "IT", "NO", "UA", "IS"} <= set(countries)
    for feature in countries.values():
        geometry = feature["geometry"]
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        west, south, east, north = shape(geometry).bounds
        assert west >= OUTLINES_BBOX[0] and east <= OUTLINES_BBOX[2]
        assert south >= OUTLINES_BBOX[1] and north <= OUTLINES_BBOX[3]
    # Germany where and as large as it is: 5.9-15.0 E, 47.3-55.1 N.
    west, south, east, north = shape(countries["DE"]["geometry"]).bounds
    assert 5.5 < west < 6.3 and 14.7 < east < 15.3
    assert 47.0 < south < 47.6 and 54.8 < north < 55.3
    # Simplified and rounded: small enough for every page with a map.
    assert len(response.content) < 250_000
    assert b".123" not in response.content


def test_outlines_are_cached_compressed_and_revalidated(client):
    response = client.get(URL, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 80_000
    assert "DE" in _countries(gzip.decompress(response.content))
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= 24 * 60 * 60
    again = client.get(
        URL,
        headers={"accept-encoding": "gzip", "if-none-match": response["ETag"]},
    )
    assert again.status_code == 304
    assert client.post(URL).status_code == 405
