"""The history reads as people write: dates in their language, numbers without
padding zeros, and a restore's difference without the workflow's fields."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from editorial.history import history_changes, versions_of
from editorial.services import publishable_transition, publishable_update
from potentials.models import Potential
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db


def revision_url(record, version):
    return reverse("admin:potentials_potential_revision", args=[record.pk, version.pk])


def test_a_number_that_only_lost_its_padding_zeros_is_no_change():
    staff = make_staff()
    record = make_record(
        "potential",
        staff.partner_a,
        latitude=Decimal("50.718900"),
        longitude=Decimal("12.5"),
    )
    record.latitude = Decimal("50.7189")
    record.summary_en = "Changed"
    publishable_update(record=record, by=staff.users["editor_a"])
    first, second = versions_of(record)
    labels = [change.label for change in history_changes(Potential, first, second)]
    assert "latitude" not in labels
    assert any("summary" in label for label in labels)
    record.latitude = Decimal("50.8")
    publishable_update(record=record, by=staff.users["editor_a"])
    third = list(versions_of(record))[-1]
    moved = {c.label: c for c in history_changes(Potential, second, third)}
    assert (moved["latitude"].before, moved["latitude"].after) == ("50.7189", "50.8")
    with translation.override("de"):
        moved = history_changes(Potential, second, third)
        assert "50,8" in [change.after for change in moved]


def test_dates_are_localised_and_a_restore_shows_no_status_row(client):
    staff = make_staff()
    record = make_record("potential", staff.partner_a, summary_en="First")
    record.summary_en = "Second"
    publishable_update(record=record, by=staff.users["editor_a"])
    publishable_transition(
        record=record, by=staff.users["moderator"], transition="publish"
    )
    first = versions_of(record).first()
    client.force_login(staff.users["moderator"])
    text = client.get(revision_url(record, first)).text
    when = timezone.localtime(first.revision.date_created)
    assert "+00:00" not in text
    assert str(first.revision.date_created) not in text
    assert "Version of " + date_format(when, "DATETIME_FORMAT") in text
    restoring = text[text.index("What restoring this version would change") :]
    assert "Second" in restoring and "First" in restoring
    table = restoring.split("</h2>", 1)[1].split("<form")[0].lower()
    assert ">status<" not in table
    assert "published at" not in table


def test_a_datetime_reads_as_a_date_not_as_python_prints_it():
    staff = make_staff()
    record = make_record("goodpractice", staff.partner_a)
    moment = datetime.datetime(2026, 11, 30, 10, 49, 46, 271142, tzinfo=datetime.UTC)
    before = type(record).objects.get(pk=record.pk)
    record.published_at = moment
    changes = {c.label: c for c in history_changes(type(record), before, record)}
    assert changes["published at"].after == "Nov. 30, 2026, 11:49 a.m."
