"""A real client tests the API against its own schema."""

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.serializers import ReadSerializer, RegionSerializer
from regions.models import Partner
from tests.api.test_bounds import LISTS
from tests.api.test_workflow import token_headers
from tests.factories import staff_user
from tests.workflow import make_record


@pytest.fixture
def first_slugs(seeded, api) -> dict[str, str]:
    """A real slug of every kind of record, to ask details of real records too."""
    return {
        name: api.get(f"/api/v1/{name}/").json()["results"][0]["slug"] for name in LISTS
    }


@pytest.fixture
def editor_drafts(seeded) -> tuple[dict[str, str], dict[str, str]]:
    """An editor's token, and a draft of each kind their organisation owns."""
    partner = Partner.objects.get(slug="iba-fuerst-pueckler-land")
    editor = staff_user(partner, user__username="schema-editor")
    drafts = {
        "potentials": make_record("potential", partner).slug,
        "good-practices": make_record("goodpractice", partner).slug,
    }
    return drafts, token_headers(editor)


@pytest.fixture
def wsgi_app(first_slugs):
    """The real WSGI application, keeping the test's database connection open.

    Django's test client does the same: closing connections at the end of each
    request would end the test's transaction. (The test client connects the
    handler again after each request: use no test client while this is active.)
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    application = get_wsgi_application()

    def uncompressed(environ, start_response):
        # Schemathesis asks for gzip as `requests` does, but its WSGI transport
        # does not decompress what it gets.
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        return application(environ, start_response)

    yield uncompressed
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_read_answers_as_the_schema_says(first_slugs, wsgi_app):
    """No 5xx, and every status, content type and body is one the schema lists.

    Schemathesis generates valid and invalid requests for every GET operation
    (including the real slugs of seeded records) and checks each answer against
    the schema the API publishes.
    """
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", wsgi_app
    ).include(method="GET")
    operations = [result.ok() for result in schema.get_all_operations()]
    # List and detail of each kind, the history of potentials and good
    # practices (which anonymous clients are refused: 401, as documented), their
    # similar records, the actor networks of regions and projects, and the regions
    # like a region and like one described, and a map's markers.
    assert len(operations) == 2 * len(LISTS) + 2 + 2 + 2 + 2 + 1
    for operation in operations:
        strategies = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        if "{slug}" in operation.path:
            name = operation.path.split("/{slug}")[0].rsplit("/", 1)[-1]
            strategies.append(
                operation.as_strategy(
                    GenerationMode.POSITIVE,
                    path_parameters={"slug": first_slugs[name]},
                )
            )

        @given(case=st.one_of(strategies))
        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate(
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ]
            )

        answers_as_documented()


def test_every_write_by_an_editor_answers_as_the_schema_says(editor_drafts, wsgi_app):
    """No 5xx for any write, valid or not, with an editor's token; every answer
    is one the schema lists. Requests on the editor's own drafts succeed too."""
    drafts, headers = editor_drafts
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", wsgi_app
    ).include(method=["POST", "PUT", "PATCH", "DELETE"])
    operations = [result.ok() for result in schema.get_all_operations()]
    # Create, replace, change, delete, four transitions and restore, for each.
    assert len(operations) == 2 * 9
    for operation in operations:
        strategies = [
            operation.as_strategy(GenerationMode.POSITIVE, headers=headers),
            operation.as_strategy(GenerationMode.NEGATIVE, headers=headers),
        ]
        if "{slug}" in operation.path:
            name = operation.path.split("/{slug}")[0].rsplit("/", 1)[-1]
            strategies.append(
                operation.as_strategy(
                    GenerationMode.POSITIVE,
                    headers=headers,
                    path_parameters={"slug": drafts[name]},
                )
            )

        @given(case=st.one_of(strategies))
        @settings(
            max_examples=10,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate(
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ]
            )

        answers_as_documented()


def test_the_schema_is_generated_without_a_warning(tmp_path):
    """Two serializers or enums of one name would share a component, so that one
    endpoint is documented with the other's fields; drf-spectacular warns."""
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_the_schema_does_not_depend_on_the_language_fields_were_first_built_in(
    tmp_path,
):
    """Countries are sorted by their names in the active language: serializer
    fields first built for a German request must not give the schema German order
    (two orders of one enum are two components, and a warning)."""
    ReadSerializer._fields_by_class.clear()
    with translation.override("de"):
        assert RegionSerializer().fields
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_a_conditional_write_answers_as_the_schema_says(editor_drafts, wsgi_app):
    """If-Match as documented: a stale ETag is a 412 of the documented shape, a
    current one (from the documented ETag header of a read) lets the write
    proceed, and its answer carries the ETag of the next write."""
    drafts, headers = editor_drafts
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    read = schema["/api/v1/potentials/{slug}/"]["GET"]
    change = schema["/api/v1/potentials/{slug}/"]["PATCH"]
    slug = {"slug": drafts["potentials"]}
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]

    etag = read.Case(path_parameters=slug, headers=headers).call().headers["etag"][0]
    first = change.Case(
        path_parameters=slug,
        headers={**headers, "If-Match": etag},
        body={"summary": {"en": "Changed once."}},
        media_type="application/json",
    )
    response = first.call()
    first.validate_response(response, checks=checks)
    assert response.status_code == 200
    assert response.headers["etag"][0] != etag

    stale = change.Case(
        path_parameters=slug,
        headers={**headers, "If-Match": etag},
        body={"summary": {"en": "Changed twice."}},
        media_type="application/json",
    )
    response = stale.call()
    stale.validate_response(response, checks=checks)
    assert response.status_code == 412
