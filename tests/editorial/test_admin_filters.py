"""Change-list filters offer only the values in use."""

import pytest
from django.urls import reverse

from tests.factories import PotentialFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_country_filter_lists_only_countries_that_occur(
    client, django_assert_max_num_queries
):
    PotentialFactory(region=RegionFactory(country="IS"))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:potentials_potential_changelist")
    with django_assert_max_num_queries(40):
        text = client.get(url).text
    assert "region__country=IS" in text and "Iceland" in text
    # A country no region of a potential lies in is not offered.
    assert "region__country=BR" not in text and "Brazil" not in text
    regions = client.get(reverse("admin:regions_region_changelist")).text
    assert "country=IS" in regions
    assert "country=BR" not in regions
    assert regions.count("country=") < 40


def test_related_filters_list_only_related_records_in_use(client):
    used = PotentialFactory().category
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    text = client.get(reverse("admin:potentials_potential_changelist")).text
    assert f"category__id__exact={used.pk}" in text
    unused = type(used).objects.create(
        theme=used.theme, name="Nobody's category", slug="nobodys-category"
    )
    text = client.get(reverse("admin:potentials_potential_changelist")).text
    assert f"category__id__exact={unused.pk}" not in text
