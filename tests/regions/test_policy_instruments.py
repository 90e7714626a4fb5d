"""Policy instruments on the public pages: list, filters, detail, search, sitemap."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core.models import Link
from editorial.models import Status
from regions.models import PolicyInstrument
from tests.factories import GoodPracticeFactory, ProjectFactory, RegionFactory
from tests.helpers import sitemaps

pytestmark = pytest.mark.django_db

LIST_URL = "/en/policy-instruments/"


def instrument(**fields) -> PolicyInstrument:
    fields.setdefault("kind", PolicyInstrument.Kind.OPERATIONAL_PROGRAMME)
    fields.setdefault("country", "DE")
    return PolicyInstrument.objects.create(**fields)


@pytest.fixture
def instruments():
    region = RegionFactory(name="Lusatia", slug="lusatia")
    project = ProjectFactory(acronym="REMIXT", slug="remix-test")
    programme = instrument(
        name="Operational programme Brandenburg",
        slug="op-brandenburg",
        region=region,
        managing_authority="Ministry of Economics",
        programme="ERDF Brandenburg",
        period_start=2014,
        period_end=2020,
    )
    programme.projects.add(project)
    strategy = instrument(
        name="Innovation strategy Silesia",
        slug="ris-silesia",
        kind=PolicyInstrument.Kind.SMART_SPECIALISATION,
        country="PL",
    )
    Link.objects.create(
        content_type=ContentType.objects.get_for_model(PolicyInstrument),
        object_id=programme.pk,
        kind=Link.Kind.SOURCE,
        title="Programme page",
        url="https://example.org/op",
        accessed_on=datetime.date(2026, 11, 30),
    )
    published = GoodPracticeFactory(title="Published heat school")
    draft = GoodPracticeFactory(title="Draft heat school", status=Status.DRAFT)
    for practice in (published, draft):
        practice.policy_instruments.add(programme)
    return programme, strategy, project


def test_the_list_shows_every_instrument(instruments, client):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    programme, strategy, _project = instruments
    assert programme.get_absolute_url() in html
    assert strategy.get_absolute_url() in html
    assert "Smart specialisation strategy" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=smart_specialisation", {"ris-silesia"}),
        ("country=pl", {"ris-silesia"}),
        ("country=DE", {"op-brandenburg"}),
        ("project=remix-test", {"op-brandenburg"}),
        ("search=Silesia", {"ris-silesia"}),
    ],
)
def test_the_list_filters(instruments, client, query, expected):
    """(The seed's instruments are in the database too: only these two count.)"""
    response = client.get(f"{LIST_URL}?{query}")
    found = {record.slug for record in response.context["object_list"]}
    assert found & {"op-brandenburg", "ris-silesia"} == expected


def test_a_bad_filter_value_is_a_message_not_an_error(instruments, client):
    response = client.get(f"{LIST_URL}?kind=nonsense&project=nowhere&sort=up")
    assert response.status_code == 200
    assert response.context["filter_errors"]


def test_the_detail_page_shows_its_facts_projects_practices_and_sources(
    instruments, client
):
    programme, _strategy, project = instruments
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Operational programme Brandenburg",
        "Operational programme",
        "Lusatia",
        "Germany",
        "Ministry of Economics",
        "ERDF Brandenburg",
        "2014–2020",
        "Published heat school",
        "Programme page",
        "read on Nov. 30, 2026",
    ):
        assert text in html, text
    assert project.get_absolute_url() in html
    assert "Draft heat school" not in html


def test_an_unknown_instrument_is_not_found(client):
    assert client.get("/en/policy-instruments/no-such-thing/").status_code == 404


def test_the_project_page_lists_the_instruments_it_addresses(instruments, client):
    programme, strategy, project = instruments
    html = client.get(project.get_absolute_url()).content.decode()
    assert programme.get_absolute_url() in html
    assert strategy.get_absolute_url() not in html


# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_the_pages_make_the_same_queries_whatever_the_data(instruments, client):
    programme, _strategy, project = instruments

    def queries(url: str) -> int:
        cache.clear()  # Facet counts are kept per content version.
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    urls = [LIST_URL, programme.get_absolute_url(), project.get_absolute_url()]
    for url in urls:
        queries(url)
    few = [queries(url) for url in urls]
    for n in range(15):
        more = instrument(name=f"Instrument {n}", slug=f"instrument-{n}")
        more.projects.add(project, ProjectFactory())
        GoodPracticeFactory().policy_instruments.add(programme, more)
        programme.projects.add(ProjectFactory())
    assert [queries(url) for url in urls] == few


def test_the_navigation_links_the_list(client):
    html = client.get("/en/").content.decode()
    assert f'href="{LIST_URL}"' in html


def test_site_search_and_sitemap_find_instruments(seeded, client):
    response = client.get("/en/search/", {"q": "innovation strategy"})
    slugs = {hit.url for hit in response.context["hits"]}
    silesia = PolicyInstrument.objects.get(
        slug="lower-silesia-regional-innovation-strategy-2011-2020"
    )
    assert silesia.get_absolute_url() in slugs
    sitemap = b"".join(sitemaps(client).values()).decode()
    assert silesia.get_absolute_url() in sitemap
    assert "/en/policy-instruments/</loc>" in sitemap
