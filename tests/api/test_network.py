"""The API's actor networks and policy instruments."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from api.caching import local_answers
from editorial.models import Status
from regions.models import PolicyInstrument, Sector
from tests.api.conftest import token_headers
from tests.api.test_bounds import queries_for
from tests.factories import GoodPracticeFactory, staff_user
from tests.regions.test_network import Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Network:
    return Network()


def region_url(world: Network) -> str:
    return f"/api/v1/regions/{world.region.slug}/network/"


def test_a_regions_network_in_the_api(world, api):
    response = api.get(region_url(world))
    assert response.status_code == 200
    data = response.json()
    assert data["scope"] == "region"
    assert {node["slug"] for node in data["nodes"]} == {
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "eta",
    }
    gamma = next(node for node in data["nodes"] if node["slug"] == "gamma")
    assert gamma["sector"] == Sector.RESEARCH_EDUCATION
    assert gamma["sector_label"] == "Research and education"
    assert gamma["level"] == "national" and gamma["level_label"] == "National"
    ties = {(tie["source"], tie["target"]): tie for tie in data["ties"]}
    assert set(ties) == {
        ("alpha", "beta"),
        ("alpha", "gamma"),
        ("beta", "gamma"),
        ("beta", "epsilon"),
    }
    assert ties[("alpha", "gamma")]["kinds"] == ["project", "potential"]
    assert [p["slug"] for p in ties[("alpha", "gamma")]["potentials"]] == ["lake-heat"]
    assert [p["acronym"] for p in ties[("alpha", "beta")]["projects"]] == [
        "XPROJ",
        "YPROJ",
    ]
    assert [p["title"] for p in ties[("beta", "epsilon")]["good_practices"]] == [
        "Heat school"
    ]
    assert {row["value"]: row["count"] for row in data["by_sector"]} == {
        "public_administration": 2,
        "politics": 1,
        "business": 1,
        "civil_society": 1,
        "research_education": 1,
        "": 0,
    }
    assert {row["value"]: row["count"] for row in data["by_level"]} == {
        "local": 2,
        "regional": 1,
        "national": 1,
        "european": 1,
        "": 1,
    }


def test_a_projects_network_in_the_api(world, api):
    data = api.get(f"/api/v1/projects/{world.x.slug}/network/").json()
    assert data["scope"] == "project"
    assert [node["slug"] for node in data["nodes"]] == ["alpha", "beta", "gamma"]
    # XPROJ itself ties no one: alpha and beta share YPROJ, alpha and gamma a
    # potential.
    assert len(data["ties"]) == 2


def test_drafts_tie_no_one_even_for_their_editors(world, api):
    """The network counts only published records, whoever asks."""
    for headers in ({}, token_headers(staff_user(world.a))):
        data = api.get(region_url(world), headers=headers).json()
        pairs = {(tie["source"], tie["target"]) for tie in data["ties"]}
        assert ("alpha", "delta") not in pairs
        assert "phi" not in {node["slug"] for node in data["nodes"]}
        assert "secret" not in str(data).lower()


def test_an_unknown_region_or_project_is_a_json_404(api):
    for url in ("/api/v1/regions/nowhere/network/", "/api/v1/projects/no/network/"):
        response = api.get(url)
        assert response.status_code == 404
        assert "detail" in response.json()


def test_the_network_endpoints_make_the_same_queries_whatever_the_size(world, api):
    urls = [region_url(world), f"/api/v1/projects/{world.x.slug}/network/"]
    small = [queries_for(api, url) for url in urls]
    assert all(small)
    world.grow(15)
    # Tests never commit, so the cache's generation does not move by itself.
    cache.clear()
    local_answers.clear()
    assert [queries_for(api, url) for url in urls] == small


def test_network_answers_are_cached_for_anonymous_clients(world, api):
    first = api.get(region_url(world))
    again = api.get(region_url(world), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


# --- Policy instruments ------------------------------------------------------------


def test_policy_instruments_list_detail_and_filters(seeded, api):
    slug = "lower-silesia-regional-innovation-strategy-2011-2020"
    listed = api.get("/api/v1/policy-instruments/").json()
    assert slug in {row["slug"] for row in listed["results"]}
    filtered = api.get(
        "/api/v1/policy-instruments/",
        {"kind": "smart_specialisation", "country": "pl", "project": "remix"},
    ).json()
    assert [row["slug"] for row in filtered["results"]] == [slug]
    assert (
        api.get("/api/v1/policy-instruments/", {"country": "at"}).json()["count"] == 0
    )
    detail = api.get(f"/api/v1/policy-instruments/{slug}/").json()
    assert detail["managing_authority"] == "Marshal's Office of Lower Silesia"
    assert detail["period_start"] == 2011 and detail["period_end"] == 2020
    assert [project["slug"] for project in detail["projects"]] == ["remix"]
    assert detail["links"] and all(link["accessed_on"] for link in detail["links"])
    bad = api.get("/api/v1/policy-instruments/", {"kind": "nonsense"})
    assert bad.status_code == 400 and "kind" in bad.json()


def test_an_instruments_draft_practices_are_hidden_from_the_public(seeded, api):
    instrument = PolicyInstrument.objects.order_by("slug").first()
    published = GoodPracticeFactory(title="Published practice")
    draft = GoodPracticeFactory(title="Draft practice", status=Status.DRAFT)
    for practice in (published, draft):
        practice.policy_instruments.add(instrument)
    detail = api.get(f"/api/v1/policy-instruments/{instrument.slug}/").json()
    assert [practice["slug"] for practice in detail["good_practices"]] == [
        published.slug
    ]
    editor = staff_user(draft.owner)
    detail = api.get(
        f"/api/v1/policy-instruments/{instrument.slug}/",
        headers=token_headers(editor),
    ).json()
    assert {practice["slug"] for practice in detail["good_practices"]} == {
        published.slug,
        draft.slug,
    }


def test_partners_have_their_sector_and_level_in_the_api(seeded, api):
    data = api.get("/api/v1/partners/ioer/").json()
    assert data["sector"] == "research_education"
    assert data["sector_label"] == "Research and education"
    assert data["level"] == "national" and data["level_label"] == "National"
