"""A list page's selection, taken away: the CSV, GeoJSON, API and feed links of a
filtered list give exactly the list's records."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import override_settings

from api.caching import local_answers
from editorial.models import Status
from regions.models import PolicyInstrument
from tests.factories import (
    GoodPracticeFactory,
    MembershipFactory,
    PotentialFactory,
    ProjectFactory,
    PublicationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Test transactions never commit: the API's cache would not see the factories.
    cache.clear()
    local_answers.clear()
    yield
    cache.clear()
    local_answers.clear()


def _located(**kwargs):
    return {"latitude": 50.5, "longitude": 13.6, **kwargs}


def potentials():
    inside, outside = RegionFactory(), RegionFactory()
    PotentialFactory(region=inside, **_located())
    PotentialFactory(region=inside)
    PotentialFactory(region=inside, status=Status.DRAFT)
    PotentialFactory(region=outside)
    return "/en/potentials/", {"region": inside.slug, "sort": "newest"}


def good_practices():
    inside, outside = RegionFactory(), RegionFactory()
    GoodPracticeFactory(region=inside, **_located())
    GoodPracticeFactory(region=inside)
    GoodPracticeFactory(region=inside, status=Status.IN_REVIEW)
    GoodPracticeFactory(region=outside)
    return "/en/good-practices/", {"region": inside.slug, "sort": "title"}


def regions():
    project = ProjectFactory()
    for region in (RegionFactory(**_located()), RegionFactory()):
        MembershipFactory(project=project, partner__region=region)
    RegionFactory()
    return "/en/regions/", {"project": project.slug, "sort": "country"}


def partners():
    project = ProjectFactory()
    MembershipFactory.create_batch(2, project=project)
    MembershipFactory()
    return "/en/partners/", {"project": project.slug, "sort": "name"}


def projects():
    membership = MembershipFactory()
    MembershipFactory(partner=membership.partner)
    MembershipFactory()
    return "/en/projects/", {"partner": membership.partner.slug, "sort": "newest"}


def publications():
    project = ProjectFactory()
    PublicationFactory.create_batch(2, project=project)
    PublicationFactory()
    return "/en/publications/", {"project": project.slug, "sort": "title"}


def policy_instruments():
    project = ProjectFactory()
    for number in range(3):
        instrument = PolicyInstrument.objects.create(
            name=f"Instrument {number}",
            slug=f"instrument-{number}",
            kind=PolicyInstrument.Kind.choices[0][0],
        )
        if number < 2:
            instrument.projects.add(project)
    return "/en/policy-instruments/", {"project": project.slug, "sort": "name"}


def downloads(html: str) -> dict[str, str]:
    """The links of the download block, by their type."""
    block = re.search(r'<section class="downloads".*?</section>', html, re.S)
    assert block, "no download block"
    return {
        kind: unescape(href)
        for href, kind in re.findall(r'<a href="([^"]+)" type="([^"]+)"', block[0])
    }


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    "make",
    [
        potentials,
        good_practices,
        regions,
        partners,
        projects,
        publications,
        policy_instruments,
    ],
)
def test_every_download_of_a_filtered_list_gives_its_records(seeded, client, make):
    path, query = make()
    page = client.get(path, {**query, "page": "1"})
    assert page.status_code == 200
    listed = {record.slug for record in page.context["paginator"].object_list}
    assert 0 < len(listed) < page.context["paginator"].per_page
    html = page.content.decode()
    assert f"{len(listed)} records, with the filters and search chosen above" in html
    links = downloads(html)

    api = links["application/json"]
    assert api.startswith("/api/v1/")
    params = parse_qs(urlsplit(api).query)
    assert "page" not in params and "sort" not in params
    assert params["ordering"] and params["lang"] == ["en"]
    answer = client.get(api)
    assert answer.status_code == 200, answer.content
    assert {row["slug"] for row in answer.json()["results"]} == listed

    exported = _body(client.get(links["text/csv"])).decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {row["slug"] for row in rows} == listed

    feed = ET.fromstring(client.get(links["application/atom+xml"]).content)
    entry_links = [
        entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")
    ]
    assert {href.rstrip("/").rsplit("/", 1)[-1] for href in entry_links} == listed

    geojson = links.get("application/geo+json")
    if path in ("/en/potentials/", "/en/good-practices/", "/en/regions/"):
        collection = json.loads(client.get(geojson).content)
        assert collection["type"] == "FeatureCollection"
        assert {feature["id"] for feature in collection["features"]} == listed
        assert any(feature["geometry"] for feature in collection["features"])
    else:
        assert geojson is None


def test_the_downloads_follow_the_readers_language_and_search(seeded, client):
    potential = PotentialFactory(title="Quarzsandgrube Wunderwald")
    PotentialFactory(region=potential.region)
    links = downloads(client.get("/de/potentials/", {"search": "Wunderwald"}).text)
    assert parse_qs(urlsplit(links["application/json"]).query) == {
        "search": ["Wunderwald"],
        "lang": ["de"],
    }
    assert links["application/atom+xml"].startswith("/de/potentials/feed.atom?")
    answer = client.get(links["application/json"])
    assert [row["slug"] for row in answer.json()["results"]] == [potential.slug]
    assert answer["Content-Language"] == "de"


def test_a_list_with_filters_it_cannot_apply_offers_no_downloads(seeded, client):
    html = client.get("/en/potentials/", {"bbox": "nonsense"}).content.decode()
    assert 'class="downloads"' not in html
    assert client.get("/en/potentials/feed.atom", {"bbox": "x"}).status_code == 400


def test_the_feed_of_a_selection_is_atom_with_plain_text_summaries(seeded, client):
    region = RegionFactory()
    PotentialFactory(region=region, summary="Heat <b>&</b> water from the pit.")
    response = client.get("/en/potentials/feed.atom", {"region": region.slug})
    assert response["Content-Type"].startswith("application/atom+xml")
    assert response["Last-Modified"]
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{element}") is not None, element
    assert (
        feed.find(f"{ATOM}link[@rel='alternate']")
        .get("href")
        .endswith(f"/en/potentials/?region={region.slug}")
    )
    (entry,) = feed.findall(f"{ATOM}entry")
    for element in ("id", "title", "updated", "link"):
        assert entry.find(f"{ATOM}{element}") is not None, element
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "Heat <b>&</b> water from the pit."


def test_feeds_of_records_without_dates_carry_when_data_last_changed(seeded, client):
    response = client.get("/en/regions/feed.atom", {"country": "DE"})
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert entries and all(entry.find(f"{ATOM}updated").text for entry in entries)


@pytest.mark.parametrize("path", ["/en/potentials/", "/en/good-practices/"])
# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_a_feed_reads_its_records_in_one_query(
    seeded, client, django_assert_max_num_queries, path
):
    # One SELECT and the content version (for the dates), inside the request's
    # savepoint and its release.
    with django_assert_max_num_queries(4):
        response = client.get(f"{path}feed.atom")
    assert len(ET.fromstring(response.content).findall(f"{ATOM}entry")) > 10
