"""What a public API needs: caching that is never stale, conditional requests,
throttling, CORS, JSON errors, and read-only access for anonymous clients."""

import re

import psycopg
import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.settings import api_settings

from core.generation import current_generation
from editorial.models import Status
from potentials.models import Potential
from regions.models import LegacyType
from tests.api.test_bounds import LISTS

pytestmark = pytest.mark.django_db

URL = "/api/v1/potentials/"
# All potentials on one page.
ALL = f"{URL}?page_size=100"


def titles(api, url: str = ALL) -> set[str]:
    return {row["title"] for row in api.get(url).json()["results"]}


# --- Conditional requests and the cache -----------------------------------------------


def test_reads_carry_validators_and_unchanged_ones_answer_304(api, seeded):
    first = api.get(URL)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert "Accept-Language" in first["Vary"]
    assert api.get(URL, headers={"if-none-match": etag}).status_code == 304
    assert api.get(URL, headers={"if-modified-since": modified}).status_code == 304
    detail = api.get(f"{URL}erzberg-adventure-mine/")
    again = api.get(
        f"{URL}erzberg-adventure-mine/", headers={"if-none-match": detail["ETag"]}
    )
    assert again.status_code == 304
    assert again["ETag"] == detail["ETag"]


def test_each_language_and_format_has_its_own_validator(api, seeded):
    etags = {
        api.get(URL)["ETag"],
        api.get(f"{URL}?lang=de")["ETag"],
        api.get(URL, headers={"accept-language": "pl"})["ETag"],
        api.get(f"{URL}?format=geojson")["ETag"],
    }
    assert len(etags) == 4


def test_a_repeated_anonymous_read_is_served_from_the_cache(
    api, seeded, django_assert_num_queries
):
    first = api.get(URL)
    # One query: the content version, which says the cached answer is current.
    with django_assert_num_queries(1) as queries:
        again = api.get(URL)
    assert "core_contentversion" in queries.captured_queries[0]["sql"]
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"
    assert again["Content-Language"] == "en"
    # The same headers as the answer computed: validators, Vary, the rest.
    assert again.headers == first.headers


def test_a_publish_is_seen_at_once(api, seeded, django_capture_on_commit_callbacks):
    """The cache is invalidated after the transaction commits, never stale."""
    draft = Potential.objects.get(slug="erzberg-adventure-mine")
    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Status.DRAFT
        draft.save()
    before = api.get(ALL)
    assert draft.title not in titles(api)

    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save()
    after = api.get(ALL, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert draft.title in {row["title"] for row in after.json()["results"]}


def test_related_changes_and_deletions_are_seen_at_once(
    api, seeded, django_capture_on_commit_callbacks
):
    url = f"{URL}erzberg-adventure-mine/"
    legacy_types = {row["slug"] for row in api.get(url).json()["legacy_types"]}
    extra = LegacyType.objects.exclude(slug__in=legacy_types).first()
    with django_capture_on_commit_callbacks(execute=True):
        Potential.objects.get(slug="erzberg-adventure-mine").legacy_types.add(extra)
    assert extra.slug in {row["slug"] for row in api.get(url).json()["legacy_types"]}

    with django_capture_on_commit_callbacks(execute=True):
        Potential.objects.get(slug="erzberg-adventure-mine").delete()
    assert api.get(url).status_code == 404


def test_a_change_moves_the_version_in_its_own_transaction(api, seeded):
    """Readers elsewhere see the new version exactly when they see the change."""
    api.get(URL)
    before = current_generation()
    outside = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    with outside:
        Potential.objects.filter(slug="erzberg-adventure-mine").first().save()
        inside = current_generation()
        assert inside != before
        # Another connection still reads the committed version…
        [committed] = outside.execute(
            "SELECT version FROM core_contentversion"
        ).fetchone()
        assert committed == before
    # …and a second write in the same transaction moves it again once it was read.
    Potential.objects.filter(slug="erzberg-adventure-mine").update(
        visitors_per_year=None
    )
    assert current_generation() not in (before, inside)


def test_csv_exports_answer_304_too(api, seeded):
    first = api.get(f"{URL}?format=csv")
    assert first["ETag"].startswith('W/"')
    again = api.get(f"{URL}?format=csv", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    german = api.get(f"{URL}?format=csv", headers={"accept-language": "de"})
    assert german["ETag"] != first["ETag"]


def test_signed_in_users_are_not_served_from_the_shared_cache(
    api, seeded, admin_user, django_assert_max_num_queries
):
    api.force_login(admin_user)
    api.get(URL)
    response = api.get(URL)
    assert "private" in response["Cache-Control"]


def test_a_request_with_a_session_cookie_is_computed_not_cached(api, seeded):
    """Without looking into the session, the cache cannot know who is asking."""
    anonymous = api.get(URL)
    api.cookies["sessionid"] = "not-a-session"
    first = api.get(URL)
    again = api.get(URL)
    assert again.status_code == first.status_code == 200
    assert again.content == anonymous.content
    assert "private" in again["Cache-Control"]
    assert "private" not in anonymous["Cache-Control"]


def test_a_cached_answer_varies_as_a_computed_one(api, seeded):
    api.get(URL)
    again = api.get(URL)
    # The session middleware adds "Cookie" to Vary when a view reads the session,
    # which a cached answer, given before it, does not: the answer says it itself.
    assert again["Vary"] == api.get(f"{URL}?page=1")["Vary"]
    assert "Cookie" in again["Vary"]


# --- Throttling, CORS, errors, writes -------------------------------------------------


def test_anonymous_clients_are_throttled(api, seeded):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    with override_settings(
        REST_FRAMEWORK={**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": rates}
    ):
        statuses = [api.get(URL).status_code for _ in range(4)]
        refused = api.get(URL)
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "detail" in refused.json()


def test_any_web_page_may_read(api, seeded):
    response = api.get(URL, headers={"origin": "https://maps.example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api.options(
        URL,
        headers={
            "origin": "https://maps.example.org",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    # The rest of the site shares nothing.
    html = api.get("/", headers={"origin": "https://maps.example.org"})
    assert "Access-Control-Allow-Origin" not in html


def test_unknown_api_addresses_answer_json_404_and_the_site_keeps_html(api, db):
    for path in ("/api/v1/nothing/", "/api/v2/potentials/", "/api/"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "There is nothing at this address."}
    assert api.get("/api/v1/potentials/no-such-slug/").json()["detail"]
    assert "text/html" in api.get("/no-such-page/")["Content-Type"]
    # Whatever the method: no CSRF refusal in HTML for an address that is not there.
    browser = Client(enforce_csrf_checks=True)
    for method in ("post", "put", "delete"):
        response = getattr(browser, method)("/api/v1/nothing/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_the_api_root_lists_every_collection_and_the_docs(api, db):
    index = api.get("/api/v1/").json()
    assert set(index) == {*LISTS, "schema", "docs"}
    for name, url in index.items():
        assert url.startswith("http://testserver/api/v1/"), name
        assert api.get(url).status_code == 200, name


def test_a_missing_slash_redirects_like_the_rest_of_the_site(api, db):
    response = api.get("/api/v1/potentials?country=at")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/potentials/?country=at"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", URL),
        ("put", f"{URL}erzberg-adventure-mine/"),
        ("patch", f"{URL}erzberg-adventure-mine/"),
        ("delete", f"{URL}erzberg-adventure-mine/"),
        ("post", "/api/v1/regions/"),
        ("delete", "/api/v1/themes/natural-potentials/"),
    ],
)
def test_anonymous_writes_are_refused_in_json(api, seeded, method, url):
    response = getattr(api, method)(url, data={}, content_type="application/json")
    assert response.status_code in (401, 403, 405)
    assert "detail" in response.json()
    assert Potential.objects.filter(slug="erzberg-adventure-mine").exists()


def test_the_docs_are_served_without_any_cdn(api, db):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses
    assert all(address.startswith("/") for address in addresses), addresses
    assert "//" not in " ".join(a[:2] for a in addresses)
    for address in addresses:
        if address.startswith("/static/"):
            assert api.get(address).status_code == 200, address


def test_the_schema_describes_every_endpoint(api, db):
    schema = api.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    # List and detail of each kind; seven action paths of potentials and of good
    # practices (submit, publish, send-back, archive, versions, restore,
    # similar); the actor networks of regions and projects; regions like a region
    # and like one described; a map's markers.
    assert len(paths) == 2 * len(LISTS) + 2 * 7 + 2 + 2 + 1
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation["summary"] and operation["description"], path
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), parameter["name"]
            if method == "get":
                assert {"200", "400", "429"} <= set(operation["responses"])
                assert operation["responses"]["200"]["content"]["application/json"].get(
                    "examples"
                )
            else:
                assert {"401", "403", "429"} <= set(operation["responses"]), path
                assert method == "delete" or "400" in operation["responses"]
    potentials = paths["/api/v1/potentials/"]["get"]
    assert set(potentials["responses"]["200"]["content"]) == {
        "application/json",
        "application/geo+json",
        "text/csv",
    }
    assert set(paths["/api/v1/potentials/"]) == {"get", "post"}
    assert set(paths["/api/v1/good-practices/{slug}/"]) == {
        "get",
        "put",
        "patch",
        "delete",
    }
    create = paths["/api/v1/potentials/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["examples"]
    assert create["responses"]["400"]["content"]["application/json"]["examples"]
    assert {"tokenAuth": []} in create["security"]
    assert {} not in create["security"]


def test_a_repeated_parameter_is_answered_by_its_last_value_cached_or_not(api, seeded):
    """The view reads the last value of a repeated parameter: the order of the
    values is part of the cache key, the order of the parameters is not."""
    first = api.get(f"{URL}?page_size=1&page=2&page=1")
    second = api.get(f"{URL}?page_size=1&page=1&page=2")
    assert first.json()["results"] != second.json()["results"]
    assert first.json()["results"] == api.get(f"{URL}?page_size=1").json()["results"]
    # Cached now; asked again, in either order of the parameters.
    assert api.get(f"{URL}?page=2&page=1&page_size=1").content == first.content
    assert api.get(f"{URL}?page=1&page=2&page_size=1").content == second.content
