"""A good practice's structured evidence and the network's validation, on the pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from goodpractices.models import GoodPractice, Stakeholder
from regions.models import PolicyInstrument, Region, Sector
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    PartnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def with_evidence(practice: GoodPractice) -> GoodPractice:
    practice.cost_min = Decimal("1200000")
    practice.cost_max = Decimal("2500000.50")
    practice.cost_currency = "EUR"
    practice.funding_sources = "ERDF and the municipality"
    practice.implementation_months = 18
    practice.lifetime_years = 1
    practice.success_factors = "A committed mayor"
    practice.limiting_factors = "Flooding of the shaft"
    practice.preconditions = "A water-use permit"
    practice.evidence_level = GoodPractice.EvidenceLevel.MONITORED
    practice.transferable_region_kinds = [Region.Kind.TOWN, Region.Kind.DISTRICT]
    practice.save()
    practice.legacy_types.add(LegacyTypeFactory(name="Mine water"))
    practice.transferable_legacy_types.add(LegacyTypeFactory(name="Shafts"))
    practice.policy_instruments.add(
        PolicyInstrument.objects.create(
            name="Regional OP",
            slug=f"regional-op-{practice.pk}",
            kind=PolicyInstrument.Kind.OPERATIONAL_PROGRAMME,
            country="DE",
            programme="ERDF Saxony",
            period_start=2014,
            period_end=2020,
        )
    )
    Stakeholder.objects.create(
        good_practice=practice,
        sector=Sector.RESEARCH_EDUCATION,
        partner=PartnerFactory(name="Mining Academy"),
        description="Measured the heat",
    )
    Stakeholder.objects.create(
        good_practice=practice,
        sector=Sector.PUBLIC_ADMINISTRATION,
        description="The town's building office",
    )
    return practice


def validate(practice: GoodPractice) -> GoodPractice:
    practice.validated_on = datetime.date(2026, 3, 4)
    practice.validation_opinion = "A sound case, well documented."
    practice.validation_signature = "Anna Example, REMIX network"
    practice.validated_by = UserFactory()
    practice.save()
    return practice


def test_the_evidence_section_shows_every_field_it_has(client):
    practice = with_evidence(GoodPracticeFactory())
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "Evidence and transferability" in html
    for text in (
        "1,200,000 to 2,500,000.50 EUR",
        "ERDF and the municipality",
        "18 months",
        "1 year",
        "A committed mayor",
        "Flooding of the shaft",
        "A water-use permit",
        "Monitored",
        "Independently evaluated: assessed by someone",
        "Mine water",
        "Shafts",
        "Town",
        "District",
        "Regional OP",
        "Operational programme · ERDF Saxony · 2014–2020",
        "Mining Academy",
        "Measured the heat",
        "The town&#x27;s building office",
    ):
        assert text in html, text
    # Stakeholders come grouped in the sectors' order.
    assert html.index("Public administration") < html.index("Research and education")


def test_costs_follow_the_readers_locale(client):
    practice = with_evidence(GoodPracticeFactory())
    html = client.get(practice.get_absolute_url().replace("/en/", "/de/")).text
    assert "1.200.000" in html and "2.500.000,50" in html


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        ("5000", None, "from 5,000 EUR"),
        (None, "5000", "up to 5,000 EUR"),
        ("5000", "5000", "5,000 EUR"),
    ],
)
def test_an_open_or_single_cost(client, low, high, shown):
    practice = GoodPracticeFactory(
        cost_min=low and Decimal(low),
        cost_max=high and Decimal(high),
        cost_currency="EUR",
    )
    assert shown in client.get(practice.get_absolute_url()).text


def test_a_practice_without_evidence_shows_no_empty_headings(client):
    practice = GoodPracticeFactory()
    page = client.get(practice.get_absolute_url()).text
    # The record itself, not the site's navigation (which links policy instruments).
    html = page[page.index("<main") :]
    for heading in (
        "Evidence and transferability",
        "Costs",
        "Success factors",
        "Stakeholders",
        "Policy instruments",
        "Validated by the network",
        "Where it could work again",
    ):
        assert heading not in html, heading


def test_only_the_fields_filled_show(client):
    practice = GoodPracticeFactory(success_factors="Patience")
    html = client.get(practice.get_absolute_url()).text
    assert "Success factors" in html and "Patience" in html
    for heading in ("Costs", "Limiting factors", "Level of evidence", "Lifetime"):
        assert heading not in html, heading


def test_the_validation_shows_its_date_opinion_and_signature(client):
    practice = validate(GoodPracticeFactory())
    html = client.get(practice.get_absolute_url()).text
    assert 'class="badge badge-validated"' in html
    assert "Validated by the network on March 4, 2026" in html
    assert "A sound case, well documented." in html
    assert "Signed by Anna Example, REMIX network on" in html
    assert '<time datetime="2026-03-04">' in html
    # The moderator's account stays private: only the signature shows.
    assert practice.validated_by.username not in html


def test_the_list_marks_validated_practices_and_filters_them(client):
    validated = validate(GoodPracticeFactory(title="Checked case"))
    GoodPracticeFactory(title="Unchecked case")
    html = client.get("/en/good-practices/").text
    card = html[html.index("Checked case") :]
    assert "Validated by the network" in card[: card.index("</li>")]
    unchecked = html[html.index("Unchecked case") :]
    assert "badge-validated" not in unchecked[: unchecked.index("</li>")]

    response = client.get("/en/good-practices/?validated=true")
    assert list(response.context["object_list"]) == [validated]
    facet = next(f for f in response.context["facets"] if f.name == "validated")
    assert [(o.value, o.count, o.selected) for o in facet.options] == [
        ("true", 1, True)
    ]
    assert 'name="validated" value="true"' in response.text
    not_validated = client.get("/en/good-practices/?validated=false")
    assert validated not in not_validated.context["object_list"]


def _queries(client, url: str) -> int:
    cache.clear()  # Counted uncached: facet counts are kept per content version.
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_the_pages_make_as_many_queries_with_more_evidence(client):
    practice = validate(with_evidence(GoodPracticeFactory()))
    # With a legacy × category pair, a stakeholder and a similar practice from
    # the start, so that the page has the same parts both times: only their
    # number grows.
    practice.legacy_types.add(LegacyTypeFactory())
    category = CategoryFactory()
    practice.categories.add(category)
    GoodPracticeFactory().categories.add(category)
    Stakeholder.objects.create(
        good_practice=practice, sector=Sector.BUSINESS, partner=PartnerFactory()
    )
    urls = [practice.get_absolute_url(), "/en/good-practices/?validated=true"]
    for url in urls:
        _queries(client, url)
    few = [_queries(client, url) for url in urls]
    for _ in range(5):
        practice.legacy_types.add(LegacyTypeFactory())
        practice.transferable_legacy_types.add(LegacyTypeFactory())
        Stakeholder.objects.create(
            good_practice=practice, sector=Sector.BUSINESS, partner=PartnerFactory()
        )
        validate(with_evidence(GoodPracticeFactory()))
    assert [_queries(client, url) for url in urls] == few
