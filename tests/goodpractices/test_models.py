import datetime

import pytest
from django.db import IntegrityError, transaction

from goodpractices.models import GoodPractice
from resource_portal.publishing import Status
from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_reviews_and_archived_records():
    published = GoodPracticeFactory()
    GoodPracticeFactory(status=Status.DRAFT)
    GoodPracticeFactory(status=Status.IN_REVIEW)
    GoodPracticeFactory(status=Status.ARCHIVED)
    assert list(GoodPractice.objects.published()) == [published]


def test_database_rejects_practice_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        GoodPracticeFactory(
            start_date=datetime.date(2020, 5, 1), end_date=datetime.date(2019, 5, 1)
        )
    assert not GoodPractice.objects.exists()
