"""The judged queries find their records in the top five (PostgreSQL's search)."""

import pytest

from tests.search.judged_queries import JUDGED_QUERIES, TOP, ranked

pytestmark = pytest.mark.django_db


def test_there_are_enough_judged_queries_in_enough_languages():
    assert len(JUDGED_QUERIES) >= 30
    assert {judged.language for judged in JUDGED_QUERIES} == {
        "en",
        "de",
        "pl",
        "cs",
        "hu",
        "sl",
        "fi",
    }


def test_each_judged_query_finds_its_records_in_the_top_five(seeded):
    misses = {
        str(judged): hits
        for judged in JUDGED_QUERIES
        if not set(judged.expected) <= set(hits := ranked(judged, limit=TOP))
    }
    assert misses == {}
