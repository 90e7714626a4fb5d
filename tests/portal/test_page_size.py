"""No page grows with the data beyond its page size."""

import pytest

from tests.portal.test_bounds import PAGES, World

pytestmark = pytest.mark.django_db

# More than any page shows of one kind: a list's page (20), a detail page's
# related records (core.db.RELATED_PAGE_SIZE, 10), the home page's newest (4).
RECORDS = 25
# What may differ between the two sizes: counts and the numbers in the titles and
# addresses of the records shown (one more digit each), never another record.
SLACK = 400

# Their size follows the data on purpose: a feed holds its newest 50 entries, a
# sitemap page 250 records (tests/portal/test_sitemaps.py bounds those), and the
# statistics show figures for every region and country (aggregates). Not yet
# bounded: a project's (and a region's) actor network, whose table lists every
# organisation (regions/network.py; the diagram already stops at 60).
GROWING = {"feed", "sitemap", "sitemap index", "statistics", "project"}


class Records(World):
    """World's records, without the new legacy type each of its potentials brings:
    the vocabulary is not what grows here (the matrix has a column for each)."""

    new_legacy_types = False


def sizes(client, world: Records) -> dict[str, int]:
    sizes = {}
    for page, url in PAGES.items():
        if page in GROWING:
            continue
        response = client.get(url(world))
        assert response.status_code == 200, page
        sizes[page] = len(response.content)
    return sizes


def test_no_page_grows_with_the_number_of_records_beyond_its_page_size(client):
    world = Records()
    world.grow(RECORDS)
    few = sizes(client, world)
    world.grow(2 * RECORDS)
    many = sizes(client, world)
    grown = {
        page: many[page] - few[page]
        for page in few
        if abs(many[page] - few[page]) > SLACK
    }
    assert not grown, f"grew by bytes: {grown}"
