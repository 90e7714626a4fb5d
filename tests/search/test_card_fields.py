"""A list page reads only what its cards show of a record: the same cards as
from whole records, and no query more."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from goodpractices.views import GoodPracticeListView
from potentials.views import PotentialListView
from regions.views import PartnerListView, RegionListView

pytestmark = pytest.mark.django_db


def cards(client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(path).content.decode()
    found = re.search(
        r'<ol class="cards[^"]*".*?</ol>|<ul class="cards[^"]*".*?</ul>', html, re.S
    )
    assert found, "no cards"
    return found.group(0), len(queries.captured_queries)


@override_settings(PAGE_CACHE=False)
@pytest.mark.parametrize(
    ("view", "path"),
    [
        (PotentialListView, "/{}/potentials/?sort=newest"),
        (GoodPracticeListView, "/{}/good-practices/?sort=newest"),
        (RegionListView, "/{}/regions/"),
        (PartnerListView, "/{}/partners/"),
    ],
)
@pytest.mark.parametrize("language", ["en", "de", "pl"])
def test_cards_from_their_fields_are_the_cards_of_whole_records(
    seeded, client, monkeypatch, view, path, language
):
    path = path.format(language)
    cards(client, path)  # Fills what pages keep per content version (the facets).
    narrow, narrow_queries = cards(client, path)
    assert narrow.count('class="card') >= 10
    monkeypatch.setattr(view, "get_card_fields", lambda self: [])
    whole, whole_queries = cards(client, path)
    assert narrow == whole
    assert narrow_queries == whole_queries
