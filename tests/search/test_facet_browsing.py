"""A list page's facets: counted in one statement, kept per content version, the
values with the most records shown and the others found by a search."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from potentials.filters import PotentialFilter
from potentials.models import Potential
from tests.factories import CategoryFactory, PotentialFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    """Twelve Icelandic regions (the seed has none: `?country=IS` keeps only
    these), the first with the most potentials; one named with accents."""
    category = CategoryFactory()
    names = [f"Region {index:02}" for index in range(11)] + ["Łużyce Górne"]
    made = []
    for index, name in enumerate(names):
        region = RegionFactory(name=name, slug=f"is-region-{index:02}", country="IS")
        for _ in range(1 if index else 3):
            PotentialFactory(region=region, category=category)
        made.append(region)
    cache.clear()
    return made


def counts(query: str = "") -> dict:
    return PotentialFilter(
        QueryDict(query), queryset=Potential.objects.published()
    ).facet_counts()


def test_facet_counts_are_counted_once_per_content_version(regions):
    with CaptureQueriesContext(connection) as first:
        counted = counts("country=IS")
    with CaptureQueriesContext(connection) as again:
        assert counts("country=IS") == counted
    # The version, the one statement for every facet and the selection's count
    # (a list's pagination: kept with them)…
    assert len(first.captured_queries) == 3
    # …then the version alone.
    assert len(again.captured_queries) == 1
    assert counted["region"]["is-region-00"] == 3
    PotentialFactory(region=regions[0], category=regions[0].potentials.first().category)
    # A change moves the version: counted anew, never stale.
    assert counts("country=IS")["region"]["is-region-00"] == 4


def test_a_list_counts_a_selection_once_per_content_version(client, regions):
    """Its facets and its number of records, for every page of it and however
    its values are ordered; a change counts them anew."""

    def counting(query: str) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/en/potentials/?{query}").content.decode()
        return page, [
            q["sql"]
            for q in queries
            if "COUNT(" in q["sql"] and "LIMIT" not in q["sql"]
        ]

    page, first = counting("country=IS&region=is-region-00&region=is-region-01")
    assert len(first) == 2  # the facets' statement and the selection's count
    assert "4 results" in page
    page, again = counting("region=is-region-01&country=IS&region=is-region-00&page=2")
    assert again == []
    assert "4 results" in page
    # Another selection, another count.
    assert len(counting("country=IS")[1]) == 2
    PotentialFactory(region=regions[1], category=regions[1].potentials.first().category)
    page, anew = counting("country=IS&region=is-region-00&region=is-region-01")
    assert len(anew) == 2
    assert "5 results" in page


def test_each_facet_counts_every_filter_but_its_own(regions):
    counted = counts("country=IS&region=is-region-01&region=is-region-02")
    # The region facet ignores the region filter…
    assert len(counted["region"]) == 12
    # …the others count the two regions' potentials.
    assert counted["country"] == {"IS": 2}


def test_a_facet_with_many_values_shows_the_ones_with_most_records(client, regions):
    page = client.get("/en/potentials/?country=IS").content.decode()
    assert 'name="region" value="is-region-00"' in page
    assert page.count('name="region" value=') == 10
    assert 'id="facet-region-search"' in page
    assert "Show all 12 values" in page


def test_a_chosen_value_is_shown_beyond_the_first_ten(client, regions):
    page = client.get("/en/potentials/?country=IS&region=is-region-11").content
    assert re.search(rb'name="region" value="is-region-11" id="[^"]+" checked', page)


def test_a_facet_search_answers_htmx_with_the_matching_options(client, regions):
    response = client.get(
        "/en/potentials/?country=IS&facet=region&facet_q=luzyce",
        headers={"HX-Request": "true", "HX-Target": "facet-region-options"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<ul class="facet-options" id="facet-region-options">')
    assert 'value="is-region-11"' in page
    assert page.count('name="region"') == 1
    # The live status beside the options says how many match.
    assert 'hx-swap-oob="innerHTML">1 value matches.' in page


def test_without_javascript_the_facet_search_is_a_page(client, regions):
    page = client.get(
        "/en/potentials/?country=IS&facet=region&facet_q=region+0"
    ).content
    page = page.decode()
    assert page.count('name="region" value=') == 10  # Region 00 to Region 09.
    assert "<html" in page
    every = client.get("/en/potentials/?country=IS&facet=region").content.decode()
    assert every.count('name="region" value=') == 12


def test_a_bad_facet_search_is_no_error(client, regions):
    response = client.get("/en/potentials/?facet=nonsense&facet_q=" + "x" * 500)
    assert response.status_code == 200
