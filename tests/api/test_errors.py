"""Errors under /api/ are JSON with the status they deserve, never the site's
HTML page and never a stack trace; the pages keep theirs."""

import json

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.utils import translation

from api import exceptions as api_errors
from api import views
from portal import views as page_views
from tests.api.conftest import token_headers
from tests.api.test_bounds import LISTS
from tests.workflow import make_staff

pytestmark = pytest.mark.django_db

GEOJSON_LISTS = ["regions", "potentials", "good-practices"]


@pytest.fixture
def unsafe() -> Client:
    """A client that gets the answer a user gets when a view fails."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("name", GEOJSON_LISTS)
@pytest.mark.parametrize("format", ["geojson", "csv"])
def test_options_describes_a_list_in_json_whatever_format_is_asked(
    api, seeded, name, format
):
    response = api.options(f"/api/v1/{name}/?format={format}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["renders"]


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "FOO"])
def test_a_method_no_view_answers_is_405_everywhere(api, seeded, method):
    api_urls = [
        "/api/v1/",
        "/api/v1/schema/",
        "/api/v1/docs/",
        "/api/v1/regions/match/",
        "/api/v1/potentials/erzberg-adventure-mine/",
        "/api/v1/nowhere/",
        *(f"/api/v1/{name}/" for name in LISTS),
    ]
    for url in api_urls:
        response = api.generic(method, url)
        assert response.status_code == 405, url
        assert response.json() == {"detail": f'Method "{method}" not allowed.'}, url
        assert "GET" in response["Allow"] and method not in response["Allow"], url
    for url in (
        "/en/",
        "/en/potentials/",
        "/sitemap.xml",
        "/en/feeds/potentials/",
        "/en/potentials/feed.atom",
        "/robots.txt",
        "/admin/",
    ):
        response = api.generic(method, url)
        assert response.status_code == 405, url
        assert "GET" in response["Allow"], url


def test_a_write_to_a_read_only_list_is_405_for_anyone(api, seeded):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api, method)("/api/v1/regions/")
        assert response.status_code == 405, method
        assert "detail" in response.json()


def test_errors_of_the_schema_and_the_docs_are_json(api, db):
    for url in ("/api/v1/schema/", "/api/v1/docs/"):
        response = api.post(url)
        assert response.status_code == 405
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_is_413_in_json(db):
    staff = make_staff()
    editor = Client(headers=token_headers(staff.users["editor_a"]))
    response = editor.post(
        "/api/v1/potentials/",
        {"title": {"en": "x" * 2000}},
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


def test_a_failing_api_view_answers_json_500_without_a_trace(
    unsafe, seeded, monkeypatch
):
    def fail(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.ThemeViewSet, "get_queryset", fail)
    response = unsafe.get("/api/v1/themes/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "Retry-After" not in response
    assert set(response.json()) == {"detail"}
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_a_failing_page_answers_the_sites_500_page(unsafe, seeded, monkeypatch):
    def fail(self, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(page_views.HomeView, "get_context_data", fail)
    response = unsafe.get("/de/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b'<html lang="de">' in response.content
    assert b"secret internals" not in response.content


def test_unknown_api_addresses_are_json_404_and_pages_html(unsafe, db):
    response = unsafe.get("/api/v1/potentials/no-such-slug/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    response = unsafe.get("/en/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/potentials/?country=&theme=",
        "/api/v1/regions/?country=&kind=&mining_status=&mining_ended_min=",
        "/api/v1/good-practices/?kind=&status=&validated=&start_year_min=",
        "/api/v1/categories/?theme=",
        "/api/v1/partners/?country=&region=",
    ],
)
def test_an_empty_filter_value_filters_nothing(api, seeded, url):
    response = api.get(url)
    assert response.status_code == 200, response.json()
    unfiltered = api.get(url.split("?")[0]).json()
    assert response.json()["count"] == unfiltered["count"]


def test_an_empty_value_beside_a_real_one_is_ignored(api, seeded):
    both = api.get("/api/v1/regions/?country=&country=DE").json()
    assert both["count"] == api.get("/api/v1/regions/?country=DE").json()["count"]
    assert 0 < both["count"] < api.get("/api/v1/regions/").json()["count"]


def test_an_empty_filter_value_on_a_page_filters_nothing(client, seeded):
    response = client.get("/en/potentials/?country=&theme=")
    assert response.status_code == 200


def test_a_request_django_refuses_is_a_json_400_under_the_api(unsafe, db):
    response = unsafe.get("/api/v1/regions/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    page = unsafe.get("/en/", headers={"host": "evil.example"})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("", "The database is not available"), ("pl", "Baza danych")],
)
def test_a_database_error_is_told_in_the_request_s_language_not_the_last_one(
    rf, accept_language, expected
):
    """An error before anything chose a language (the database fails in a
    middleware) is told in the API's language of the request, not in the one a
    process's previous request left active."""
    request = rf.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE=accept_language)
    with translation.override("de"):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = api_errors.server_error(request)
    assert response.status_code == 503
    assert expected in json.loads(response.content)["detail"]
