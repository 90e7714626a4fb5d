"""Bounds the API keeps whatever the data: queries per list, schema conformance."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import body

LISTS = [
    "regions",
    "partners",
    "projects",
    "publications",
    "themes",
    "categories",
    "legacy-types",
    "development-goals",
    "potentials",
    "good-practices",
    "policy-instruments",
]


def queries_for(api, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
        assert response.status_code == 200, body(response)
        body(response)
    return len(queries)


def test_every_list_makes_the_same_queries_whatever_the_page_size(api, many):
    for name in LISTS:
        small = queries_for(api, f"/api/v1/{name}/?page_size=1")
        large = queries_for(api, f"/api/v1/{name}/?page_size=100")
        assert len(api.get(f"/api/v1/{name}/?page_size=100").json()["results"]) == 100
        assert small == large, name
        geojson = {"regions", "potentials", "good-practices"}
        if name in geojson:
            assert queries_for(
                api, f"/api/v1/{name}/?format=geojson&page_size=1"
            ) == queries_for(api, f"/api/v1/{name}/?format=geojson&page_size=100")


def test_csv_export_reads_in_chunks_not_row_by_row(api, many, monkeypatch):
    """Streaming keeps memory flat; its queries grow with chunks, not records."""
    monkeypatch.setattr("api.renderers.CSV_CHUNK_SIZE", 50)
    queries = queries_for(api, "/api/v1/potentials/?format=csv")
    # Three chunks of 101 potentials, each with its one prefetch of legacy
    # types, plus the filter lookups: far fewer than one query per record.
    assert queries < 15
