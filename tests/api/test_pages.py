"""Pages and exports of many records."""

import pytest

from potentials.models import Potential
from regions.models import Region
from tests.api.conftest import body

pytestmark = pytest.mark.django_db


def test_page_size_is_capped(api, many):
    assert len(api.get("/api/v1/potentials/?page_size=5000").json()["results"]) == 100
    geojson = api.get("/api/v1/potentials/?page_size=5000&format=geojson").json()
    assert len(geojson["features"]) == Potential.objects.published().count() > 100


def test_pages_link_to_each_other(api, many):
    first = api.get("/api/v1/regions/?page_size=50").json()
    assert first["count"] == Region.objects.count() > 100
    second = api.get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/v1/regions/?page_size=50"
    assert not set(slugs_of(first)) & set(slugs_of(second))


def slugs_of(data: dict) -> list[str]:
    return [row["slug"] for row in data["results"]]


def test_csv_streams_the_whole_filtered_list(api, many):
    response = api.get("/api/v1/potentials/?format=csv&page_size=1")
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "potentials.csv" in response["Content-Disposition"]
    lines = body(response).decode().splitlines()
    assert lines[0].startswith("slug,url,title,summary,stage,stage_label,region.slug")
    assert len(lines) == 1 + Potential.objects.published().count()
    (row,) = [line for line in lines if line.startswith("potential-0,")]
    assert "legacy-0; legacy-1; legacy-2" in row
    filtered = body(api.get("/api/v1/potentials/?format=csv&region=region-7"))
    assert filtered.decode().splitlines()[1].startswith("potential-7,")
