"""Case sheets: a potential or good practice as a PDF, in the Interreg Europe
good-practice template's order of sections, in the reader's language."""

import io

import pytest
from pypdf import PdfReader

from core.models import Link
from editorial.models import Status
from tests.factories import GoodPracticeFactory, PotentialFactory

pytestmark = pytest.mark.django_db

INTERREG_ORDER = [
    "Summary",
    "Detailed description",
    "Resources needed",
    "Evidence of success",
    "Difficulties encountered",
    "Potential for learning or transfer",
    "Further information",
]


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts(response) -> set[str]:
    reader = PdfReader(io.BytesIO(response.content))
    return {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def in_order(text: str, headings: list[str]) -> bool:
    positions = [text.find(heading) for heading in headings]
    return -1 not in positions and positions == sorted(positions)


def test_a_good_practice_case_sheet_follows_the_interreg_template(seeded, client):
    practice = GoodPracticeFactory(
        title="Łużycka kopalnia, Žďár a Őrség: Äänekoski",
        original_language="pl",
        description="How it was done.",
        resources_needed="Regional ERDF funds.",
        evidence_of_success="Two projects followed.",
        difficulties_encountered="No short-term gains.",
        potential_for_learning="Regions with a vision.",
    )
    practice.links.create(
        kind=Link.Kind.MORE, title="More information", url="https://example.org/gp"
    )
    response = client.get(f"/en/good-practices/{practice.slug}/case-sheet.pdf")
    text = pdf_text(response)
    assert in_order(text, INTERREG_ORDER)
    # Letters of Polish, Czech, Hungarian and Finnish, in a font that has them.
    assert "Łużycka kopalnia, Žďár a Őrség: Äänekoski" in text.replace("\n", " ")
    assert all("DejaVu" in font for font in fonts(response))
    # Where it comes from, and that the English is a translation not yet reviewed.
    assert f"http://testserver/en/good-practices/{practice.slug}/" in text
    assert "printed on" in text
    assert "translated and have not yet been reviewed" in text
    assert "https://example.org/gp" in text


def test_a_case_sheet_is_in_the_readers_language(seeded, client):
    practice = GoodPracticeFactory(title_de="Grubenwasser als Wärmequelle")
    response = client.get(f"/de/good-practices/{practice.slug}/case-sheet.pdf")
    assert response["Content-Language"] == "de"
    assert "Grubenwasser als Wärmequelle" in pdf_text(response)


def test_a_potential_case_sheet_keeps_the_same_order(seeded, client):
    potential = PotentialFactory(
        description="A flooded pit.", utilisation_options="Heat pumps."
    )
    response = client.get(f"/en/potentials/{potential.slug}/case-sheet.pdf")
    text = pdf_text(response)
    assert in_order(text, ["Summary", "Detailed description", "Utilisation options"])
    assert potential.title in text


def test_detail_pages_link_their_case_sheet(seeded, client):
    practice = GoodPracticeFactory()
    html = client.get(practice.get_absolute_url()).content.decode()
    assert f'href="/en/good-practices/{practice.slug}/case-sheet.pdf"' in html


@pytest.mark.parametrize("factory", [GoodPracticeFactory, PotentialFactory])
def test_no_case_sheet_of_a_draft_for_the_public(seeded, client, factory):
    record = factory(status=Status.DRAFT)
    path = f"{record.get_absolute_url()}case-sheet.pdf"
    assert client.get(path).status_code == 404
    assert client.get("/en/potentials/no-such-thing/case-sheet.pdf").status_code == 404
