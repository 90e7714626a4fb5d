"""If-Match on writes: a write based on a stale read is refused with 412, never
silently undoing another one; a current ETag, or none, lets it proceed."""

import pytest
from django.test import Client

from editorial.models import Status
from potentials.models import Potential
from tests.api.conftest import token_headers
from tests.api.test_writes import POTENTIALS, patch, post
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def editor(staff) -> Client:
    return Client(headers=token_headers(staff.users["editor_a"]))


@pytest.fixture
def record(staff) -> Potential:
    return make_record(
        "potential", staff.partner_a, title_en="Pit lake", title_de="Tagebausee"
    )


def test_a_stale_etag_is_refused_with_412_and_changes_nothing(editor, record):
    url = f"{POTENTIALS}{record.slug}/"
    read = editor.get(url)
    etag = read["ETag"]
    assert patch(editor, url, {"title": {"en": "Pit lakes"}}).status_code == 200

    # A second client, which read the record before that change, is told so.
    stale = patch(
        editor, url, {"title": {"en": "Mine lake"}}, headers={"if-match": etag}
    )
    assert stale.status_code == 412
    assert "changed since you read it" in stale.json()["detail"]
    record.refresh_from_db()
    assert record.title_en == "Pit lakes"
    for method in ("put", "delete"):
        response = getattr(editor, method)(
            url,
            {"title": {"en": "Mine lake"}},
            content_type="application/json",
            headers={"if-match": etag},
        )
        assert response.status_code == 412, method
    submit = post(editor, f"{url}submit/", {}, headers={"if-match": etag})
    assert submit.status_code == 412
    record.refresh_from_db()
    assert record.status == Status.DRAFT


def test_a_current_etag_lets_the_write_proceed_and_answers_the_next_one(editor, record):
    url = f"{POTENTIALS}{record.slug}/"
    # Any representation of the record as it is: another language, GeoJSON.
    for query in ("", "?lang=de", "?format=geojson"):
        etag = editor.get(f"{url}{query}")["ETag"]
        response = patch(
            editor,
            url,
            {"summary": {"en": f"Read as {query or 'JSON'}."}},
            headers={"if-match": etag},
        )
        assert response.status_code == 200, (query, response.json())
        # The write answers with the ETag of the record as written.
        assert response["ETag"] != etag
        chained = patch(
            editor,
            url,
            {"summary": {"en": "Chained."}},
            headers={"if-match": response["ETag"]},
        )
        assert chained.status_code == 200
    assert patch(editor, url, {}, headers={"if-match": "*"}).status_code == 200
    # A compressed read's ETag is weak; it names the same version.
    compressed = editor.get(url, headers={"accept-encoding": "gzip"})
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["ETag"].startswith('W/"')
    response = patch(editor, url, {}, headers={"if-match": compressed["ETag"]})
    assert response.status_code == 200
    # Without If-Match, as before: the write proceeds.
    assert patch(editor, url, {"summary": {"en": "Unconditional."}}).status_code == 200


def test_the_etag_of_a_read_changes_with_the_record_and_still_answers_304(
    editor, record
):
    url = f"{POTENTIALS}{record.slug}/"
    first = editor.get(url)
    assert editor.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert editor.get(f"{url}?lang=de")["ETag"] != first["ETag"]
    # A change of the record alone (no text of the answer need differ) is a new
    # version: saving it again moves `updated_at`.
    Potential.objects.get(pk=record.pk).save()
    assert editor.get(url)["ETag"] != first["ETag"]


def test_of_two_writes_from_one_read_only_the_first_proceeds(staff, editor, record):
    """Two clients that read the same version: the first write wins, the second
    is told."""
    url = f"{POTENTIALS}{record.slug}/"
    etag = editor.get(url)["ETag"]
    moderator = Client(headers=token_headers(staff.users["moderator"]))
    first = patch(moderator, url, {"title": {"en": "A"}}, headers={"if-match": etag})
    second = patch(editor, url, {"title": {"en": "B"}}, headers={"if-match": etag})
    assert [first.status_code, second.status_code] == [200, 412]


def test_the_schema_documents_if_match_and_412(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    detail = schema["paths"]["/api/v1/potentials/{slug}/"]
    for method in ("put", "patch", "delete"):
        names = [parameter["name"] for parameter in detail[method]["parameters"]]
        assert "If-Match" in names, method
        assert "412" in detail[method]["responses"], method
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]
    submit = schema["paths"]["/api/v1/potentials/{slug}/submit/"]["post"]
    assert "412" in submit["responses"]
