"""Similar good practices, and the potentials that could use a practice.

The traits and their weights are those of potentials/similarity.py (the one place
the weights live), read the good practice's way: its categories, themes and legacy
types are many, so each shared one counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.languages import reading_only
from goodpractices.models import GoodPractice
from potentials.models import Category, Potential, Theme
from potentials.similarity import (
    FOUND_LIMIT,
    SIMILAR_LIMIT,
    Found,
    Trait,
    filtered_list_url,
    found_by_pairs,
    region_traits,
    shared_many,
    similar_records,
    text_trait,
)
from regions.models import LegacyType


def good_practice_traits() -> list[Trait]:
    return [
        shared_many("category", GoodPractice.categories, Category),
        shared_many("legacy_type", GoodPractice.legacy_types, LegacyType),
        shared_many("theme", GoodPractice.themes, Theme),
        *region_traits(GoodPractice),
        text_trait(GoodPractice),
    ]


def similar_good_practices(
    practice: GoodPractice, *, limit: int = SIMILAR_LIMIT, only: Sequence[str] = ()
) -> list[GoodPractice]:
    """The published good practices most like `practice`, each with
    `.similarity` (score and reasons); read whole, or only the fields `only`
    names (core.languages.reading_only)."""
    return similar_records(
        practice,
        reading_only(GoodPractice.objects.published().select_related("region"), only),
        good_practice_traits(),
        limit=limit,
    )


def potentials_for_practice(
    practice: GoodPractice, *, limit: int = FOUND_LIMIT, only: Sequence[str] = ()
) -> Found:
    """The published potentials with a legacy type × category pair of `practice`:
    a category of the practice and one of its legacy types (the practice's pairs
    are every category with every legacy type), anywhere; most shared pairs
    first, each with `.shared_pairs`. One query; the potentials read whole, or
    only the fields `only` names."""
    categories = list(practice.categories.all())
    legacy_types = list(practice.legacy_types.all())
    if not categories or not legacy_types:
        return Found([], 0, None)
    potentials = found_by_pairs(
        reading_only(
            Potential.objects.published()
            .filter(category__in=[category.pk for category in categories])
            .select_related("region", "category"),
            only,
        ),
        [legacy.pk for legacy in legacy_types],
        limit,
    )
    return Found(
        potentials,
        potentials[0].found_total if potentials else 0,
        filtered_list_url(
            "potentials:potential-list",
            categories=[category.slug for category in categories],
            legacy_types=[legacy.slug for legacy in legacy_types],
        ),
    )
