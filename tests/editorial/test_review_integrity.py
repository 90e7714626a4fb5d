"""A record in review holds still: nobody changes it until a moderator sends it
back, and publishing releases exactly the version the moderator saw."""

import pytest
from django.test import Client
from django.urls import reverse

from editorial.history import versions_of
from editorial.models import Status, Transition, TransitionError
from editorial.services import (
    publishable_restore,
    publishable_transition,
    publishable_update,
)
from tests.api.conftest import token_headers
from tests.helpers import admin_form_data
from tests.workflow import make_record, make_record_with_history, make_staff

pytestmark = pytest.mark.django_db


def url(record, view, *args):
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[record.pk, *args]
    )


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("actor", ["editor_a", "moderator", "superuser"])
def test_nobody_changes_a_record_in_review(actor):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    record.summary_en = "Changed after the moderator read it"
    with pytest.raises(TransitionError, match="in review"):
        publishable_update(record=record, by=staff.users[actor])
    record.refresh_from_db()
    assert record.summary_en != "Changed after the moderator read it"


def test_an_earlier_version_is_not_restored_into_a_record_in_review():
    staff = make_staff()
    moderator = staff.users["moderator"]
    record = make_record_with_history("potential", staff.partner_a, moderator)
    publishable_transition(record=record, by=moderator, transition=Transition.SUBMIT)
    with pytest.raises(TransitionError):
        publishable_restore(
            record=record, version=versions_of(record).first(), by=moderator
        )


@pytest.mark.parametrize("actor", ["editor_a", "moderator"])
def test_the_admin_shows_a_record_in_review_read_only_with_its_transitions(actor):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    client = session(staff.users[actor])
    response = client.get(url(record, "change"))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert "In review: this record holds still" in response.text
    assert 'name="summary_en"' not in response.text
    if actor == "moderator":
        assert url(record, "transition", "publish") in response.text
        assert url(record, "transition", "send_back") in response.text
    # A form sent anyway changes nothing.
    response = client.post(url(record, "change"), {"summary_en": "Sneaked in"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.summary_en != "Sneaked in"


def test_sending_back_makes_the_record_editable_again():
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    moderator = session(staff.users["moderator"])
    moderator.post(url(record, "transition", "send_back"), {"comment": "Add area."})
    editor = session(staff.users["editor_a"])
    data = admin_form_data(editor.get(url(record, "change")))
    data["summary_en"] = "With the area"
    assert editor.post(url(record, "change"), data).status_code == 302
    record.refresh_from_db()
    assert (record.status, record.summary_en) == (Status.DRAFT, "With the area")


def test_publishing_refuses_a_version_the_moderator_did_not_see():
    staff = make_staff()
    record = make_record(
        "potential", staff.partner_a, status=Status.IN_REVIEW, summary_en="Read"
    )
    moderator = session(staff.users["moderator"])
    seen = moderator.get(url(record, "change")).context["version_token"]
    publish_page = moderator.get(
        url(record, "transition", "publish"), {"_version": seen}
    )
    assert f'value="{seen}"' in publish_page.text

    # Meanwhile: sent back, changed, submitted again (by another moderator's hand).
    editor = staff.users["editor_a"]
    publishable_transition(
        record=record,
        by=staff.users["superuser"],
        transition=Transition.SEND_BACK,
        comment="Shorter",
    )
    record.summary_en = "Never read by the moderator"
    publishable_update(record=record, by=editor)
    publishable_transition(record=record, by=editor, transition=Transition.SUBMIT)

    response = moderator.post(url(record, "transition", "publish"), {"_version": seen})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    shown = moderator.get(url(record, "change"))
    assert "was not published: it changed after you opened it" in shown.text

    fresh = shown.context["version_token"]
    response = moderator.post(url(record, "transition", "publish"), {"_version": fresh})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert record.summary_en == "Never read by the moderator"


def test_the_api_answers_a_change_to_a_record_in_review_with_a_clear_400(client):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    for actor in ("editor_a", "moderator"):
        response = client.patch(
            f"/api/v1/potentials/{record.slug}/",
            {"summary": {"en": "Changed in review"}},
            content_type="application/json",
            headers=token_headers(staff.users[actor]),
        )
        assert response.status_code == 400
        [message] = response.json()["non_field_errors"]
        assert "in review" in message and "sends it back" in message
    record.refresh_from_db()
    assert record.summary_en != "Changed in review"


def test_an_editor_withdraws_a_submitted_record_to_change_it():
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    editor = session(staff.users["editor_a"])
    withdraw = url(record, "transition", "withdraw")
    assert withdraw in editor.get(url(record, "change")).text
    # Only the record's own editors; moderators send back, with a comment.
    other = session(staff.users["editor_b"])
    assert other.post(withdraw).status_code in (302, 403)
    moderator = session(staff.users["moderator"])
    assert withdraw not in moderator.get(url(record, "change")).text
    assert moderator.post(withdraw).status_code == 403
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW

    assert editor.post(withdraw).status_code == 302
    record.refresh_from_db()
    assert record.status == Status.DRAFT
    data = admin_form_data(editor.get(url(record, "change")))
    data["summary_en"] = "Fixed after withdrawing"
    assert editor.post(url(record, "change"), data).status_code == 302
