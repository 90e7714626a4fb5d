"""The editorial workflow through the API: the same permission matrix as the rule
functions and the admin (tests/workflow.py), every cell asked with a token."""

import pytest

from editorial.history import versions_of
from editorial.models import Status
from goodpractices.models import GoodPractice
from potentials.models import Potential
from tests.api.conftest import token_headers
from tests.workflow import CELLS, make_record, make_record_with_history, make_staff

pytestmark = pytest.mark.django_db

MODELS = {"potential": Potential, "goodpractice": GoodPractice}
ENDPOINTS = {
    "potential": "/api/v1/potentials/",
    "goodpractice": "/api/v1/good-practices/",
}
JSON = "application/json"


def assert_refused(response, user, record) -> None:
    """A refusal says why, in JSON: 401 without credentials, 404 for a record the
    user cannot read, 403 for one they can read but not change."""
    if not user.is_authenticated:
        expected = 401
        assert response["WWW-Authenticate"] == "Token"
    elif not type(record).objects.visible_to(user).filter(pk=record.pk).exists():
        expected = 404
    else:
        expected = 403
    assert response.status_code == expected, response.content
    assert response["Content-Type"] == JSON
    assert response.json()["detail"]


def attempt(action, actor, staff, model, client) -> bool:
    """Try `action` as `actor` through the API; True if it happened."""
    user = staff.users[actor]
    headers = token_headers(user)
    Model = MODELS[model]
    if action == "view_draft":
        record = make_record(model, staff.partner_a, title_en="A secret draft")
        detail = client.get(f"{ENDPOINTS[model]}{record.slug}/", headers=headers)
        listing = client.get(
            ENDPOINTS[model], {"search": "secret draft"}, headers=headers
        ).json()["results"]
        listed = [row["slug"] for row in listing] == [record.slug]
        assert detail.status_code in (200, 404)
        assert listed is (detail.status_code == 200)
        return detail.status_code == 200 and detail.json()["title"] == "A secret draft"
    if action in ("edit_own", "edit_another", "change_owner"):
        owner = (
            staff.other_partner(actor)
            if action == "edit_another"
            else staff.own_partner(actor)
        )
        record = make_record(model, owner)
        if action == "change_owner":
            data = {"owner": staff.another_than(owner).slug}
        else:
            data = {"summary": {"en": "Edited through the API"}}
        response = client.patch(
            f"{ENDPOINTS[model]}{record.slug}/",
            data,
            content_type=JSON,
            headers=headers,
        )
        stored = Model.objects.get(pk=record.pk)
        happened = (
            stored.owner != owner or stored.summary_en == "Edited through the API"
        )
        if response.status_code != 200:
            assert_refused(response, user, record)
            assert not happened
        return happened
    if action == "restore":
        record = make_record_with_history(
            model, staff.partner_a, staff.users["superuser"]
        )
        first = versions_of(record).first()
        response = client.post(
            f"{ENDPOINTS[model]}{record.slug}/restore/",
            {"version": first.pk},
            content_type=JSON,
            headers=headers,
        )
        record.refresh_from_db()
        if response.status_code != 200:
            assert_refused(response, user, record)
        return record.summary_en == "First summary"
    record = make_record(model, staff.partner_a)
    url = f"{ENDPOINTS[model]}{record.slug}/"
    if action == "delete":
        response = client.delete(url, headers=headers)
        gone = not Model.objects.filter(pk=record.pk).exists()
        assert (response.status_code == 204) is gone
        if not gone:
            assert_refused(response, user, record)
        return gone
    response = client.post(f"{url}{action}/", headers=headers)
    moved = Model.objects.get(pk=record.pk).status != Status.DRAFT
    assert (response.status_code == 200) is moved
    if moved:
        assert response.json()["status"] != Status.DRAFT
    else:
        assert_refused(response, user, record)
    return moved


@pytest.mark.parametrize("model", ["potential", "goodpractice"])
@pytest.mark.parametrize(("actor", "action", "allowed"), CELLS)
def test_permission_matrix_through_the_api(actor, action, allowed, model, client):
    assert attempt(action, actor, make_staff(), model, client) is allowed
