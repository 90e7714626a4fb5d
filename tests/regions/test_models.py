import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regions.models import Membership, Project, Region
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today().year + 1


def assert_database_rejects(model, **fields):
    """The row is refused by the database itself, and nothing is written."""
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)
    assert model.objects.count() == before


def region_fields(**overrides):
    return {
        "name": "Somewhere",
        "slug": "somewhere",
        "country": "DE",
        "kind": "town",
    } | overrides


@pytest.mark.parametrize("code", ["de45", "D", "1DE", "DE-45", "DEd4"])
def test_database_rejects_malformed_nuts_code(code):
    assert_database_rejects(Region, **region_fields(nuts_code=code))


@pytest.mark.parametrize("code", ["", "DE", "DED", "DED4", "DED45", "FI1D7"])
def test_well_formed_nuts_codes_are_accepted(code):
    region = Region(**region_fields(nuts_code=code))
    region.full_clean()
    region.save()


def test_malformed_nuts_code_gets_a_friendly_message():
    region = Region(**region_fields(nuts_code="de45"))
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "two capital letters" in str(error.value)


def test_database_rejects_mining_end_in_the_future():
    assert_database_rejects(
        Region, **region_fields(mining_status="ended", mining_ended_year=NEXT_YEAR)
    )


def test_mining_end_this_year_is_accepted():
    this_year = datetime.date.today().year
    Region.objects.create(
        **region_fields(mining_status="ended", mining_ended_year=this_year)
    )


def test_mining_end_in_the_future_gets_a_friendly_message():
    region = Region(**region_fields(mining_status="ended", mining_ended_year=NEXT_YEAR))
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert "cannot be in the future" in str(error.value)


def test_database_rejects_mining_end_year_without_ended_status():
    assert_database_rejects(
        Region, **region_fields(mining_status="active", mining_ended_year=1990)
    )


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(91, 10), (-90.5, 10), (45, 180.5), (45, -181), (45, None), (None, 10)],
)
def test_database_rejects_coordinates_out_of_range_or_alone(latitude, longitude):
    assert_database_rejects(
        Region, **region_fields(latitude=latitude, longitude=longitude)
    )


def test_coordinates_at_the_limits_are_accepted():
    Region.objects.create(**region_fields(latitude=-90, longitude=180))


def test_database_rejects_duplicate_slug():
    RegionFactory(slug="zwickau")
    assert_database_rejects(Region, **region_fields(slug="zwickau"))


def test_database_rejects_project_ending_before_it_starts():
    assert_database_rejects(
        Project,
        acronym="X",
        slug="x",
        title="X",
        start_date=datetime.date(2012, 1, 1),
        end_date=datetime.date(2011, 12, 31),
    )


def test_project_ending_before_it_starts_gets_a_friendly_message():
    project = Project(
        acronym="X",
        slug="x",
        title="X",
        start_date=datetime.date(2012, 1, 1),
        end_date=datetime.date(2011, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "end date cannot be before the start date" in str(error.value)


def test_database_rejects_a_second_lead_partner():
    project = ProjectFactory()
    MembershipFactory(project=project, role=Membership.Role.LEAD)
    assert_database_rejects(
        Membership, project=project, partner=PartnerFactory(), role="lead"
    )


def test_database_rejects_the_same_partner_twice_in_a_project():
    membership = MembershipFactory()
    assert_database_rejects(
        Membership,
        project=membership.project,
        partner=membership.partner,
        role="partner",
    )


def test_headline_counts_are_computed_from_memberships():
    project = ProjectFactory()
    region_de, region_at = RegionFactory(country="DE"), RegionFactory(country="AT")
    MembershipFactory(
        project=project,
        role="lead",
        partner=PartnerFactory(country="DE", region=region_de),
    )
    MembershipFactory(
        project=project, partner=PartnerFactory(country="DE", region=region_de)
    )
    MembershipFactory(
        project=project, partner=PartnerFactory(country="AT", region=region_at)
    )
    MembershipFactory(
        project=project,
        role="scientific",
        partner=PartnerFactory(country="SI", region=None),
    )
    MembershipFactory(partner=PartnerFactory(country="FI"))  # another project

    counts = project.headline_counts()

    assert (counts.partners, counts.regions, counts.countries) == (4, 2, 3)
    assert counts.by_role == {"lead": 1, "partner": 2, "scientific": 1, "advisory": 0}
    annotated = Project.objects.with_counts().get(pk=project.pk)
    assert (
        annotated.partner_count,
        annotated.region_count,
        annotated.country_count,
    ) == (
        4,
        2,
        3,
    )
