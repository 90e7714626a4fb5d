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


def published_slugs(**lookups) -> set[str]:
    """What the filters should find, asked of the database directly."""
    return set(
        Potential.objects.published()
        .filter(**lookups)
        .values_list("slug", flat=True)
        .distinct()
    )


def test_filters_combine_and_accept_several_values(seeded):
    both = slugs(potentials("country=at&country=de&theme=cultural-potentials"))
    assert both == published_slugs(
        region__country__in=["AT", "DE"], category__theme__slug="cultural-potentials"
    )
    assert {
        "f60-conveyor-bridge-lichterfeld",
        "erzberg-adventure-mine",
        "styrian-iron-route-heritage-route",
    } <= both
    assert slugs(potentials("country=at")) < both
    assert slugs(potentials("legacy_type=mine-water")) == published_slugs(
        legacy_types__slug="mine-water"
    )
    assert "geothermal-energy-from-mine-water" in slugs(
        potentials("legacy_type=mine-water")
    )
    implemented = slugs(potentials("stage=implemented&region=lower-lusatia"))
    assert implemented == published_slugs(
        stage="implemented", region__slug="lower-lusatia"
    )
    assert {"f60-conveyor-bridge-lichterfeld", "lusatian-lake-district"} <= implemented


def test_country_codes_are_case_insensitive(seeded):
    assert slugs(potentials("country=at")) == slugs(potentials("country=AT"))


def test_bounding_box_keeps_what_lies_inside(seeded):
    # Styria only: west, south, east, north.
    assert slugs(potentials("bbox=14,47,16,48")) == {
        "erzberg-adventure-mine",
        "erzbergrodeo",
    }


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
    published = Potential.objects.published()
    # The country facet ignores the country filter, so other countries still show…
    assert counts["country"] == {
        country: published.filter(region__country=country).count()
        for country in published.exclude(region=None).values_list(
            "region__country", flat=True
        )
    }
    assert counts["country"]["DE"] > counts["country"]["AT"] > 0
    # …while the other facets count only Austrian potentials.
    assert counts["theme"] == {"cultural-potentials": 3}


def test_facets_count_the_search_results(seeded):
    counts = potentials("search=lake").facet_counts()
    found = Potential.objects.published().search("lake")
    assert counts["category"] == {
        category: found.filter(category__slug=category).count()
        for category in found.values_list("category__slug", flat=True)
    }
    assert counts["category"]["water-and-lakes"] < published_slugs().__len__()


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
        == GoodPractice.objects.filter(practice_status="completed").count()
    )
    assert (
        GoodPracticeFilter(
            QueryDict("status=completed&status=ongoing"),
            queryset=GoodPractice.objects.exclude(practice_status=""),
        ).qs.count()
        == GoodPractice.objects.exclude(practice_status="").count()
    )


@pytest.mark.parametrize(
    ("filter_class", "model", "query", "expected"),
    [
        (RegionFilter, Region, "country=FI", {"lapland", "north-karelia"}),
        (
            RegionFilter,
            Region,
            "mining_ended_max=1980",
            {"district-of-zwickau", "south-limburg-coal-basin"},
        ),
        (
            RegionFilter,
            Region,
            "commodity=iron-ore",
            {"styrian-iron-route", "norrbotten", "bergslagen"},
        ),
        (
            PartnerFilter,
            Partner,
            "project=remix",
            {
                "regional-council-of-lapland",
                "ice-castilla-y-leon",
                "josek-business-joensuu",
                "marshal-office-lower-silesia",
                "montanuniversitaet-leoben",
                "nova-fct",
                "ministry-industry-trade-cz",
                "university-of-exeter",
                "ntua",
                "gkz-freiberg",
            },
        ),
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


def test_projects_by_their_partners_country_are_each_listed_once(seeded):
    """By the keys that match, not DISTINCT over every column of every row."""
    filterset = ProjectFilter(QueryDict("country=de"), queryset=Project.objects.all())
    assert filterset.is_valid(), filterset.errors
    found = list(filterset.qs.values_list("slug", flat=True))
    expected = set(
        Project.objects.filter(memberships__partner__country="DE").values_list(
            "slug", flat=True
        )
    )
    assert len(found) == len(set(found)) and set(found) == expected
    assert len(expected) > 1
    assert "DISTINCT" not in str(filterset.qs.query)


def test_year_filters_reject_impossible_years(seeded):
    filterset = RegionFilter(
        QueryDict("mining_ended_min=abc"), queryset=Region.objects.all()
    )
    assert not filterset.is_valid()
    assert "mining_ended_min" in filterset.errors
