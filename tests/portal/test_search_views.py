"""The search pages: results across kinds, and suggestions for the search box."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from editorial.models import Status
from potentials.models import Potential
from search.kinds import search_kinds
from tests.factories import (
    GoodPracticeFactory,
    PotentialFactory,
    PublicationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def test_results_page_shows_ranked_hits_with_headlines_and_kind_counts(seeded, client):
    response = client.get("/en/search/", {"q": "geothermal"})
    assert response.status_code == 200
    assert response.templates[0].name == "search/results.html"
    hits = response.context["hits"]
    assert "geothermal" in hits[0].record.title.lower()
    content = response.content.decode()
    assert "Geothermal energy from mine water" in content
    assert "<mark>geothermal</mark>" in content.lower()
    facets = {
        facet["kind"]: facet["count"] for facet in response.context["kind_facets"]
    }
    potentials = Potential.objects.published().search("geothermal").count()
    assert facets["potential"] == potentials > 1
    assert facets["project"] == 1
    assert f'kind=potential">Potentials <span class="count">{potentials}</span>' in (
        content
    )


def test_results_page_narrows_to_one_kind(seeded, client):
    response = client.get("/en/search/", {"q": "mining", "kind": "project"})
    assert {hit.kind for hit in response.context["hits"]} == {"project"}
    assert response.context["total"] == response.context["results"].counts["project"]


def test_results_page_is_in_the_readers_language(seeded, client):
    with translation.override("de"):
        response = client.get("/de/search/", {"q": "Grubenwasser"})
    content = response.content.decode()
    assert "Geothermische Energie aus Grubenwasser" in content
    assert "<mark>Grubenwasser</mark>" in content


def test_results_page_escapes_the_query_and_record_text(db, client):
    PotentialFactory(title="<b>Spoil</b> heap", summary="A <i>heap</i> of slag.")
    response = client.get("/en/search/", {"q": '<script>alert("x")</script> heap'})
    content = response.content.decode()
    assert "<script>alert" not in content
    assert response.context["total"] == 0
    response = client.get("/en/search/", {"q": "heap"})
    content = response.content.decode()
    assert "&lt;b&gt;Spoil&lt;/b&gt;" in content and "<i>" not in content


def test_results_page_pages_through_hits(db, client):
    for number in range(23):
        PotentialFactory(title=f"Slag heap {number}")
    first = client.get("/en/search/", {"q": "slag"})
    assert first.context["pages"] == 2 and len(first.context["hits"]) == 20
    assert 'href="?q=slag&amp;page=2" rel="next"' in first.content.decode()
    second = client.get("/en/search/", {"q": "slag", "page": 2})
    assert len(second.context["hits"]) == 3
    assert not {h.record for h in first.context["hits"]} & {
        h.record for h in second.context["hits"]
    }


def test_results_page_says_when_there_are_more_results_than_it_read(
    db, client, monkeypatch
):
    for number in range(4):
        PotentialFactory(title=f"Slag heap {number}")
    monkeypatch.setattr("portal.search_views.MAX_MATCHES", 2)
    response = client.get("/en/search/", {"q": "slag"})
    assert not response.context["results"].exact
    assert "More than 2 results" in response.content.decode()


def test_results_page_without_a_query_invites_one(db, client):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert response.context["hits"] == []
    assert "in your language" in response.content.decode()


def _statements(context) -> int:
    """Queries run, leaving out the savepoints of the request's transaction."""
    return sum(
        not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        for query in context.captured_queries
    )


# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_kind_facets_count_each_kind_from_a_bounded_number_of_queries(db, client):
    region = RegionFactory(name="Slag Valley")
    for number in range(3):
        PotentialFactory(title=f"Slag heap {number}", region=region)
    GoodPracticeFactory(title="Slag reuse", region=region)
    PotentialFactory(title="Slag heap draft", status=Status.DRAFT)

    def page(**parameters):
        with CaptureQueriesContext(connection) as context:
            response = client.get("/en/search/", {"q": "slag", **parameters})
        kinds = {hit.kind for hit in response.context["hits"]}
        return response, _statements(context), len(kinds)

    response, statements, kinds = page()
    facets = {f["kind"]: f["count"] for f in response.context["kind_facets"]}
    assert facets == {"potential": 3, "goodpractice": 1, "region": 1}
    assert response.context["all_count"] == 5
    # The typo check, the counts of every kind with the page's keys, then one
    # query for each kind on the page.
    assert statements == 2 + kinds == 5
    for number in range(30):
        PublicationFactory(title=f"Slag report {number}")
    response, statements, kinds = page()
    assert response.context["results"].counts["publication"] == 30
    assert statements == 2 + kinds <= 2 + len(search_kinds())
    response, statements, kinds = page(kind="goodpractice")
    assert [hit.record.title for hit in response.context["hits"]] == ["Slag reuse"]
    assert response.context["results"].counts["publication"] == 30
    assert statements == 3


def test_kind_facets_are_links_marking_the_current_kind(db, client):
    PotentialFactory(title="Slag heap", region=RegionFactory(name="Slag Valley"))
    content = client.get("/en/search/", {"q": "slag"}).content.decode()
    assert '<a href="?q=slag" aria-current="page">All kinds' in content
    assert '<a href="?q=slag&amp;kind=region">Regions' in content
    narrowed = client.get("/en/search/", {"q": "slag", "kind": "region"})
    content = narrowed.content.decode()
    assert '<a href="?q=slag">All kinds' in content
    assert '<a href="?q=slag&amp;kind=region" aria-current="page">Regions' in content
    assert [hit.kind for hit in narrowed.context["hits"]] == ["region"]
    # Each hit names its kind and its place.
    assert '<span class="kind-tag kind-region">Region</span>' in content
    assert '<span class="search-hit-place">Germany</span>' in content


def test_results_page_past_the_last_page_shows_the_last(db, client):
    for number in range(23):
        PotentialFactory(title=f"Slag heap {number}")
    response = client.get("/en/search/", {"q": "slag", "page": 7})
    assert response.context["page"] == 2 and len(response.context["hits"]) == 3
    assert 'aria-current="page"' in response.content.decode()


@pytest.mark.parametrize(
    ("parameters", "notice"),
    [
        ({"q": "slag\x00heap"}, "Characters that cannot be searched were left out."),
        ({"q": "heap " * 2000}, "Only the first 200 characters of the search"),
        ({"q": "?!… – ()"}, "has no words to search for"),
        ({"q": "heap", "kind": "users"}, "There is no kind of record called “users”"),
    ],
)
def test_bad_input_gives_the_results_page_with_a_notice(db, client, parameters, notice):
    PotentialFactory(title="Slag heap")
    response = client.get("/en/search/", parameters)
    assert response.status_code == 200
    content = response.content.decode()
    assert notice in content
    assert "\x00" not in content


@pytest.mark.parametrize(
    "parameters",
    [
        {"q": "x" * 5000},
        {"q": "a & b | !c :* ("},
        {"q": "\x00heap"},
        {"q": "heap", "page": "-3"},
        {"q": "heap", "page": "999999"},
        {"q": "heap", "page": "two"},
        {"q": "heap", "kind": "users"},
        {"q": ["heap", "slag"]},
    ],
)
def test_bad_input_never_fails_the_results_page(db, client, parameters):
    PotentialFactory(title="Slag heap")
    assert client.get("/en/search/", parameters).status_code == 200


def test_suggest_endpoint_returns_suggestions_as_json(seeded, client):
    response = client.get("/en/search/suggest/", {"q": "lusat"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert {(r["kind"], r["slug"]) for r in results} == {
        ("potential", "lusatian-lake-district"),
        ("region", "lower-lusatia"),
    }
    assert set(results[0]) == {"kind", "label", "slug", "text", "url"}
    assert {(r["label"], r["url"]) for r in results} == {
        ("Potential", "/en/potentials/lusatian-lake-district/"),
        ("Region", "/en/regions/lower-lusatia/"),
    }
    assert response.json()["message"].startswith("2 suggestions.")


def test_suggestions_carry_the_records_url_in_the_readers_language(db, client):
    region = RegionFactory(name="Quarzland", slug="quarzland")
    potential = PotentialFactory(title="Quarzsandgrube", slug="quarz-pit")
    with translation.override("de"):
        response = client.get("/de/search/suggest/", {"q": "quarz"})
        expected = {
            ("region", "/de/regions/quarzland/"),
            ("potential", potential.get_absolute_url()),
        }
    results = response.json()["results"]
    assert {(r["kind"], r["url"]) for r in results} == expected
    assert region.get_absolute_url() == "/en/regions/quarzland/"


def test_suggest_endpoint_gives_nothing_for_short_or_missing_queries(db, client):
    for parameters in [{}, {"q": ""}, {"q": "l"}, {"q": "  a "}]:
        response = client.get("/en/search/suggest/", parameters)
        assert response.json() == {"results": [], "message": ""}


def test_suggest_endpoint_never_suggests_drafts(db, client):
    PotentialFactory(title="Hidden Quarzsandgrube", status=Status.DRAFT)
    assert client.get("/en/search/suggest/", {"q": "quarz"}).json()["results"] == []


@pytest.mark.parametrize(
    "parameters",
    [{"q": "x" * 5000}, {"q": "\x00"}, {"q": "he", "limit": "lots"}, {"q": "'&|!"}],
)
def test_bad_input_never_fails_the_suggest_endpoint(db, client, parameters):
    assert client.get("/en/search/suggest/", parameters).status_code == 200


def test_every_page_has_the_search_box(db, client):
    for page in ("/en/", "/en/potentials/", "/de/about/"):
        content = client.get(page).content.decode()
        language = page.split("/")[1]
        assert 'role="search"' in content
        assert f'action="/{language}/search/"' in content
        assert f'data-suggest-url="/{language}/search/suggest/"' in content
