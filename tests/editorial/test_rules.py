"""The permission rules and services, called directly (as the API will call them)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from editorial.history import versions_of
from editorial.models import Status, Transition, TransitionError
from editorial.services import (
    publishable_create,
    publishable_delete,
    publishable_restore,
    publishable_transition,
    publishable_update,
)
from goodpractices.models import GoodPractice
from potentials.models import Potential
from tests.factories import PotentialFactory
from tests.workflow import CELLS, make_record, make_record_with_history, make_staff

pytestmark = pytest.mark.django_db

MODELS = {"potential": Potential, "goodpractice": GoodPractice}


def attempt(action: str, actor: str, staff, model: str) -> bool:
    """Try `action` as `actor` through the rule functions; True if it happened."""
    user = staff.users[actor]
    if action == "view_draft":
        record = make_record(model, staff.partner_a)
        return MODELS[model].objects.visible_to(user).filter(pk=record.pk).exists()
    if action in ("edit_own", "edit_another", "change_owner"):
        owner = (
            staff.other_partner(actor)
            if action == "edit_another"
            else staff.own_partner(actor)
        )
        record = make_record(model, owner)
        if action == "change_owner":
            record.owner = staff.another_than(owner)
        else:
            record.summary_en = "Edited"
        try:
            publishable_update(record=record, by=user)
        except PermissionDenied:
            record.refresh_from_db()
            assert record.owner == owner and record.summary_en != "Edited"
            return False
        record.refresh_from_db()
        return record.owner != owner or record.summary_en == "Edited"
    if action == "restore":
        record = make_record_with_history(
            model, staff.partner_a, staff.users["superuser"]
        )
        first = versions_of(record).first()
        try:
            publishable_restore(record=record, version=first, by=user)
        except PermissionDenied:
            return False
        record.refresh_from_db()
        return record.summary_en == "First summary"
    record = make_record(model, staff.partner_a)
    try:
        if action == "delete":
            publishable_delete(record=record, by=user)
        else:
            publishable_transition(record=record, by=user, transition=action)
    except PermissionDenied:
        assert MODELS[model].objects.get(pk=record.pk).status == Status.DRAFT
        return False
    return not MODELS[model].objects.filter(pk=record.pk, status=Status.DRAFT).exists()


@pytest.mark.parametrize("model", ["potential", "goodpractice"])
@pytest.mark.parametrize(("actor", "action", "allowed"), CELLS)
def test_permission_matrix_through_the_rule_functions(actor, action, allowed, model):
    assert attempt(action, actor, make_staff(), model) is allowed


def test_public_sees_published_records_only(db):
    staff = make_staff()
    published = make_record("potential", staff.partner_a, status=Status.PUBLISHED)
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        make_record("potential", staff.partner_a, status=status)
    theirs = Potential.objects.filter(owner=staff.partner_a)
    assert list(theirs.visible_to(staff.users["anonymous"])) == [published]
    assert theirs.visible_to(staff.users["editor_b"]).count() == 1
    assert theirs.visible_to(staff.users["editor_a"]).count() == 4


def test_publishing_stamps_the_date(db):
    staff = make_staff()
    record = make_record("potential", staff.partner_a)
    publishable_transition(
        transition=Transition.SUBMIT, record=record, by=staff.users["editor_a"]
    )
    assert record.status == Status.IN_REVIEW and record.published_at is None
    publishable_transition(
        transition=Transition.PUBLISH, record=record, by=staff.users["moderator"]
    )
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert record.published_at is not None


def test_editor_cannot_publish_even_their_own_record(db):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        publishable_transition(
            transition=Transition.PUBLISH, record=record, by=staff.users["editor_a"]
        )


def test_a_published_record_is_the_moderators_to_change(db):
    staff = make_staff()
    record = make_record("goodpractice", staff.partner_a, status=Status.PUBLISHED)
    record.summary_en = "Changed without review"
    with pytest.raises(PermissionDenied):
        publishable_update(record=record, by=staff.users["editor_a"])
    publishable_update(record=record, by=staff.users["moderator"])


def test_send_back_needs_a_comment_which_the_editor_then_sees(db):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    with pytest.raises(ValidationError) as error:
        publishable_transition(
            transition=Transition.SEND_BACK,
            record=record,
            by=staff.users["moderator"],
            comment=" ",
        )
    assert "comment" in error.value.message_dict
    publishable_transition(
        transition=Transition.SEND_BACK,
        record=record,
        by=staff.users["moderator"],
        comment="Add the capacity.",
    )
    record.refresh_from_db()
    assert (record.status, record.review_comment) == (Status.DRAFT, "Add the capacity.")
    publishable_transition(
        transition=Transition.SUBMIT, record=record, by=staff.users["editor_a"]
    )
    record.refresh_from_db()
    assert record.review_comment == ""
    comments = [v.revision.comment for v in versions_of(record)]
    assert any("Add the capacity." in comment for comment in comments)


def test_a_transition_the_status_does_not_allow_is_a_transition_error(db):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.PUBLISHED)
    with pytest.raises(TransitionError) as error:
        publishable_transition(
            transition=Transition.SUBMIT, record=record, by=staff.users["editor_a"]
        )
    assert "“Published”" in error.value.messages[0]


def test_status_cannot_be_changed_by_an_edit(db):
    staff = make_staff()
    record = make_record("potential", staff.partner_a)
    record.status = Status.PUBLISHED
    with pytest.raises(TransitionError):
        publishable_update(record=record, by=staff.users["superuser"])


def test_editor_creates_drafts_for_their_own_organisation_only(db):
    staff = make_staff()
    editor = staff.users["editor_a"]
    record = PotentialFactory.build(owner=None, status=Status.DRAFT)
    record.region.save()
    record.category.theme.save()
    record.category.save()
    record.category_id, record.region_id = record.category.pk, record.region.pk
    publishable_create(record=record, by=editor)
    assert record.owner == staff.partner_a
    assert record.created_by == editor

    other = PotentialFactory.build(
        owner=staff.partner_b,
        status=Status.DRAFT,
        region=record.region,
        category=record.category,
        slug="other",
    )
    with pytest.raises(PermissionDenied):
        publishable_create(record=other, by=editor)
    assert not Potential.objects.filter(slug="other").exists()
