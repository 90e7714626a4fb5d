"""Similar potentials, and the good practices found from a potential."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from editorial.models import Status
from potentials.similarity import (
    SIMILAR_LIMIT,
    SIMILARITY_WEIGHTS,
    good_practices_for,
    similar_potentials,
)
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


class World:
    """Potentials around one, `me`, in countries and with a vocabulary the seed
    content does not use, so that only these records can be similar to it."""

    def __init__(self):
        theme, other_theme = ThemeFactory(), ThemeFactory()
        self.category = CategoryFactory(theme=theme, name="Heat from the deep")
        self.sibling = CategoryFactory(theme=theme, name="Sun on the heaps")
        self.elsewhere = CategoryFactory(theme=other_theme, name="Festivals")
        self.water, self.heaps, self.halls = (
            LegacyTypeFactory(name="Pit water"),
            LegacyTypeFactory(name="Spoil heaps"),
            LegacyTypeFactory(name="Machine halls"),
        )
        self.slate = Commodity.objects.create(slug="test-slate", name="Slate")
        self.tin = Commodity.objects.create(slug="test-tin", name="Tin")
        self.home = RegionFactory(name="Home valley", country="MT")
        self.neighbour = RegionFactory(name="Next valley", country="MT")
        self.far = RegionFactory(name="Far coast", country="IE")
        self.home.commodities.add(self.slate)
        self.neighbour.commodities.add(self.slate)
        self.far.commodities.add(self.tin)
        self.me = self.potential(
            "Zorblax quuxwell", self.category, [self.water, self.heaps], self.home
        )

    def potential(self, title, category, legacy_types, region, **kwargs):
        potential = PotentialFactory(
            title=title, category=category, region=region, **kwargs
        )
        potential.legacy_types.add(*legacy_types)
        return potential


@pytest.fixture
def world(seeded):
    return World()


def reasons_of(records) -> dict[str, dict[str, list[str]]]:
    return {
        record.slug: {
            reason.trait: [value.name for value in reason.values]
            for reason in record.similarity.reasons
        }
        for record in records
    }


def test_similar_potentials_come_with_exactly_the_traits_they_share(world):
    w = world
    same_use = w.potential("Alpha", w.category, [w.water], w.far)
    sibling = w.potential("Beta", w.sibling, [w.heaps, w.halls], w.neighbour)
    same_region = w.potential("Gamma", w.elsewhere, [w.halls], w.home)
    words = w.potential("Zorblax fair", w.elsewhere, [w.halls], w.far)
    w.potential("Nothing alike", w.elsewhere, [w.halls], w.far)

    found = similar_potentials(w.me)

    assert reasons_of(found) == {
        same_use.slug: {
            "category": ["Heat from the deep"],
            "legacy_type": ["Pit water"],
        },
        sibling.slug: {
            "legacy_type": ["Spoil heaps"],
            "theme": [w.category.theme.name],
            "country": ["Malta"],
            "commodity": ["Slate"],
        },
        same_region.slug: {"region": ["Home valley"]},
        words.slug: {"text": []},
    }
    assert [record.slug for record in found][:2] == [same_use.slug, sibling.slug]
    scores = [record.similarity.score for record in found]
    assert scores == sorted(scores, reverse=True)
    assert found[0].similarity.score == (
        SIMILARITY_WEIGHTS["category"] + SIMILARITY_WEIGHTS["legacy_type"]
    )
    assert found[0].similarity.text == (
        "same category: Heat from the deep; both use: Pit water"
    )


def test_never_the_record_itself_nor_drafts_and_at_most_five(world):
    w = world
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        w.potential("Zorblax quuxwell", w.category, [w.water], w.home, status=status)
    twins = [
        w.potential(f"Twin {n}", w.category, [w.water, w.heaps], w.home)
        for n in range(SIMILAR_LIMIT + 2)
    ]

    found = similar_potentials(w.me)

    assert len(found) == SIMILAR_LIMIT
    assert {record.status for record in found} == {Status.PUBLISHED}
    assert w.me not in found
    assert set(found) <= set(twins)


def test_a_potential_sharing_nothing_has_nothing_similar(world):
    w = world
    loner = w.potential("Qwyzzle", w.elsewhere, [], RegionFactory(country="IS"))
    w.potential("Alpha", w.category, [w.water], w.home)

    assert similar_potentials(loner) == []


def test_reasons_are_named_in_the_readers_language(world):
    w = world
    w.category.name_de = "Wärme aus der Tiefe"
    w.category.save()
    w.potential("Alpha", w.category, [w.water], w.far)
    with translation.override("de"):
        (found,) = similar_potentials(w.me)
    (category,) = found.similarity.reasons[0].values
    assert category == (w.category.slug, "Wärme aus der Tiefe")
    # Untranslated names fall back to English.
    assert found.similarity.reasons[1].values[0].name == "Pit water"


def test_the_similar_potentials_take_two_queries_whatever_the_data(world):
    w = world
    w.potential("Alpha", w.category, [w.water], w.far)
    with CaptureQueriesContext(connection) as few:
        similar_potentials(w.me)
    for n in range(30):
        w.potential(f"More {n}", w.sibling, [w.heaps, w.halls], w.neighbour)
    with CaptureQueriesContext(connection) as many:
        assert len(similar_potentials(w.me)) == SIMILAR_LIMIT
    assert len(few) == len(many) == 2


def test_a_potential_finds_the_practices_with_its_legacy_and_use_anywhere(world):
    """Not only the practices linked to it: any with one of its legacy type ×
    category pairs, most shared pairs first."""
    w = world

    def practice(title, categories, legacy_types, **kwargs):
        practice = GoodPracticeFactory(title=title, **kwargs)
        practice.categories.add(*categories)
        practice.legacy_types.add(*legacy_types)
        return practice

    one_pair = practice("One pair", [w.category, w.sibling], [w.water])
    both_pairs = practice("Both pairs", [w.category], [w.water, w.heaps])
    practice("Other use", [w.sibling], [w.water, w.heaps])
    practice("Other legacy", [w.category], [w.halls])
    practice("A draft", [w.category], [w.water], status=Status.DRAFT)

    found = good_practices_for(w.me)

    assert found.records == [both_pairs, one_pair]
    assert [p.shared_pairs for p in found.records] == [2, 1]
    assert found.total == 2
    assert found.url.startswith("/en/good-practices/?")
    assert f"category={w.category.slug}" in found.url
    assert f"legacy_type={w.water.slug}" in found.url

    body = Client().get(w.me.get_absolute_url()).content.decode()
    assert both_pairs.get_absolute_url() in body
    assert one_pair.get_absolute_url() in body
    assert "Other use" not in body and "A draft" not in body
    # The list behind "see all" shows the same practices.
    listed = Client().get(found.url)
    assert {p.slug for p in listed.context["page_obj"]} == {
        both_pairs.slug,
        one_pair.slug,
    }


def test_similar_words_decide_between_records_sharing_as_much_else(world):
    """The text rank is read only for records that could still be among the best
    with it; a record that could is ranked by it."""
    w = world
    for n in range(SIMILAR_LIMIT + 3):
        w.potential(f"Twin {n}", w.category, [w.water, w.heaps], w.far)
    wordy = w.potential("Zorblax twin", w.category, [w.water, w.heaps], w.far)
    only_words = w.potential("Zorblax quuxwell", w.elsewhere, [], w.far)

    found = similar_potentials(w.me)

    assert found[0] == wordy
    assert [reason.trait for reason in found[0].similarity.reasons][-1] == "text"
    assert only_words not in found
