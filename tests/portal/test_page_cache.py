"""Anonymous pages cached ahead of the stack, never stale (portal/caching.py)."""

import gzip

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import http_cache
from core.http_cache import local_answers
from core.ratelimit import local_counters
from portal.models import SitePage
from potentials.models import Potential
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/en/potentials/?stage=implemented"
SHARED = "public, max-age=0, s-maxage=5"


@pytest.fixture(autouse=True)
def _shared_max_age(settings):
    settings.PAGE_SHARED_MAX_AGE = 5


def computed(response) -> bool:
    """Whether the view ran (the test client records the templates it rendered)."""
    return response.context is not None


def test_a_repeated_anonymous_page_is_answered_304_with_either_validator(
    seeded, client
):
    first = client.get(PAGE)
    assert first.status_code == 200
    assert first["Cache-Control"] == SHARED
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    assert "Cookie" in first["Vary"]
    by_etag = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(PAGE, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    # A shared cache refreshes its copy from the 304's headers.
    assert by_etag["Cache-Control"] == SHARED
    assert by_etag["ETag"] == first["ETag"]


def test_a_page_is_served_from_the_cache_until_a_change_is_published(seeded, client):
    first = client.get(PAGE)
    again = client.get(PAGE)
    assert computed(first) and not computed(again)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    potential = Potential.objects.published().filter(stage="implemented").first()
    potential.title = "A title nobody wrote before"
    potential.save()
    changed = client.get(PAGE)
    assert computed(changed)
    assert "A title nobody wrote before" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]
    # The old copy, revalidated, is no longer current.
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_changed_site_page_is_shown_at_once(seeded, client):
    """Site pages are content: editing one moves the content version."""
    url = reverse("imprint")
    client.get(url)
    SitePage.objects.filter(kind="imprint").update(title_en="Imprint, changed")
    assert "Imprint, changed" in client.get(url).content.decode()


def test_a_hit_reads_only_the_content_version(seeded, client):
    client.get(PAGE)
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(PAGE)
    assert hit.status_code == 200 and not computed(hit)
    [query] = queries.captured_queries
    assert "core_contentversion" in query["sql"]


def test_a_computed_page_reads_the_content_version_once(seeded, client):
    """The page cache, the facet counts and their labels share one read."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    assert computed(response)
    reads = [q for q in queries.captured_queries if "core_contentversion" in q["sql"]]
    assert len(reads) == 1


def test_a_process_that_does_not_hold_the_page_finds_it_in_the_shared_cache(
    seeded, client
):
    first = client.get(PAGE)
    local_answers.clear()  # as in another process
    again = client.get(PAGE)
    assert not computed(again) and again.content == first.content


def test_a_signed_in_users_page_is_private_and_never_from_the_cache(seeded, client):
    anonymous = client.get(PAGE)
    user = UserFactory()
    client.force_login(user)
    for _ in range(2):
        response = client.get(PAGE)
        assert computed(response)
        assert response["Cache-Control"] == "private"
        assert "ETag" not in response
    # Nor is what the signed-in user saw filed for anyone else.
    client.logout()
    client.cookies.clear()
    assert client.get(PAGE).content == anonymous.content


def test_a_session_cookie_alone_keeps_a_page_out_of_the_cache(seeded, client):
    client.get(PAGE)
    client.cookies["sessionid"] = "not-a-session"
    response = client.get(PAGE)
    assert computed(response) and response["Cache-Control"] == "private"


def test_the_proposal_form_works_and_is_never_cached(seeded):
    client = Client(enforce_csrf_checks=True)
    url = reverse("goodpractices:propose")
    first = client.get(url)
    again = client.get(url)
    assert computed(first) and computed(again)
    assert "csrfmiddlewaretoken" in again.content.decode()
    assert again["Cache-Control"] == "private"
    assert "ETag" not in again
    # The token of the page answers the form: no 403.
    token = again.context["csrf_token"]
    posted = client.post(url, {"csrfmiddlewaretoken": str(token)})
    assert posted.status_code == 200  # the form again, with its errors


def test_an_htmx_part_and_the_full_page_are_cached_apart(seeded, client):
    full = client.get(PAGE)
    part = client.get(PAGE, HTTP_HX_REQUEST="true")
    assert computed(part)
    assert "<html" in full.content.decode() and "<html" not in part.content.decode()
    again_part = client.get(PAGE, HTTP_HX_REQUEST="true")
    again_full = client.get(PAGE)
    assert not computed(again_part) and not computed(again_full)
    assert again_part.content == part.content and again_full.content == full.content


def test_a_query_in_another_order_is_the_same_page(seeded, client):
    client.get("/en/potentials/?stage=implemented&sort=title")
    again = client.get("/en/potentials/?sort=title&stage=implemented")
    assert not computed(again)


def test_feeds_answer_if_modified_since_with_304(seeded, client):
    url = reverse("feed-potentials")
    first = client.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == SHARED
    response = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304


def test_sitemaps_and_robots_are_cached(seeded, client):
    for url in ("/sitemap.xml", "/robots.txt"):
        first = client.get(url)
        assert first.status_code == 200 and first["Cache-Control"] == SHARED, url
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_pages_are_compressed_once_and_filed_compressed(seeded, client):
    plain = client.get(PAGE)
    first = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    again = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert gzip.decompress(again.content) == plain.content
    assert len(again.content) < len(plain.content) / 3
    # Filed as it was compressed: the same bytes, not compressed again.
    assert not computed(again) and again.content == first.content
    assert again["ETag"] == "W/" + plain["ETag"]
    assert (
        client.get(
            PAGE, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=again["ETag"]
        ).status_code
        == 304
    )


def test_pages_for_signed_in_users_are_compressed_too(seeded, client):
    client.force_login(UserFactory())
    response = client.get(PAGE, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_a_cached_page_carries_the_security_headers(seeded, client):
    first = client.get(PAGE)
    hit = client.get(PAGE)
    assert not computed(hit)
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Cross-Origin-Opener-Policy",
    ):
        assert hit[header] == first[header], header


def test_errors_are_neither_cached_nor_shared(seeded, client):
    for _ in range(2):
        response = client.get("/en/potentials/no-such-potential/")
        assert response.status_code == 404
        assert "public" not in response.get("Cache-Control", "")


def test_the_admin_is_left_alone(seeded, client):
    response = client.get("/admin/login/")
    assert "public" not in response.get("Cache-Control", "")
    assert "s-maxage" not in response.get("Cache-Control", "")


def test_cached_page_views_count_against_the_rate_limit(seeded, client, settings):
    settings.HTML_RATE_LIMIT = "3/minute"
    local_counters.clear()
    statuses = [client.get(PAGE).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(PAGE)
    assert refused["Cache-Control"] == "no-store"
    assert "<h1>Too many requests</h1>" in refused.content.decode()


def test_the_page_cache_can_be_turned_off(seeded, client, settings):
    settings.PAGE_CACHE = False
    client.get(PAGE)
    assert computed(client.get(PAGE))


def test_a_page_filed_by_another_release_is_never_served(seeded, client, monkeypatch):
    """After a deployment, pages rendered with the old templates are not used."""
    client.get(PAGE)
    assert not computed(client.get(PAGE))
    monkeypatch.setattr(http_cache, "release", lambda: "the next release")
    assert computed(client.get(PAGE))


def test_the_release_names_the_code_unless_a_setting_does(settings):
    http_cache.release.cache_clear()
    try:
        settings.HTTP_CACHE_RELEASE = ""
        digest = http_cache.release()
        assert len(digest) == 16
        http_cache.release.cache_clear()
        settings.HTTP_CACHE_RELEASE = "v1.2.3"
        assert http_cache.release() == "v1.2.3"
    finally:
        http_cache.release.cache_clear()
