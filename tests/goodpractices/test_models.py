import datetime

import pytest
from django.db import IntegrityError, transaction

from editorial.models import Status
from goodpractices.models import GoodPractice
from tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_reviews_and_archived_records():
    published = GoodPracticeFactory()
    others = [
        GoodPracticeFactory(status=status)
        for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)
    ]
    these = GoodPractice.objects.filter(pk__in=[published.pk, *(o.pk for o in others)])
    assert list(these.published()) == [published]


def test_database_rejects_practice_ending_before_it_starts():
    before = GoodPractice.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        GoodPracticeFactory(
            start_date=datetime.date(2020, 5, 1), end_date=datetime.date(2019, 5, 1)
        )
    assert GoodPractice.objects.count() == before
