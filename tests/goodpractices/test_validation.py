"""Only moderators validate a good practice for the network, through the admin and
the services; the validation names the moderator until it is withdrawn."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from editorial.services import publishable_update
from tests.helpers import admin_form_data
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db


def change_url(record) -> str:
    return reverse("admin:goodpractices_goodpractice_change", args=[record.pk])


def form_data(client, staff, record) -> dict:
    """The change form as a superuser would send it back unchanged."""
    client.force_login(staff.users["superuser"])
    data = admin_form_data(client.get(change_url(record)))
    client.logout()
    return data


def validation(data: dict) -> dict:
    return {
        **data,
        "validated_on": "2026-03-04",
        "validation_opinion_en": "A sound case.",
        "validation_signature": "Anna Example, REMIX network",
    }


def test_the_validation_is_read_only_for_an_editor_in_the_admin(client):
    staff = make_staff()
    record = make_record("goodpractice", staff.partner_a)
    data = validation(form_data(client, staff, record))
    data["summary_en"] = "Edited by the editor"
    client.force_login(staff.users["editor_a"])
    page = client.get(change_url(record))
    form = page.context["adminform"].form
    for name in ("validated_on", "validation_opinion_en", "validation_signature"):
        assert name not in form.fields, name
    response = client.post(change_url(record), data)
    assert response.status_code == 302
    record.refresh_from_db()
    # The rest of the form is saved; the validation fields are ignored.
    assert record.summary_en == "Edited by the editor"
    assert record.validated_on is None and record.validated_by is None
    assert record.validation_signature == ""


def test_a_moderator_validates_in_the_admin_and_is_named_until_it_is_withdrawn(
    client,
):
    staff = make_staff()
    moderator = staff.users["moderator"]
    record = make_record("goodpractice", staff.partner_a)
    data = validation(form_data(client, staff, record))
    client.force_login(moderator)
    response = client.post(change_url(record), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.validated_on == datetime.date(2026, 3, 4)
    assert record.validation_opinion_en == "A sound case."
    assert record.validated_by == moderator

    data = form_data(client, staff, record)
    data["validated_on"] = ""
    client.force_login(moderator)
    assert client.post(change_url(record), data).status_code == 302
    record.refresh_from_db()
    assert record.validated_on is None and record.validated_by is None


def test_the_admin_refuses_a_validation_without_a_signature(client):
    staff = make_staff()
    record = make_record("goodpractice", staff.partner_a)
    data = validation(form_data(client, staff, record))
    data["validation_signature"] = ""
    client.force_login(staff.users["moderator"])
    response = client.post(change_url(record), data)
    assert response.status_code == 200
    assert "signature" in response.text
    record.refresh_from_db()
    assert record.validated_on is None


def test_the_service_refuses_an_editor_and_writes_nothing():
    staff = make_staff()
    record = make_record("goodpractice", staff.partner_a)
    record.validated_on = datetime.date(2026, 3, 4)
    record.validation_signature = "Someone"
    with pytest.raises(PermissionDenied):
        publishable_update(record=record, by=staff.users["editor_a"])
    record.refresh_from_db()
    assert record.validated_on is None
