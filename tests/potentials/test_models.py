import pytest
from django.db import IntegrityError, transaction

from potentials.models import Potential
from resource_portal.publishing import Status
from tests.factories import (
    CategoryFactory,
    PartnerFactory,
    PotentialFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_reviews_and_archived_records():
    published = PotentialFactory(status=Status.PUBLISHED)
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        PotentialFactory(status=status)
    assert list(Potential.objects.published()) == [published]


def test_new_potentials_start_as_drafts():
    potential = Potential.objects.create(
        title="New",
        slug="new",
        summary="…",
        category=CategoryFactory(),
        owner=PartnerFactory(),
    )
    assert potential.status == Status.DRAFT
    assert not Potential.objects.published().exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"area_ha": 0},
        {"area_ha": -3},
        {"capacity_mw": 0},
        {"latitude": 95, "longitude": 0},
    ],
)
def test_database_rejects_impossible_figures(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        PotentialFactory(**fields)
    assert not Potential.objects.exists()


def test_querysets_chain_by_place_and_theme():
    austria = RegionFactory(country="AT")
    wanted = PotentialFactory(region=austria)
    PotentialFactory(region=RegionFactory(country="DE"))
    PotentialFactory(region=austria, status=Status.DRAFT)
    found = (
        Potential.objects.published().in_country("AT").in_theme(wanted.category.theme)
    )
    assert list(found) == [wanted]
