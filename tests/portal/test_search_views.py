"""The search pages: results across kinds, and suggestions for the search box."""

import pytest
from django.utils import translation

from editorial.models import Status
from potentials.models import Potential
from tests.factories import PotentialFactory

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
    assert f"Potentials</a> ({potentials})" in content


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
    assert "page=2" in first.context["next_url"]
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
    assert set(results[0]) == {"kind", "slug", "text"}


def test_suggest_endpoint_gives_nothing_for_short_or_missing_queries(db, client):
    for parameters in [{}, {"q": ""}, {"q": "l"}, {"q": "  a "}]:
        response = client.get("/en/search/suggest/", parameters)
        assert response.json() == {"results": []}


def test_suggest_endpoint_never_suggests_drafts(db, client):
    PotentialFactory(title="Hidden Quarzsandgrube", status=Status.DRAFT)
    assert client.get("/en/search/suggest/", {"q": "quarz"}).json() == {"results": []}


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
