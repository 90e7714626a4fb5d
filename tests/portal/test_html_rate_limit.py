"""Anonymous pages and searches per client address (portal/ratelimit.py)."""

import pytest
from django.core.cache import cache
from django.test import Client

from core.ratelimit import local_counters
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.HTML_RATE_LIMIT = "6/minute"
    settings.HTML_SEARCH_RATE_LIMIT = "2/minute"
    cache.clear()
    local_counters.clear()
    yield
    cache.clear()


def test_searches_have_a_budget_of_their_own(seeded):
    client = Client()
    searches = [
        client.get("/en/search/", {"q": "mine"}).status_code,
        client.get("/en/potentials/", {"q": "lake"}).status_code,
    ]
    refused = client.get("/en/search/", {"q": "heap"})
    assert searches == [200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    html = refused.content.decode()
    assert "<h1>Too many requests</h1>" in html
    assert "Traceback" not in html
    # Pages without a search go on, up to the budget of every page.
    assert client.get("/en/potentials/").status_code == 200
    assert client.get("/en/about/").status_code == 200


def test_suggestions_while_typing_count_as_pages_only(seeded):
    client = Client()
    typed = [
        client.get("/en/search/suggest/", {"q": "mine"[:n]}).status_code
        for n in range(1, 5)
    ]
    assert typed == [200] * 4
    assert client.get("/en/search/", {"q": "mine"}).status_code == 200


def test_every_page_counts_per_address(seeded):
    client = Client()
    statuses = [client.get("/en/about/").status_code for _ in range(7)]
    assert statuses == [200] * 6 + [429]
    # Another address has its own budget.
    assert Client(REMOTE_ADDR="192.0.2.7").get("/en/about/").status_code == 200
    # The API (its own throttles), the health check and the admin are not counted.
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/health/").status_code == 200


def test_the_refusal_is_in_the_visitors_language(seeded):
    client = Client()
    for _ in range(2):
        client.get("/de/search/", {"q": "Halde"})
    refused = client.get("/de/search/", {"q": "Halde"})
    assert refused.status_code == 429
    assert '<html lang="de">' in refused.content.decode()


def test_signed_in_users_and_forms_are_not_counted(seeded):
    client = Client()
    client.force_login(UserFactory())
    statuses = {client.get("/en/search/", {"q": "mine"}).status_code for _ in range(4)}
    assert statuses == {200}


def test_no_limit_when_the_settings_are_empty(seeded, settings):
    settings.HTML_RATE_LIMIT = ""
    settings.HTML_SEARCH_RATE_LIMIT = ""
    client = Client()
    statuses = {client.get("/en/search/", {"q": "mine"}).status_code for _ in range(8)}
    assert statuses == {200}
