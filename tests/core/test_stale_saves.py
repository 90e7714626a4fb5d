"""Two admin sessions on one record: the second save is refused, not lost."""

import threading

import pytest
from axes.models import AccessLog
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.admin import StaleSaveMixin
from core.models import Link
from regions.models import Partner, Region
from tests.factories import PartnerFactory, RegionFactory, UserFactory
from tests.helpers import admin_form_data
from tests.workflow import make_record, make_staff


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_the_second_of_two_sessions_is_refused_and_sees_both_versions(db):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, summary_en="Original")
    first, second = session(staff.users["editor_a"]), session(staff.users["moderator"])
    data_first = admin_form_data(first.get(change_url(record)))
    data_second = admin_form_data(second.get(change_url(record)))

    data_first["summary_en"] = "The editor's summary"
    assert first.post(change_url(record), data_first).status_code == 302

    data_second["summary_en"] = "The moderator's summary"
    response = second.post(change_url(record), data_second)
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.summary_en == "The editor's summary"
    assert "changed by someone else after you opened it" in response.text
    assert "editor_a saved it at" in response.text
    changes = response.context["stale_changes"]
    assert [(c["stored"], c["yours"]) for c in changes] == [
        ("The editor's summary", "The moderator's summary")
    ]
    assert str(changes[0]["label"]) == "Summary (English)"
    assert 'class="stale-stored">The editor&#x27;s summary' in response.text
    # The form keeps the moderator's text and now carries the stored version:
    # saving it again is a choice made with both in view.
    assert response.context["adminform"].form["summary_en"].value() == (
        "The moderator's summary"
    )
    again = admin_form_data(response)
    assert second.post(change_url(record), again).status_code == 302
    record.refresh_from_db()
    assert record.summary_en == "The moderator's summary"


def test_an_inline_change_makes_the_record_stale(root):
    region = RegionFactory()
    first, second = session(root), session(root)
    data_first = admin_form_data(first.get(change_url(region)))
    data_second = admin_form_data(second.get(change_url(region)))
    # The first session adds a link (a generic inline row) and changes nothing else.
    prefix = "core-link-content_type-object_id"
    data_first.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-kind": Link.Kind.choices[0][0],
            f"{prefix}-0-title_en": "Official site",
            f"{prefix}-0-url": "https://example.org/region",
            f"{prefix}-0-order": "0",
        }
    )
    response = first.post(change_url(region), data_first)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Link.objects.filter(object_id=region.pk, url__contains="example").exists()

    data_second["summary_en"] = "A summary written meanwhile"
    response = second.post(change_url(region), data_second)
    assert response.status_code == 200
    region.refresh_from_db()
    assert region.summary_en != "A summary written meanwhile"
    labels = [str(c["label"]) for c in response.context["stale_changes"]]
    assert "Summary (English)" in labels
    links = next(c for c in response.context["stale_changes"] if c["label"] == "links")
    assert "https://example.org/region" in links["stored"]
    assert "https://example.org/region" not in links["yours"]


def test_an_unchanged_record_saves_as_before(root):
    partner = PartnerFactory()
    client = session(root)
    data = admin_form_data(client.get(change_url(partner)))
    data["acronym"] = "NEW"
    assert client.post(change_url(partner), data).status_code == 302
    partner.refresh_from_db()
    assert partner.acronym == "NEW"


@pytest.mark.parametrize("model", [Region, Partner])
def test_every_model_partners_edit_is_checked(root, model):
    record = RegionFactory() if model is Region else PartnerFactory()
    client = session(root)
    stale = admin_form_data(client.get(change_url(record)))
    assert stale["_version"]
    assert (
        client.post(
            change_url(record), dict(stale, website="https://a.example")
        ).status_code
        == 302
    )
    response = client.post(change_url(record), dict(stale, website="https://b.example"))
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.website == "https://a.example"


def in_thread(function):
    """`function()` run on a connection of its own, outside the test's
    transaction: what it writes is committed, and seen by other connections."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except BaseException as error:  # noqa: BLE001 - raised again below
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _forget(user, region) -> None:
    Region.objects.filter(pk=region.pk).delete()
    AccessLog.objects.filter(username=user.username).delete()
    type(user).objects.filter(pk=user.pk).delete()


@pytest.mark.django_db
def test_two_saves_at_once_cannot_both_pass():
    """Both sessions send the same version at the same moment: the row lock makes
    one wait for the other, which then sees the new version and is refused."""
    user, region = in_thread(
        lambda: (
            UserFactory(username="stale-root", is_staff=True, is_superuser=True),
            RegionFactory(),
        )
    )
    try:
        data = in_thread(lambda: admin_form_data(session(user).get(change_url(region))))
        barrier = threading.Barrier(2)
        statuses = {}

        def save(website):
            try:
                client = session(user)
                barrier.wait(timeout=30)
                statuses[website] = client.post(
                    change_url(region), dict(data, website=website)
                ).status_code
            finally:
                connection.close()

        sites = ("https://one.example", "https://two.example")
        threads = [threading.Thread(target=save, args=(site,)) for site in sites]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(statuses.values()) == [200, 302]
        winner = next(site for site, status in statuses.items() if status == 302)
        stored = in_thread(lambda: Region.objects.get(pk=region.pk).website)
        assert stored == winner
    finally:
        in_thread(lambda: _forget(user, region))


def test_every_model_partners_and_moderators_edit_refuses_stale_saves():
    edited = {"regions", "potentials", "goodpractices", "portal"}
    unchecked = [
        model.__name__
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in edited
        and not isinstance(model_admin, StaleSaveMixin)
    ]
    assert unchecked == []
