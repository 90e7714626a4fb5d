"""Bulk import and export in the admin: what a partner sees for each kind of file."""

import csv
import io
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editorial.history import versions_of
from editorial.models import ImportJob, Status
from goodpractices.import_export import GoodPracticeResource
from goodpractices.models import GoodPractice
from potentials.import_export import PotentialResource
from potentials.models import Potential
from regions.models import PolicyInstrument
from tests.factories import CategoryFactory, LegacyTypeFactory, RegionFactory
from tests.jobs import run_worker
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:potentials_potential_import")
CSV_FORMAT, XLSX_FORMAT = "0", "1"
HEADERS = [
    "slug",
    "title_en",
    "title_de",
    "summary_en",
    "summary_de",
    "region",
    "category",
    "legacy_types",
    "stage",
    "area_ha",
    "owner",
]


@pytest.fixture
def staff():
    staff = make_staff()
    RegionFactory(slug="test-region")
    CategoryFactory(slug="test-category")
    LegacyTypeFactory(slug="test-legacy")
    return staff


def row(slug, **changes):
    values = {
        "slug": slug,
        "title_en": f"Heat from {slug}",
        "title_de": f"Wärme aus {slug}",
        "summary_en": "Mine water heats the town.",
        "summary_de": "Grubenwasser heizt die Stadt.",
        "region": "test-region",
        "category": "test-category",
        "legacy_types": "test-legacy",
        "stage": "studied",
        "area_ha": "12.5",
        "owner": "partner-a",
    }
    values.update(changes)
    return [values[header] for header in HEADERS]


def csv_file(rows, headers=HEADERS, encoding="utf-8", name="potentials.csv"):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), "text/csv")


def upload(client, user, file, file_format=CSV_FORMAT):
    """Upload a file and let the worker check it: the import job's page (or the
    form again, when the file cannot be read)."""
    client.force_login(user)
    response = client.post(IMPORT_URL, {"import_file": file, "format": file_format})
    if response.status_code != 302:
        return response
    run_worker()
    return client.get(response["Location"])


def confirm(client, response):
    """Confirm a checked import and let the worker import it."""
    answer = client.post(response.context["confirm_url"])
    run_worker()
    return answer


def test_a_good_file_is_previewed_then_imported_as_drafts(client, staff):
    editor = staff.users["editor_a"]
    response = upload(client, editor, csv_file([row("pit-one"), row("pit-two")]))
    assert response.status_code == 200
    job = response.context["job"]
    assert job.status == ImportJob.Status.CHECKED
    assert (job.summary["new"], job.summary["invalid"], job.summary["error"]) == (
        2,
        0,
        0,
    )
    assert "Wärme aus pit-one" in response.text  # the dry run shows the rows
    # A dry run writes nothing.
    assert not Potential.objects.filter(slug__startswith="pit-").exists()

    assert confirm(client, response).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    potential = Potential.objects.get(slug="pit-one")
    assert (potential.title_en, potential.title_de) == (
        "Heat from pit-one",
        "Wärme aus pit-one",
    )
    assert potential.status == Status.DRAFT
    assert potential.owner == staff.partner_a
    assert potential.created_by == editor
    assert [lt.slug for lt in potential.legacy_types.all()] == ["test-legacy"]
    assert versions_of(potential).get().revision.user == editor


def test_the_dry_run_shows_what_an_update_would_change(client, staff):
    make_record(
        "potential",
        staff.partner_a,
        slug="pit-one",
        title_en="Old title",
        region=RegionFactory(slug="elsewhere"),
    )
    response = upload(client, staff.users["editor_a"], csv_file([row("pit-one")]))
    assert response.context["job"].summary["update"] == 1
    assert "<del" in response.text
    assert "elsewhere" in response.text and "test-region" in response.text
    assert Potential.objects.get(slug="pit-one").title_en == "Old title"


def test_a_file_with_one_bad_row_writes_nothing(client, staff):
    rows = [
        row("pit-one"),
        row(
            "pit-two",
            category="no-such-category",
            legacy_types="test-legacy,tar-pits",
            area_ha="-3",
        ),
    ]
    response = upload(client, staff.users["editor_a"], csv_file(rows))
    job = response.context["job"]
    assert job.status == ImportJob.Status.INVALID
    assert "Confirm import" not in response.text
    (invalid,) = job.summary["invalid_rows"]
    assert invalid["number"] == 2
    errors = invalid["errors"]
    assert set(errors) >= {"category", "legacy_types"}
    assert "greater than zero" in str(errors["__all__"])
    assert "no-such-category" in str(errors["category"])
    assert "tar-pits" in str(errors["legacy_types"])
    assert "Some rows failed to validate" in response.text
    assert not Potential.objects.filter(slug__startswith="pit-").exists()


def test_a_bad_row_rolls_back_the_whole_file_outside_the_dry_run_too(staff):
    dataset = tablib.Dataset(row("pit-one"), row("pit-two", stage="nonsense"))
    dataset.headers = HEADERS
    resource = PotentialResource(user=staff.users["moderator"])
    result = resource.import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    assert not Potential.objects.filter(slug__startswith="pit-").exists()


def test_unknown_columns_are_named_and_nothing_is_imported(client, staff):
    headers = [*HEADERS, "titel_fr"]
    rows = [[*row("pit-one"), "Chaleur"]]
    response = upload(client, staff.users["editor_a"], csv_file(rows, headers))
    assert response.status_code == 200
    assert "titel_fr" in response.text
    assert "does not know" in response.text
    assert response.context["job"].status == ImportJob.Status.INVALID
    assert "Confirm import" not in response.text
    assert not Potential.objects.filter(slug__startswith="pit-").exists()


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_a_file_in_the_wrong_encoding_is_explained(client, staff, encoding):
    rows = [row("pit-one", title_de="Wärme aus der Grube")]
    response = upload(
        client, staff.users["editor_a"], csv_file(rows, encoding=encoding)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["import_file"]
    assert "not in UTF-8" in errors[0]
    assert "CSV UTF-8" in response.text
    assert not Potential.objects.filter(slug__startswith="pit-").exists()


def test_an_xlsx_file_imports_like_a_csv(client, staff):
    dataset = tablib.Dataset(row("pit-one"), headers=HEADERS)
    file = SimpleUploadedFile(
        "potentials.xlsx",
        dataset.export("xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = upload(client, staff.users["moderator"], file, XLSX_FORMAT)
    assert response.context["job"].status == ImportJob.Status.CHECKED
    assert confirm(client, response).status_code == 302
    assert Potential.objects.get(slug="pit-one").title_de == "Wärme aus pit-one"


def test_an_editor_imports_only_for_their_own_organisation(client, staff):
    response = upload(
        client, staff.users["editor_a"], csv_file([row("pit-one", owner="partner-b")])
    )
    (invalid,) = response.context["job"].summary["invalid_rows"]
    assert "own organisation" in str(invalid["errors"]["owner"])
    assert not Potential.objects.filter(slug__startswith="pit-").exists()


def test_an_editor_cannot_overwrite_another_organisations_record(client, staff):
    make_record("potential", staff.partner_b, slug="pit-one", title_en="B's pit")
    response = upload(
        client, staff.users["editor_a"], csv_file([row("pit-one", owner="partner-b")])
    )
    assert response.context["job"].status == ImportJob.Status.INVALID
    assert Potential.objects.get(slug="pit-one").title_en == "B's pit"
    # B's record is a draft: the editor of A learns nothing of it but its slug.
    assert "B&#x27;s pit" not in response.text and "B's pit" not in response.text
    assert "B's pit" not in str(response.context["job"].summary)


def test_export_has_a_column_per_language_and_only_managed_records(client, staff):
    make_record("potential", staff.partner_a, slug="own", title_de="Eigene")
    make_record("potential", staff.partner_b, slug="theirs")
    client.force_login(staff.users["editor_a"])
    response = client.post(
        reverse("admin:potentials_potential_export"),
        {
            "format": CSV_FORMAT,
            **{
                f"potentialresource_{name}": "on" for name in PotentialResource().fields
            },
        },
    )
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    header = content.splitlines()[0].split(",")
    assert {"title_en", "title_de", "title_pl", "summary_fi"} <= set(header)
    assert "Eigene" in content
    assert "theirs" not in content


EVIDENCE_COLUMNS = {
    "legacy_types",
    "policy_instruments",
    "cost_min",
    "cost_max",
    "cost_currency",
    "funding_sources_en",
    "funding_sources_de",
    "implementation_months",
    "lifetime_years",
    "success_factors_en",
    "limiting_factors_en",
    "preconditions_en",
    "evidence_level",
    "transferable_region_kinds",
    "transferable_legacy_types",
}


def test_good_practice_evidence_round_trips_through_export_and_import(staff):
    """The evidence columns are exported, and a file with them changed imports
    them back; the network's validation is no column."""
    used, elsewhere = LegacyTypeFactory(slug="used"), LegacyTypeFactory(slug="other")
    instrument = PolicyInstrument.objects.create(
        name="Regional OP", slug="regional-op", kind="other", country="DE"
    )
    practice = make_record(
        "goodpractice",
        staff.partner_a,
        slug="heat-case",
        cost_min=Decimal("1000"),
        cost_max=Decimal("2000"),
        cost_currency="EUR",
        funding_sources_en="ERDF",
        funding_sources_de="EFRE",
        implementation_months=9,
        lifetime_years=20,
        success_factors_en="A committed mayor",
        limiting_factors_en="Flooding",
        preconditions_en="A permit",
        evidence_level="monitored",
        transferable_region_kinds=["town", "district"],
    )
    practice.legacy_types.add(used)
    practice.policy_instruments.add(instrument)
    practice.transferable_legacy_types.add(elsewhere)
    resource = GoodPracticeResource(user=staff.users["editor_a"])
    exported = resource.export(queryset=GoodPractice.objects.filter(pk=practice.pk))
    assert set(exported.headers) >= EVIDENCE_COLUMNS
    assert not {"validated_on", "validation_signature", "validated_by"} & set(
        exported.headers
    )
    (row,) = exported.dict
    assert Decimal(row["cost_min"]) == 1000 and row["cost_currency"] == "EUR"
    assert row["funding_sources_de"] == "EFRE"
    assert row["legacy_types"] == "used"
    assert row["policy_instruments"] == "regional-op"
    assert row["transferable_region_kinds"] == "town,district"
    assert row["transferable_legacy_types"] == "other"

    # Changed in the file, then imported back.
    changes = {
        "cost_max": "3000",
        "funding_sources_de": "EFRE und Land",
        "implementation_months": "12",
        "evidence_level": "evaluated",
        "transferable_region_kinds": "municipality",
        "legacy_types": "used,other",
        "transferable_legacy_types": "",
    }
    dataset = tablib.Dataset(headers=exported.headers)
    dataset.append([changes.get(name, value) for name, value in row.items()])
    result = GoodPracticeResource(user=staff.users["editor_a"]).import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True
    )
    assert not result.has_errors() and not result.has_validation_errors(), [
        (r.errors, r.validation_error) for r in result.rows
    ]
    practice.refresh_from_db()
    assert practice.cost_max == Decimal("3000")
    assert practice.funding_sources_de == "EFRE und Land"
    assert practice.implementation_months == 12
    assert practice.evidence_level == "evaluated"
    assert practice.transferable_region_kinds == ["municipality"]
    assert {lt.slug for lt in practice.legacy_types.all()} == {"used", "other"}
    assert not practice.transferable_legacy_types.exists()
    assert practice.lifetime_years == 20
