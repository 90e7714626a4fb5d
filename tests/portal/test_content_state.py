"""`manage.py content_state`: the content's state, counted exactly and cheaply."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.languages import language_codes
from core.models import Link
from editorial.models import Status
from portal.content_state import KINDS
from regions.models import PolicyInstrument
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    PartnerFactory,
    PotentialFactory,
    ProjectFactory,
    PublicationFactory,
    RegionFactory,
)
from tests.helpers import seed_content_delete

pytestmark = pytest.mark.django_db

PLACE = {"latitude": 51.5, "longitude": 14.0}


@pytest.fixture
def empty(db):
    """A database without the seed content (it comes back after the test)."""
    seed_content_delete()


def content_state(*args: str) -> str:
    out = StringIO()
    call_command("content_state", *args, stdout=out)
    return out.getvalue()


def state(*args: str) -> dict:
    return json.loads(content_state("--format", "json", *args))


def source(record, kind: str = Link.Kind.SOURCE) -> Link:
    return Link.objects.create(
        content_object=record, kind=kind, title="A page", url="https://example.org/"
    )


def languages(fields: dict[str, dict[str, int]], total: int, title: str) -> dict:
    """The expected `languages` of a kind: `fields` gives the filled counts by
    field and language; every language not named has none."""
    return {
        language: {
            "titled": fields[title].get(language, 0),
            "fields": {
                field: {
                    "filled": by_language.get(language, 0),
                    "share": round(by_language.get(language, 0) / total, 4),
                }
                for field, by_language in fields.items()
            },
        }
        for language in language_codes()
    }


def gap(*slugs: str) -> dict:
    return {"count": len(slugs), "records": sorted(slugs)}


class Content:
    """A small network: two regions with records, one without, and one record of
    every other kind."""

    def __init__(self):
        self.lusatia = RegionFactory(slug="lusatia", name="Lusatia", **PLACE)
        self.styria = RegionFactory(
            slug="styria",
            name="Styria",
            country="AT",
            population=1000,
            population_year=2020,
            population_source_title="A census",
        )
        self.empty_region = RegionFactory(slug="empty", name="Empty", **PLACE)
        self.partner = PartnerFactory(slug="a-partner", region=self.lusatia)
        self.category = CategoryFactory()
        self.sourced = PotentialFactory(
            slug="sourced",
            title="Mine water heat",
            title_de="Grubenwasserwärme",
            description="Heat from the flooded mine.",
            region=self.lusatia,
            category=self.category,
            owner=self.partner,
            **PLACE,
        )
        source(self.sourced)
        self.draft = PotentialFactory(
            slug="draft",
            status=Status.DRAFT,
            region=self.lusatia,
            category=self.category,
            owner=self.partner,
        )
        source(self.draft, kind=Link.Kind.WEBSITE)  # a website is not a source
        self.nowhere = PotentialFactory(
            slug="nowhere",
            status=Status.IN_REVIEW,
            region=None,
            category=self.category,
            owner=self.partner,
            **PLACE,
        )
        source(self.nowhere)
        self.practice = GoodPracticeFactory(
            slug="practice",
            title_pl="Dobra praktyka",
            region=self.styria,
            main_institution=self.partner,
            status=Status.ARCHIVED,
        )
        self.project = ProjectFactory(slug="a-project", title_fi="Hanke")
        self.publication = PublicationFactory(slug="a-report", project=self.project)
        source(self.publication)
        self.instrument = PolicyInstrument.objects.create(
            name="Regional programme",
            slug="programme",
            kind=PolicyInstrument.Kind.OPERATIONAL_PROGRAMME,
            country="DE",
            region=self.lusatia,
        )

    def grow(self, count: int) -> None:
        """More of every kind, some published, some drafts, with and without place
        and source."""
        for n in range(count):
            region = RegionFactory(**(PLACE if n % 2 else {}))
            partner = PartnerFactory(region=region)
            potential = PotentialFactory(
                region=region,
                category=self.category,
                owner=partner,
                status=Status.DRAFT if n % 2 else Status.PUBLISHED,
                title_de=f"Potenzial {n}",
                **(PLACE if n % 3 else {}),
            )
            source(potential)
            GoodPracticeFactory(region=region, main_institution=partner)
            project = ProjectFactory()
            source(PublicationFactory(project=project))
            PolicyInstrument.objects.create(
                name=f"Instrument {n}",
                slug=f"instrument-{n}",
                kind=PolicyInstrument.Kind.OTHER,
                country="DE",
            )


def test_counts_match_the_records_exactly(empty):
    Content()
    result = state()

    assert result["languages"] == language_codes()
    kinds = result["kinds"]
    assert list(kinds) == [kind.key for kind in KINDS]

    assert kinds["potentials"] == {
        "total": 3,
        "status": {"draft": 1, "in_review": 1, "published": 1, "archived": 0},
        "without_place": gap("draft"),
        "without_source": gap("draft"),
        "without_region": {**gap("nowhere"), "published": 0},
        "title_field": "title",
        "languages": languages(
            {
                "title": {"en": 3, "de": 1},
                "summary": {"en": 3},
                "description": {"en": 1},
                "utilisation_options": {},
            },
            total=3,
            title="title",
        ),
    }

    practices = kinds["good_practices"]
    assert practices["total"] == 1
    assert practices["status"] == {
        "draft": 0,
        "in_review": 0,
        "published": 0,
        "archived": 1,
    }
    assert practices["without_place"] == gap("practice")
    assert practices["without_source"] == gap("practice")
    assert practices["without_region"] == {**gap(), "published": 0}
    assert practices["languages"]["pl"]["titled"] == 1
    assert practices["languages"]["de"]["titled"] == 0
    assert practices["languages"]["en"]["fields"]["summary"] == {
        "filled": 1,
        "share": 1.0,
    }
    assert practices["languages"]["en"]["fields"]["validation_opinion"] == {
        "filled": 0,
        "share": 0.0,
    }

    regions = kinds["regions"]
    assert regions["total"] == 3
    assert "status" not in regions
    assert regions["without_place"] == gap("styria")
    assert regions["without_source"] == gap("lusatia", "styria", "empty")
    assert regions["population_without_source"] == gap("styria")
    assert regions["area_without_source"] == gap()
    assert regions["languages"]["en"]["titled"] == 3

    assert kinds["partners"]["total"] == 1
    assert "without_place" not in kinds["partners"]
    assert kinds["partners"]["without_source"] == gap("a-partner")
    assert kinds["projects"]["total"] == 1
    assert kinds["projects"]["languages"]["fi"]["titled"] == 1
    assert kinds["projects"]["languages"]["fi"]["fields"]["summary"]["filled"] == 0
    assert kinds["publications"]["total"] == 1
    assert kinds["publications"]["without_source"] == gap()
    assert kinds["policy_instruments"]["total"] == 1
    assert kinds["policy_instruments"]["title_field"] == "name"


def test_counts_per_region(empty):
    Content()
    by_region = state()["by_region"]

    assert by_region["regions"] == [
        {
            "slug": "styria",
            "name": "Styria",
            "country": "AT",
            "potentials": {"total": 0, "published": 0},
            "good_practices": {"total": 1, "published": 0},
        },
        {
            "slug": "empty",
            "name": "Empty",
            "country": "DE",
            "potentials": {"total": 0, "published": 0},
            "good_practices": {"total": 0, "published": 0},
        },
        {
            "slug": "lusatia",
            "name": "Lusatia",
            "country": "DE",
            "potentials": {"total": 2, "published": 1},
            "good_practices": {"total": 0, "published": 0},
        },
    ]
    assert by_region["regions_with_none"] == ["empty"]
    assert by_region["without_region"] == {
        "potentials": {"total": 1, "published": 0},
        "good_practices": {"total": 0, "published": 0},
    }


def test_kind_limits_the_state(empty):
    Content()
    result = state("--kind", "potentials")
    assert list(result["kinds"]) == ["potentials"]
    assert list(result["by_region"]["without_region"]) == ["potentials"]
    assert result["by_region"]["regions_with_none"] == ["styria", "empty"]

    result = state("--kind", "good-practices", "--kind", "regions")
    assert list(result["kinds"]) == ["good_practices", "regions"]

    assert "by_region" not in state("--kind", "partners")


def test_unknown_kind_is_refused(empty):
    with pytest.raises(CommandError, match="invalid choice"):
        content_state("--kind", "mines")


def test_text_has_its_headings_and_aligned_columns(empty):
    Content()
    text = content_state()

    for heading in (
        "Records per kind",
        "Potentials and good practices per region",
        "Languages",
        "Records without a place or a source",
        "Legend",
    ):
        assert f"\n{heading}\n{'=' * len(heading)}\n" in text
    lines = text.splitlines()
    start = lines.index("Records per kind") + 2
    table = lines[start : lines.index("", start)]
    assert table[0].startswith("kind ")
    assert len(table) == 2 + len(KINDS)
    # Figures are aligned to the right: every line ends where its ruler does.
    assert {len(line) for line in table} == {len(table[1])}
    potentials = next(line for line in table if line.startswith("Potentials"))
    assert potentials.split()[1:] == ["3", "1", "1", "1", "0", "1", "1"]
    assert "Policy instruments" in text
    assert "Lusatia" in text
    assert "Regions with none (1): empty" in text
    assert "no place (1): draft" in text


def test_text_of_one_kind_leaves_the_others_out(empty):
    Content()
    text = content_state("--kind", "regions")
    assert "Regions (3 records)" in text
    assert "Potentials" not in text
    assert "per region" not in text


def test_state_of_an_empty_database(empty):
    result = state()
    assert all(kind["total"] == 0 for kind in result["kinds"].values())
    assert result["kinds"]["potentials"]["languages"]["en"]["fields"]["title"] == {
        "filled": 0,
        "share": None,
    }
    assert "Regions with none (0)" in content_state()


def queries(*args: str) -> int:
    with CaptureQueriesContext(connection) as context:
        content_state(*args)
    return len(context.captured_queries)


@pytest.mark.parametrize("output", ["text", "json"])
def test_query_count_does_not_grow_with_the_content(empty, output):
    """One query per kind of record and one for the regions' table."""
    content = Content()
    small = queries("--format", output)
    content.grow(6)
    assert queries("--format", output) == small == len(KINDS) + 1
    assert queries("--format", output, "--kind", "publications") == 1
