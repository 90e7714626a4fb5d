"""The admin's location boxes carry the map picker."""

import pytest
from django.urls import reverse

from tests.factories import RegionFactory, UserFactory
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db


def test_the_location_boxes_carry_the_map_picker_and_stay_typeable(client):
    staff = make_staff()
    record = make_record("potential", staff.partner_a)
    client.force_login(staff.users["editor_a"])
    text = client.get(
        reverse("admin:potentials_potential_change", args=[record.pk])
    ).text
    assert 'data-map-picker="latitude"' in text
    assert 'data-map-picker="longitude"' in text
    assert 'type="number"' in text and 'name="latitude"' in text
    assert "leaflet/leaflet.js" in text and "js/admin-map-picker.js" in text
    assert "https://unpkg" not in text and "cdn" not in text.lower()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    region = RegionFactory()
    text = client.get(reverse("admin:regions_region_change", args=[region.pk])).text
    assert 'data-map-picker="latitude"' in text
