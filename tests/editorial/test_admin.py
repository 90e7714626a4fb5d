"""The editorial workflow through the admin, as partner staff and moderators use it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from editorial.history import versions_of
from editorial.models import Status
from goodpractices.models import GoodPractice
from potentials.models import Potential
from tests.factories import UserFactory
from tests.helpers import admin_form_data
from tests.workflow import CELLS, make_record, make_record_with_history, make_staff

pytestmark = pytest.mark.django_db

MODELS = {"potential": Potential, "goodpractice": GoodPractice}


def url(record, view, *args):
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[record.pk, *args]
    )


def client_for(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def form_data(client, staff, record) -> dict:
    """The change form as a superuser would send it back unchanged."""
    client.force_login(staff.users["superuser"])
    data = admin_form_data(client.get(url(record, "change")))
    client.logout()
    return data


def attempt(action, actor, staff, model, client) -> bool:
    """Try `action` as `actor` through the admin; True if it happened."""
    user = staff.users[actor]
    Model = MODELS[model]
    if action == "view_draft":
        record = make_record(model, staff.partner_a, title_en="A secret draft")
        response = client_for(client, user).get(url(record, "change"))
        assert response.status_code in (200, 302, 403)
        return response.status_code == 200 and "A secret draft" in response.text
    if action in ("edit_own", "edit_another", "change_owner"):
        owner = (
            staff.other_partner(actor)
            if action == "edit_another"
            else staff.own_partner(actor)
        )
        record = make_record(model, owner)
        data = form_data(client, staff, record)
        if action == "change_owner":
            data["owner"] = str(staff.another_than(owner).pk)
        else:
            data["summary_en"] = "Edited in the admin"
        response = client_for(client, user).post(url(record, "change"), data)
        assert response.status_code in (200, 302, 403)
        record.refresh_from_db()
        return record.owner != owner or record.summary_en == "Edited in the admin"
    if action == "restore":
        record = make_record_with_history(
            model, staff.partner_a, staff.users["superuser"]
        )
        first = versions_of(record).first()
        response = client_for(client, user).post(url(record, "revision", first.pk))
        assert response.status_code in (302, 403)
        record.refresh_from_db()
        return record.summary_en == "First summary"
    record = make_record(model, staff.partner_a)
    if action == "delete":
        response = client_for(client, user).post(url(record, "delete"), {"post": "yes"})
        assert response.status_code in (302, 403)
        return not Model.objects.filter(pk=record.pk).exists()
    response = client_for(client, user).post(url(record, "transition", action))
    assert response.status_code in (302, 403)
    return Model.objects.get(pk=record.pk).status != Status.DRAFT


@pytest.mark.parametrize(("actor", "action", "allowed"), CELLS)
def test_permission_matrix_through_the_admin(actor, action, allowed, client):
    # Potentials and good practices share one admin class (PublishableAdmin) and
    # the rule tests cover both models; through the admin one model suffices.
    assert attempt(action, actor, make_staff(), "potential", client) is allowed


@pytest.mark.parametrize("action", ["view_draft", "edit_another", "publish", "restore"])
def test_good_practices_follow_the_same_rules_in_the_admin(action, client):
    staff = make_staff()
    assert attempt(action, "editor_b", staff, "goodpractice", client) is False
    assert attempt(action, "moderator", staff, "goodpractice", client) is True


def test_groups_come_from_the_migration(db):
    editors = Group.objects.get(name="Editors")
    moderators = Group.objects.get(name="Moderators")
    assert editors.permissions.filter(codename="change_potential").exists()
    assert not editors.permissions.filter(codename="delete_potential").exists()
    assert not editors.permissions.filter(codename="change_partner").exists()
    assert moderators.permissions.filter(codename="change_partner").exists()
    assert not moderators.permissions.filter(codename="delete_goodpractice").exists()


def test_editor_sees_only_their_organisations_records(client):
    staff = make_staff()
    own = make_record("potential", staff.partner_a, status=Status.PUBLISHED)
    make_record("potential", staff.partner_b, status=Status.PUBLISHED)
    client.force_login(staff.users["editor_a"])
    response = client.get(reverse("admin:potentials_potential_changelist"))
    assert list(response.context["cl"].result_list) == [own]


def test_editor_add_form_offers_only_their_own_organisation(client):
    staff = make_staff()
    client.force_login(staff.users["editor_a"])
    response = client.get(reverse("admin:goodpractices_goodpractice_add"))
    owner_field = response.context["adminform"].form.fields["owner"]
    assert list(owner_field.queryset) == [staff.partner_a]


def test_membership_added_in_the_user_admin_grants_the_role(client):
    staff = make_staff()
    newcomer = UserFactory(username="newcomer")
    client.force_login(staff.users["superuser"])
    change_url = reverse("admin:auth_user_change", args=[newcomer.pk])
    data = admin_form_data(client.get(change_url))
    data.update(
        {
            "staff_memberships-TOTAL_FORMS": "1",
            "staff_memberships-0-partner": str(staff.partner_b.pk),
            "staff_memberships-0-role": "editor",
            # The admin splits the date into two inputs.
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        }
    )
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert list(newcomer.groups.values_list("name", flat=True)) == ["Editors"]


def test_moderator_sends_back_with_a_comment_shown_on_the_record(client):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, status=Status.IN_REVIEW)
    client.force_login(staff.users["moderator"])
    send_back = url(record, "transition", "send_back")
    response = client.post(send_back, {"comment": ""})
    assert response.status_code == 200
    assert "Say what the editor should change" in response.text
    response = client.post(send_back, {"comment": "Please add the area."})
    assert response.status_code == 302
    client.force_login(staff.users["editor_a"])
    response = client.get(url(record, "change"))
    assert "Please add the area." in response.text
    assert url(record, "transition", "submit") in response.text


def test_edit_in_two_languages_then_restore_brings_both_back(client):
    staff = make_staff()
    record = make_record(
        "potential",
        staff.partner_a,
        title_en="Mine water heat",
        title_de="Grubenwasserwärme",
        summary_en="Heat from flooded pits.",
        summary_de="Wärme aus gefluteten Gruben.",
    )
    editor = staff.users["editor_a"]
    data = form_data(client, staff, record)
    data.update(title_en="Mine water geothermal", title_de="Grubenwasser-Geothermie")
    client.force_login(editor)
    assert client.post(url(record, "change"), data).status_code == 302
    record.refresh_from_db()
    assert (record.title_en, record.title_de) == (
        "Mine water geothermal",
        "Grubenwasser-Geothermie",
    )

    versions = list(versions_of(record))
    assert len(versions) == 2  # the state before the first edit, and the edit
    assert versions[0].field_dict["title_de"] == "Grubenwasserwärme"
    assert versions[1].revision.user == editor

    history = client.get(url(record, "history"))
    assert history.status_code == 200
    page = client.get(url(record, "revision", versions[1].pk))
    assert page.status_code == 200
    assert "<del>Grubenwasserwärme</del>" in page.text
    assert "<ins>Grubenwasser-Geothermie</ins>" in page.text

    response = client.post(url(record, "revision", versions[0].pk))
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.title_en, record.title_de) == (
        "Mine water heat",
        "Grubenwasserwärme",
    )
    assert record.summary_de == "Wärme aus gefluteten Gruben."
    assert record.legacy_types.count() == 1
    assert record.status == Status.DRAFT
    assert versions_of(record).count() == 3


def test_restore_keeps_the_editorial_state(client):
    staff = make_staff()
    record = make_record_with_history(
        "goodpractice", staff.partner_a, staff.users["superuser"]
    )
    client.force_login(staff.users["moderator"])
    client.post(url(record, "transition", "publish"))
    first = versions_of(record).first()
    assert first.field_dict["status"] == Status.DRAFT
    client.post(url(record, "revision", first.pk))
    record.refresh_from_db()
    assert record.summary_en == "First summary"
    assert record.status == Status.PUBLISHED


def test_another_organisations_history_is_closed_to_an_editor(client):
    staff = make_staff()
    record = make_record_with_history(
        "potential", staff.partner_a, staff.users["superuser"]
    )
    client.force_login(staff.users["editor_b"])
    assert client.get(url(record, "history")).status_code in (302, 403)
    first = versions_of(record).first()
    assert client.get(url(record, "revision", first.pk)).status_code in (302, 403)


def test_a_deleted_record_can_be_recovered_by_a_superuser(client):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, title_en="Headframe")
    client.force_login(staff.users["superuser"])
    client.post(url(record, "delete"), {"post": "yes"})
    assert not Potential.objects.filter(pk=record.pk).exists()
    response = client.get(reverse("admin:potentials_potential_recoverlist"))
    assert "Headframe" in response.text
    client.force_login(staff.users["moderator"])
    assert (
        client.get(reverse("admin:potentials_potential_recoverlist")).status_code == 403
    )


def test_editor_links_a_good_practice_to_another_organisations_published_potential(
    client,
):
    staff = make_staff()
    make_record(
        "potential", staff.partner_b, status=Status.PUBLISHED, title_en="Quarzit lake"
    )
    make_record("potential", staff.partner_b, title_en="Quarzit draft")
    client.force_login(staff.users["editor_a"])
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "goodpractices",
            "model_name": "goodpractice",
            "field_name": "potentials",
            "term": "Quarzit",
        },
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["Quarzit lake"]


def test_a_bulk_action_keeps_one_revision_per_record(client):
    staff = make_staff()
    first = make_record("potential", staff.partner_a)
    second = make_record("potential", staff.partner_a)
    client.force_login(staff.users["moderator"])
    response = client.post(
        reverse("admin:potentials_potential_changelist"),
        {"action": "publish_selected", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    for record in (first, second):
        record.refresh_from_db()
        assert record.status == Status.PUBLISHED
        latest = versions_of(record).last()
        kinds = {
            version.content_type.model for version in latest.revision.version_set.all()
        }
        assert (
            latest.revision.version_set.filter(content_type__model="potential").count()
            == 1
        )
        assert kinds <= {"potential", "potentialactor", "potentialimage", "link"}
