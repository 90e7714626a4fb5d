"""The admin's front page shows each staff member their work."""

import pytest
from django.urls import reverse

from editorial.models import Status
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db


def test_an_editor_sees_their_drafts_and_what_was_sent_back_with_the_comment(
    client, django_assert_max_num_queries
):
    staff = make_staff()
    draft = make_record("potential", staff.partner_a, title_en="My draft")
    sent_back = make_record(
        "goodpractice",
        staff.partner_a,
        title_en="Returned case",
        review_comment="Please name the sources.",
    )
    make_record("potential", staff.partner_b, title_en="Someone else's draft")
    in_review = make_record(
        "potential", staff.partner_a, status=Status.IN_REVIEW, title_en="Queued"
    )
    client.force_login(staff.users["editor_a"])
    with django_assert_max_num_queries(30):
        text = client.get(reverse("admin:index")).text
    assert "Your work" in text
    assert reverse("admin:potentials_potential_change", args=[draft.pk]) in text
    assert "Please name the sources." in text
    returned = reverse("admin:goodpractices_goodpractice_change", args=[sent_back.pk])
    assert returned in text
    assert "Someone else's draft" not in text
    # An editor has no review queue.
    assert "Awaiting review" not in text
    assert in_review.title_en not in text


def test_a_moderator_sees_what_awaits_review_oldest_first(client):
    staff = make_staff()
    older = make_record(
        "goodpractice", staff.partner_b, status=Status.IN_REVIEW, title_en="Older"
    )
    newer = make_record(
        "potential", staff.partner_a, status=Status.IN_REVIEW, title_en="Newer"
    )
    make_record("potential", staff.partner_a, title_en="Not submitted")
    client.force_login(staff.users["moderator"])
    text = client.get(reverse("admin:index")).text
    queue = text[text.index("Awaiting review") : text.index("Sent back to you")]
    older_url = reverse("admin:goodpractices_goodpractice_change", args=[older.pk])
    newer_url = reverse("admin:potentials_potential_change", args=[newer.pk])
    assert queue.index(older_url) < queue.index(newer_url)
    assert "Not submitted" not in queue


def test_someone_outside_the_workflow_sees_no_worklist(client, django_user_model):
    user = django_user_model.objects.create_user("clerk", is_staff=True)
    client.force_login(user)
    assert "Your work" not in client.get(reverse("admin:index")).text
