"""The benchmarks' own wiring, which no other test would notice breaking."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="bench.api_urls")
def test_the_api_benchmark_serves_the_portal_beside_its_floor(client):
    assert client.get("/bench/floor/").json() == {"ok": True}
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/en/").status_code == 200
