"""The FilterSets shared by the public pages and the API."""

import pytest
from django.http import QueryDict

from goodpractices.filters import GoodPracticeFilter
from goodpractices.models import GoodPractice
from potentials.filters import PotentialFilter
from potentials.models import Potential
from regions.filters import (
    PartnerFilter,
    ProjectFilter,
    PublicationFilter,
    RegionFilter,
)
from regions.models import Partner, Project, Publication, Region

pytestmark = pytest.mark.django_db


def potentials(query: str) -> PotentialFilter:
    return PotentialFilter(QueryDict(query), queryset=Potential.objects.published())


def slugs(filterset) -> set[str]:
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("slug", flat=True))


def test_filters_combine_and_accept_several_values(seeded):
    assert slugs(potentials("country=at&country=de&theme=cultural-potentials")) == {
        "f60-conveyor-bridge-lichterfeld",
        "erzberg-adventure-mine",
        "styrian-iron-route-heritage-route",
    }
    assert slugs(potentials("legacy_type=mine-water")) == {
        "geothermal-energy-from-mine-water"
    }
    assert slugs(potentials("stage=implemented&region=lower-lusatia")) == {
        "f60-conveyor-bridge-lichterfeld",
        "lusatian-lake-district",
    }


def test_country_codes_are_case_insensitive(seeded):
    assert slugs(potentials("country=at")) == slugs(potentials("country=AT"))


def test_bounding_box_keeps_what_lies_inside(seeded):
    # Styria only: west, south, east, north.
    assert slugs(potentials("bbox=14,47,16,48")) == {"erzberg-adventure-mine"}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("theme=no-such-theme", "theme"),
        ("country=XX", "country"),
        ("stage=finished", "stage"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=10,50,5,60", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
    ],
)
def test_bad_values_are_errors_that_name_the_parameter(seeded, query, parameter):
    filterset = potentials(query)
    assert not filterset.is_valid()
    assert set(filterset.errors) == {parameter}


def test_facets_count_every_filter_but_their_own(seeded):
    counts = potentials("country=AT").facet_counts()
    # The country facet ignores the country filter, so other countries still show…
    assert counts["country"] == {"AT": 2, "DE": 2}
    # …while the other facets count only Austrian potentials.
    assert counts["theme"] == {"cultural-potentials": 2}


def test_facets_count_the_search_results(seeded):
    counts = potentials("search=lake").facet_counts()
    assert counts["category"] == {"water-and-lakes": 1}


def test_good_practices_filter_by_kind_theme_country_project_and_status(seeded):
    filterset = GoodPracticeFilter(
        QueryDict(
            "kind=cooperation_model&theme=integrative-approaches&country=FI&project=remix"
        ),
        queryset=GoodPractice.objects.published(),
    )
    assert len(slugs(filterset)) == 1
    assert (
        GoodPracticeFilter(
            QueryDict("status=completed"), queryset=GoodPractice.objects.all()
        ).qs.count()
        == 0
    )


@pytest.mark.parametrize(
    ("filter_class", "model", "query", "expected"),
    [
        (RegionFilter, Region, "country=FI", {"lapland"}),
        (RegionFilter, Region, "mining_ended_max=1980", {"district-of-zwickau"}),
        (RegionFilter, Region, "commodity=iron-ore", {"styrian-iron-route"}),
        (PartnerFilter, Partner, "project=remix", {"regional-council-of-lapland"}),
        (ProjectFilter, Project, "partner=ioer", {"resource"}),
        (ProjectFilter, Project, "programme=horizon_2020", {"mireu"}),
        (
            PublicationFilter,
            Publication,
            "project=mireu&kind=toolkit",
            {"mireu-slo-toolkit"},
        ),
    ],
)
def test_network_filters(seeded, filter_class, model, query, expected):
    assert (
        slugs(filter_class(QueryDict(query), queryset=model.objects.all())) == expected
    )


def test_year_filters_reject_impossible_years(seeded):
    filterset = RegionFilter(
        QueryDict("mining_ended_min=abc"), queryset=Region.objects.all()
    )
    assert not filterset.is_valid()
    assert "mining_ended_min" in filterset.errors
