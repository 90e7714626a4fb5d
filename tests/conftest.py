import pytest
from django.utils import translation

from resource_portal.seed import seed_content_load


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


@pytest.fixture
def seeded(db):
    """The database holding the portal's real seed content."""
    return seed_content_load()
