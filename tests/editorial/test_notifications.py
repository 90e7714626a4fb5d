"""Who is told of what in the editorial workflow (Django's test outbox)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, UserProfile
from editorial.models import Status, Transition
from editorial.services import publishable_transition
from tests.factories import PartnerFactory, staff_user
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db


def transition(record, by, name, comment="", *, capture):
    with capture(execute=True):
        publishable_transition(record=record, by=by, transition=name, comment=comment)


def test_submitting_tells_every_moderator_in_their_language(
    django_capture_on_commit_callbacks,
):
    staff = make_staff()
    german = staff_user(
        PartnerFactory(), role=Role.MODERATOR, user__email="de@example.org"
    )
    UserProfile.objects.create(user=german, language="de")
    record = make_record("potential", staff.partner_a, title_en="Pit lake")
    transition(
        record,
        staff.users["editor_a"],
        Transition.SUBMIT,
        capture=django_capture_on_commit_callbacks,
    )
    # One mail per language: the German moderator's is not the English one.
    by_address = {tuple(message.to): message for message in mail.outbox}
    assert set(by_address) == {("moderator@example.org",), ("de@example.org",)}
    english = by_address[("moderator@example.org",)]
    assert english.subject == "For review: Pit lake"
    assert "editor_a" in english.body
    change = reverse("admin:potentials_potential_change", args=[record.pk])
    assert change in english.body
    assert not any("editor_b" in m.to[0] for m in mail.outbox)


@pytest.mark.parametrize(
    "name, comment", [(Transition.PUBLISH, ""), (Transition.SEND_BACK, "Add sources")]
)
def test_publishing_or_sending_back_tells_the_editor_with_the_comment(
    django_capture_on_commit_callbacks, name, comment
):
    staff = make_staff()
    record = make_record("goodpractice", staff.partner_a, status=Status.IN_REVIEW)
    record.created_by = staff.users["editor_a"]
    record.save()
    transition(
        record,
        staff.users["moderator"],
        name,
        comment,
        capture=django_capture_on_commit_callbacks,
    )
    assert [message.to for message in mail.outbox] == [["editor_a@example.org"]]
    if comment:
        assert "Add sources" in mail.outbox[0].body
        assert mail.outbox[0].subject.startswith("Sent back")
    else:
        assert mail.outbox[0].subject.startswith("Published")


def test_a_record_nobody_wrote_tells_its_organisations_editors(
    django_capture_on_commit_callbacks,
):
    staff = make_staff()
    record = make_record("potential", staff.partner_b, status=Status.IN_REVIEW)
    transition(
        record,
        staff.users["moderator"],
        Transition.PUBLISH,
        capture=django_capture_on_commit_callbacks,
    )
    assert [message.to for message in mail.outbox] == [["editor_b@example.org"]]


def test_a_moderator_without_an_address_is_named_in_the_admin(client):
    staff = make_staff()
    silent = staff_user(
        PartnerFactory(), role=Role.MODERATOR, user__username="silent", user__email=""
    )
    assert silent.email == ""
    record = make_record("potential", staff.partner_a)
    client.force_login(staff.users["editor_a"])
    url = reverse(
        "admin:potentials_potential_transition", args=[record.pk, Transition.SUBMIT]
    )
    response = client.post(url, follow=True)
    text = response.text
    assert "silent" in text and "no e-mail address" in text


def test_the_dashboard_names_staff_without_an_address(client):
    staff = make_staff()
    staff_user(PartnerFactory(), user__username="quiet_editor", user__email="")
    client.force_login(staff.users["moderator"])
    response = client.get(reverse("admin:index"))
    assert "quiet_editor" in response.text
    client.force_login(staff.users["editor_a"])
    assert "quiet_editor" not in client.get(reverse("admin:index")).text
