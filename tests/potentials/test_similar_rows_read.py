"""Finding similar records (and similar regions) reads as many rows at ten times
the records.

The statements score a bounded set of candidates (`CANDIDATES_PER_TRAIT` per
trait), so the rows they read do not grow with the data.
The data sets of tests/portal/test_rows_read.py, where every copy of a record
shares all of its traits: the bound is lowered below the small set's size, so
that both sets have more candidates than are scored.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodpractices.similarity import similar_good_practices
from potentials import similarity
from potentials.similarity import similar_potentials
from regions import similarity as region_similarity
from regions.similarity import region_profile, similar_regions
from tests.portal.test_rows_read import SMALL, World, _rows_scanned, grows

pytestmark = pytest.mark.django_db

# Below SMALL, so that the small set already has more candidates than are scored.
PER_TRAIT = 10


def similar_rows(find, record) -> int:
    """Rows read by the statements that find what is similar to `record`."""
    with CaptureQueriesContext(connection) as context:
        found = find(record)
    assert found, "nothing similar found"
    rows = 0
    for query in context.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
            (explained,) = cursor.fetchone()
        if isinstance(explained, str):
            explained = json.loads(explained)
        rows += _rows_scanned(explained[0]["Plan"])
    return rows


def test_similar_records_read_as_many_rows_at_ten_times_the_records(monkeypatch):
    monkeypatch.setattr(similarity, "CANDIDATES_PER_TRAIT", PER_TRAIT)
    monkeypatch.setattr(region_similarity, "CANDIDATES_PER_TRAIT", PER_TRAIT)
    world = World()
    world.practice.categories.add(world.category)
    world.practice.legacy_types.add(world.legacy_type)
    kinds = {
        "potential": (similar_potentials, world.potential),
        "good practice": (similar_good_practices, world.practice),
        # The region's profile aside: read before, once for the page.
        "region": (similar_regions, region_profile(world.region)),
    }
    world.grow(SMALL)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("ANALYZE")
    small = {kind: similar_rows(*found) for kind, found in kinds.items()}
    world.grow(9 * SMALL)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("ANALYZE")
    large = {kind: similar_rows(*found) for kind, found in kinds.items()}
    # No absolute bound: on sets this small the planner reads the relations'
    # few pages whole rather than through their indexes.
    assert not any(grows(small[kind], large[kind]) for kind in kinds), (small, large)
