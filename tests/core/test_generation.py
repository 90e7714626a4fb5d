"""The content version, read once per GET or HEAD request (core/generation.py)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.generation import bump_generation, current_version, one_version_per_request

pytestmark = pytest.mark.django_db


def _reading_around_a_change(seen: list):
    def view(request):
        seen.append(current_version())
        bump_generation()
        seen.append(current_version())
        return HttpResponse()

    return one_version_per_request(view)


def test_a_get_request_files_everything_under_the_version_it_read_first():
    seen = []
    _reading_around_a_change(seen)(RequestFactory().get("/"))
    assert seen[0] == seen[1]
    # Outside a request, each read is a fresh one.
    assert current_version().number > seen[0].number


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_that_may_write_reads_the_version_afresh(method):
    seen = []
    _reading_around_a_change(seen)(getattr(RequestFactory(), method)("/"))
    assert seen[1].number > seen[0].number
