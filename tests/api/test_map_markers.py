"""/api/v1/map-markers/: a map's clusters and points, counted by the database.

The records are made in the South Atlantic, where the seed content has none, so
that each test knows every record in its area.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from editorial.models import Status
from search.maps import cell_size
from tests.api.conftest import token_headers
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    PartnerFactory,
    PotentialFactory,
    RegionFactory,
    staff_user,
)

URL = "/api/v1/map-markers/"
# The ocean at zoom 3: one cell of 11.25 degrees, west,south,east,north.
OCEAN = "-22.5,-45,-11.25,-33.75"
SPOTS = [(-40.0, -20.0), (-40.01, -20.01), (-41.5, -21.5)]


@pytest.fixture
def shared(seeded):
    """What records share, so that making many stays quick."""
    partner = PartnerFactory()
    return {
        "region": partner.region,
        "category": CategoryFactory(),
        "owner": partner,
    }


def place(shared, spots, **kwargs):
    return [
        PotentialFactory(latitude=lat, longitude=lon, **shared, **kwargs)
        for lat, lon in spots
    ]


def markers(api, query: str, **headers):
    response = api.get(f"{URL}?{query}", headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_cell_of_several_records_is_a_cluster_that_splits_as_the_map_zooms_in(
    api, shared
):
    place(shared, SPOTS)
    far = markers(api, f"records=potential&bbox={OCEAN}&zoom=3")
    assert far["points"] == []
    [cluster] = far["clusters"]
    assert cluster["count"] == 3
    assert cluster["bbox"] == [-21.5, -41.5, -20.0, -40.0]
    assert cluster["lat"] == pytest.approx(sum(lat for lat, _ in SPOTS) / 3)
    # The count and extent are of every record with a place, in view or not.
    mine = markers(
        api, f"records=potential&region={shared['region'].slug}&bbox={OCEAN}&zoom=3"
    )
    assert mine["count"] == 3 and mine["extent"] == [-21.5, -41.5, -20.0, -40.0]
    assert far["cell"] == cell_size(3) == 11.25

    # Closer, the two nearest still share a cell, the third is alone in its own.
    middle = markers(api, f"records=potential&bbox={OCEAN}&zoom=7")
    assert [c["count"] for c in middle["clusters"]] == [2]
    assert [(p["lat"], p["lon"]) for p in middle["points"]] == [(-41.5, -21.5)]

    close = markers(api, "records=potential&bbox=-20.1,-40.1,-19.9,-39.9&zoom=14")
    assert close["clusters"] == []
    assert sorted((p["lat"], p["lon"]) for p in close["points"]) == sorted(SPOTS[:2])
    point = close["points"][0]
    assert point["kind"] == "potential"
    assert point["title"].startswith("Potential ")
    assert point["lang"] == "en"
    assert point["url"].startswith("http://testserver/en/potentials/potential-")


def test_titles_and_links_are_in_the_readers_language(api, shared):
    [translated] = place(shared, SPOTS[:1], title_de="Auf Deutsch")
    place(shared, SPOTS[2:])
    answer = markers(api, f"records=potential&bbox={OCEAN}&zoom=7&lang=de")
    titles = {point["title"]: point for point in answer["points"]}
    assert titles["Auf Deutsch"]["lang"] == "de"
    assert titles["Auf Deutsch"]["url"].endswith(f"/de/potentials/{translated.slug}/")
    [english] = [point for point in answer["points"] if point["lang"] == "en"]
    assert english["title"].startswith("Potential ")


def test_drafts_never_appear_whoever_asks(api, shared):
    place(shared, SPOTS[:1])
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        place(shared, SPOTS[2:], status=status)
    moderator = staff_user(shared["owner"], user__is_superuser=True)
    for headers in ({}, token_headers(moderator)):
        answer = markers(api, f"records=potential&bbox={OCEAN}&zoom=3", **headers)
        assert len(answer["points"]) == 1 and answer["clusters"] == []


def test_the_lists_filters_apply_and_kinds_mix(api, shared):
    place(shared, SPOTS[:1], stage="implemented")
    place(shared, SPOTS[2:], stage="identified")
    GoodPracticeFactory(latitude=-40.0, longitude=-20.0, region=shared["region"])
    RegionFactory(latitude=-41.5, longitude=-21.5)
    implemented = markers(
        api, f"records=potential&stage=implemented&bbox={OCEAN}&zoom=7"
    )
    assert [point["lat"] for point in implemented["points"]] == [-40.0]

    everything = markers(
        api,
        f"records=potential&records=goodpractice&records=region&bbox={OCEAN}&zoom=7",
    )
    assert everything["points"] == []
    assert sorted(c["count"] for c in everything["clusters"]) == [2, 2]

    # A filter every kind asked for has: the region's records.
    region = shared["region"].slug
    of_region = markers(
        api,
        f"records=potential&records=goodpractice&region={region}&bbox={OCEAN}&zoom=3",
    )
    assert of_region["count"] == 3


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("bbox=-20,-40,-19,-39&zoom=3", "records"),
        ("records=mine&bbox=-20,-40,-19,-39&zoom=3", "records"),
        ("records=potential&zoom=3", "bbox"),
        ("records=potential&bbox=-20,-40,-19&zoom=3", "bbox"),
        ("records=potential&bbox=-200,-40,-19,-39&zoom=3", "bbox"),
        ("records=potential&bbox=-19,-40,-20,-39&zoom=3", "bbox"),
        ("records=potential&bbox=nan,-40,-20,-39&zoom=3", "bbox"),
        # The whole earth at zoom 12: millions of cells.
        ("records=potential&bbox=-180,-90,180,90&zoom=12", "bbox"),
        ("records=potential&bbox=-20,-40,-19,-39", "zoom"),
        ("records=potential&bbox=-20,-40,-19,-39&zoom=19", "zoom"),
        ("records=potential&bbox=-20,-40,-19,-39&zoom=-1", "zoom"),
        ("records=potential&bbox=-20,-40,-19,-39&zoom=2.5", "zoom"),
        ("records=potential&bbox=-20,-40,-19,-39&zoom=3&theme=nope", "theme"),
        ("records=potential&bbox=-20,-40,-19,-39&zoom=3&stage=nope", "stage"),
        ("records=potential&bbox=-20,-40,-19,-39&zoom=3&lang=xx", "lang"),
        # Development stages are the potentials' alone.
        (
            "records=potential&records=region&bbox=-20,-40,-19,-39&zoom=3&stage=piloted",
            "stage",
        ),
    ],
)
def test_bad_input_answers_400_naming_the_parameter(api, seeded, query, parameter):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert parameter in response.json()


def test_the_answer_is_bounded_by_the_cells_in_view_not_by_the_records(api, shared):
    """Five records or sixty in the same places: the same entries, the same
    number of queries."""
    spots = [(-40.0, -20.0), (-35.0, -15.0)]
    place(shared, spots * 3)
    region = shared["region"].slug
    query = (
        f"records=potential&records=goodpractice&region={region}&bbox={OCEAN}&zoom=5"
    )
    with CaptureQueriesContext(connection) as few_queries:
        few = api.get(f"{URL}?{query}")
    place(shared, spots * 27)
    GoodPracticeFactory.create_batch(
        10, latitude=-40.0, longitude=-20.0, region=shared["region"]
    )
    with CaptureQueriesContext(connection) as many_queries:
        many = api.get(f"{URL}?{query}")
    assert few.json()["count"] == 6 and many.json()["count"] == 70
    assert len(few.json()["clusters"]) == len(many.json()["clusters"]) == 2
    assert few.json()["points"] == many.json()["points"] == []
    assert len(many.content) - len(few.content) < 10
    assert len(few_queries) == len(many_queries)


def test_a_repeated_view_is_answered_from_the_cache(api, shared):
    place(shared, SPOTS)
    first = api.get(f"{URL}?records=potential&bbox={OCEAN}&zoom=3")
    with CaptureQueriesContext(connection) as queries:
        again = api.get(f"{URL}?zoom=3&bbox={OCEAN}&records=potential")
    assert again.content == first.content
    # The content version alone: the answer is the cached one.
    assert len(queries) == 1
    unchanged = api.get(
        f"{URL}?records=potential&bbox={OCEAN}&zoom=3",
        headers={"if-none-match": first["ETag"]},
    )
    assert unchanged.status_code == 304


def test_list_pages_carry_no_markers_but_the_address_of_their_selection(client, shared):
    place(shared, SPOTS * 5)
    response = client.get("/de/potentials/?stage=identified&sort=title&page=2")
    html = response.content.decode()
    assert 'class="map-points"' not in html
    assert (
        'data-markers-url="/api/v1/map-markers/?records=potential&amp;'
        'stage=identified&amp;lang=de"' in html
    )
    # htmx replaces the list and its map, with the new filters' address.
    partial = client.get(
        "/en/good-practices/?status=ongoing", headers={"hx-request": "true"}
    ).content.decode()
    assert "<html" not in partial
    assert (
        'data-markers-url="/api/v1/map-markers/?records=goodpractice&amp;'
        'status=ongoing&amp;lang=en"' in partial
    )


def test_region_and_project_pages_ask_for_their_records_markers(client, seeded):
    region = client.get("/en/regions/lower-lusatia/").content.decode()
    assert (
        "/api/v1/map-markers/?records=potential&amp;records=goodpractice&amp;"
        "region=lower-lusatia&amp;lang=en" in region
    )
    # The region's own place is the one point the page carries.
    assert region.count('"kind": "region"') + region.count('"kind":"region"') == 1
    assert '"kind": "potential"' not in region and '"kind":"potential"' not in region
    project = client.get("/en/projects/remix/").content.decode()
    assert "records=goodpractice&amp;project=remix&amp;lang=en" in project
    assert 'class="map-points"' not in project
    # A project none of whose records has a place shows no map.
    assert "map-markers" not in client.get("/en/projects/resource/").content.decode()
