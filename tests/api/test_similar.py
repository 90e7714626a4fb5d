"""`<record>/similar/` in the API, and the bounds of the pages that show similar
records."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from editorial.models import Status
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    PotentialFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


class World:
    """A potential and a good practice, and records like them, grown in batches."""

    def __init__(self):
        self.category = CategoryFactory(name="Heat")
        self.legacy_type = LegacyTypeFactory(name="Pit water")
        self.region = RegionFactory(country="MT")
        self.potential = self.new_potential(title="Zorblax quuxwell")
        self.practice = self.new_practice(title="Zorblax quuxwell")

    def new_potential(self, **kwargs):
        potential = PotentialFactory(
            category=self.category, region=self.region, **kwargs
        )
        potential.legacy_types.add(self.legacy_type, LegacyTypeFactory())
        return potential

    def new_practice(self, **kwargs):
        practice = GoodPracticeFactory(region=self.region, **kwargs)
        practice.categories.add(self.category)
        practice.legacy_types.add(self.legacy_type)
        practice.themes.add(self.category.theme)
        return practice

    def grow(self, count: int) -> None:
        for _ in range(count):
            self.new_potential()
            self.new_practice()


@pytest.fixture
def world(seeded):
    return World()


def test_the_similar_potentials_of_a_potential(world, api):
    twin = world.new_potential(title="Zorblax twin")
    response = api.get(f"/api/v1/potentials/{world.potential.slug}/similar/")
    assert response.status_code == 200
    data = response.json()
    assert [row["slug"] for row in data] == [twin.slug]
    (row,) = data
    assert row["url"].endswith(f"/api/v1/potentials/{twin.slug}/")
    assert row["category"]["slug"] == world.category.slug
    assert row["region"]["slug"] == world.region.slug
    assert {reason["trait"] for reason in row["reasons"]} == {
        "category",
        "legacy_type",
        "region",
        "text",
    }
    legacy = next(r for r in row["reasons"] if r["trait"] == "legacy_type")
    assert legacy == {
        "trait": "legacy_type",
        "label": "both use",
        "values": [{"code": world.legacy_type.slug, "name": "Pit water"}],
        "text": "both use: Pit water",
    }
    assert row["score"] > 0


def test_the_similar_good_practices_of_a_practice(world, api):
    twin = world.new_practice()
    world.new_practice(status=Status.DRAFT)
    response = api.get(f"/api/v1/good-practices/{world.practice.slug}/similar/")
    assert [row["slug"] for row in response.json()] == [twin.slug]
    assert {reason["trait"] for reason in response.json()[0]["reasons"]} == {
        "category",
        "legacy_type",
        "theme",
        "region",
    }


def test_a_drafts_similar_records_are_hidden_as_its_detail_is(world, api):
    draft = world.new_potential(status=Status.DRAFT)
    draft_practice = world.new_practice(status=Status.DRAFT)
    assert api.get(f"/api/v1/potentials/{draft.slug}/").status_code == 404
    assert api.get(f"/api/v1/potentials/{draft.slug}/similar/").status_code == 404
    assert (
        api.get(f"/api/v1/good-practices/{draft_practice.slug}/similar/").status_code
        == 404
    )
    assert api.get("/api/v1/potentials/no-such-thing/similar/").status_code == 404
    # A published record's similar records never include the draft.
    listed = api.get(f"/api/v1/potentials/{world.potential.slug}/similar/").json()
    assert draft.slug not in {row["slug"] for row in listed}


def test_the_similar_endpoints_are_in_the_schema(api):
    schema = api.get("/api/v1/schema/", headers={"accept": "application/json"})
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/potentials/{slug}/similar/",
        "/api/v1/good-practices/{slug}/similar/",
    ):
        operation = paths[path]["get"]
        assert set(operation["responses"]) >= {"200", "404"}


def query_count(api, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = api.get(url)
        assert response.status_code == 200, url
    return len(context.captured_queries)


# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_pages_and_endpoints_with_similar_records_keep_their_query_count(world, api):
    world.grow(1)
    urls = [
        world.potential.get_absolute_url(),
        world.practice.get_absolute_url(),
        f"/api/v1/potentials/{world.potential.slug}/similar/",
        f"/api/v1/good-practices/{world.practice.slug}/similar/",
        "/en/utilisation-matrix/",
    ]
    for url in urls:
        query_count(api, url)  # Caches that pages share (content types).

    def computed(url: str) -> int:
        cache.clear()  # The matrix's counts are kept per content version.
        return query_count(api, url)

    few = [computed(url) for url in urls]
    world.grow(30)
    many = [computed(url) for url in urls]
    assert few == many
    page = api.get(world.potential.get_absolute_url()).content.decode()
    assert "Similar potentials" in page
    assert "Good practices with the same legacy and use" in page
    practice_page = api.get(world.practice.get_absolute_url()).content.decode()
    assert "Similar good practices" in practice_page
    assert "Potentials that could use this practice" in practice_page
