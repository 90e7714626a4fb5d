import pytest
from django.db import IntegrityError, transaction

from editorial.models import Status
from potentials.models import Potential
from tests.factories import CategoryFactory, PartnerFactory, PotentialFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_reviews_and_archived_records():
    published = PotentialFactory(status=Status.PUBLISHED)
    others = [
        PotentialFactory(status=status)
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)
    ]
    these = Potential.objects.filter(pk__in=[published.pk, *(o.pk for o in others)])
    assert list(these.published()) == [published]


def test_new_potentials_start_as_drafts():
    potential = Potential.objects.create(
        title="New",
        slug="new",
        summary="…",
        category=CategoryFactory(),
        owner=PartnerFactory(),
    )
    assert potential.status == Status.DRAFT
    assert not Potential.objects.published().filter(pk=potential.pk).exists()


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
    before = Potential.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        PotentialFactory(**fields)
    assert Potential.objects.count() == before
