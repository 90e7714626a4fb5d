"""Similar good practices, the potentials that could use a practice, and the
utilisation matrix's count of practices."""

import pytest
from django.test import Client

from editorial.models import Status
from goodpractices.similarity import potentials_for_practice, similar_good_practices
from regions.models import Commodity
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    PotentialFactory,
    RegionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabulary(seeded):
    """Themes, categories, legacy types and places the seed content does not use."""
    theme, other = ThemeFactory(name="Deep things"), ThemeFactory(name="Loud things")
    home = RegionFactory(name="Home valley", country="MT")
    home.commodities.add(Commodity.objects.create(slug="test-slate", name="Slate"))
    return {
        "theme": theme,
        "other theme": other,
        "heat": CategoryFactory(theme=theme, name="Heat"),
        "sun": CategoryFactory(theme=theme, name="Sun"),
        "fairs": CategoryFactory(theme=other, name="Fairs"),
        "water": LegacyTypeFactory(name="Pit water"),
        "heaps": LegacyTypeFactory(name="Spoil heaps"),
        "halls": LegacyTypeFactory(name="Machine halls"),
        "home": home,
        "far": RegionFactory(name="Far coast", country="IE"),
    }


def practice(title, *, categories=(), legacy_types=(), themes=(), **kwargs):
    record = GoodPracticeFactory(title=title, **kwargs)
    record.categories.add(*categories)
    record.legacy_types.add(*legacy_types)
    record.themes.add(*themes)
    return record


def test_similar_practices_share_categories_themes_legacy_and_place(vocabulary):
    v = vocabulary
    me = practice(
        "Zorblax quuxwell",
        categories=[v["heat"], v["sun"]],
        legacy_types=[v["water"]],
        themes=[v["theme"]],
        region=v["home"],
    )
    close = practice(
        "Alpha",
        categories=[v["heat"], v["sun"]],
        legacy_types=[v["water"], v["halls"]],
        region=v["far"],
    )
    themed = practice("Beta", themes=[v["theme"], v["other theme"]], region=v["far"])
    neighbour = practice("Gamma", categories=[v["fairs"]], region=v["home"])
    practice(
        "Delta", categories=[v["fairs"]], legacy_types=[v["heaps"]], region=v["far"]
    )
    practice("Zorblax", categories=[v["heat"]], status=Status.DRAFT)

    found = similar_good_practices(me)

    assert {
        record.slug: {
            reason.trait: [value.name for value in reason.values]
            for reason in record.similarity.reasons
        }
        for record in found
    } == {
        close.slug: {"category": ["Heat", "Sun"], "legacy_type": ["Pit water"]},
        themed.slug: {"theme": ["Deep things"]},
        neighbour.slug: {"region": ["Home valley"]},
    }
    assert found[0] == close
    assert found[0].similarity.reasons[0].text == "same categories: Heat, Sun"


def test_a_practice_finds_the_potentials_that_could_use_it(vocabulary):
    """Potentials with one of the practice's legacy type × category pairs,
    anywhere, most shared pairs first; drafts never."""
    v = vocabulary
    me = practice(
        "Heat from pits",
        categories=[v["heat"], v["fairs"]],
        legacy_types=[v["water"], v["heaps"]],
    )

    def potential(title, category, legacy_types, **kwargs):
        record = PotentialFactory(title=title, category=category, **kwargs)
        record.legacy_types.add(*legacy_types)
        return record

    two = potential("Two pairs", v["heat"], [v["water"], v["heaps"]])
    one = potential("One pair", v["fairs"], [v["heaps"], v["halls"]])
    potential("Other use", v["sun"], [v["water"]])
    potential("Other legacy", v["heat"], [v["halls"]])
    potential("Draft", v["heat"], [v["water"]], status=Status.DRAFT)

    found = potentials_for_practice(me)

    assert found.records == [two, one]
    assert [record.shared_pairs for record in found.records] == [2, 1]
    assert found.total == 2
    body = Client().get(me.get_absolute_url()).content.decode()
    assert "Potentials that could use this practice" in body
    assert two.get_absolute_url() in body and one.get_absolute_url() in body
    assert "Other use" not in body and "Draft" not in body
    listed = Client().get(found.url)
    assert {record.slug for record in listed.context["page_obj"]} == {
        two.slug,
        one.slug,
    }


def test_the_good_practices_list_filters_by_legacy_type(vocabulary):
    v = vocabulary
    with_water = practice("Wet", legacy_types=[v["water"]])
    practice("Dry", legacy_types=[v["heaps"]])

    response = Client().get(f"/en/good-practices/?legacy_type={v['water'].slug}")

    assert [record.slug for record in response.context["page_obj"]] == [with_water.slug]
    bad = Client().get("/en/good-practices/?legacy_type=no-such-legacy")
    assert bad.status_code in (200, 400)


def test_the_matrix_counts_potentials_and_practices_per_cell(vocabulary):
    """Per legacy type × category: published potentials, and published practices
    with that legacy type and that category; drafts in neither."""
    v = vocabulary
    for status in (Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT):
        record = PotentialFactory(category=v["heat"], status=status)
        record.legacy_types.add(v["water"], v["heaps"])
    practice("Both", categories=[v["heat"], v["sun"]], legacy_types=[v["water"]])
    practice("Sun", categories=[v["sun"]], legacy_types=[v["water"], v["heaps"]])
    practice(
        "Draft", categories=[v["heat"]], legacy_types=[v["water"]], status=Status.DRAFT
    )

    response = Client().get("/en/utilisation-matrix/")
    cells = {
        (row["legacy_type"].slug, cell["category"].slug): cell
        for row in response.context["rows"]
        for cell in row["cells"]
    }

    def counts(legacy, category):
        cell = cells[(v[legacy].slug, v[category].slug)]
        return cell["count"], cell["practices"]

    assert counts("water", "heat") == (2, 1)
    assert counts("heaps", "heat") == (2, 0)
    assert counts("water", "sun") == (0, 2)
    assert counts("heaps", "sun") == (0, 1)
    assert counts("halls", "heat") == (0, 0)
    cell = cells[(v["water"].slug, v["sun"].slug)]
    listed = Client().get(cell["practices_url"])
    assert {record.title for record in listed.context["page_obj"]} == {"Both", "Sun"}
    body = response.content.decode()
    assert cell["practices_url"].replace("&", "&amp;") in body
