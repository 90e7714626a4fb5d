"""Good practices' evidence and the network's validation through the API; the new
profile and network fields of regions, partners, links and categories."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from api.caching import local_answers
from core.models import Link
from goodpractices.models import GoodPractice, Stakeholder
from regions.models import (
    DevelopmentGoal,
    PolicyInstrument,
    Region,
    RegionLegacy,
    Sector,
)
from tests.api.conftest import token_headers
from tests.api.test_bounds import queries_for
from tests.api.test_writes import PRACTICES, patch, post
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    PartnerFactory,
    RegionFactory,
)
from tests.workflow import make_record, make_staff

pytestmark = pytest.mark.django_db

VALIDATION = {
    "validated_on": "2026-03-04",
    "validation_opinion": {"en": "A sound case.", "de": "Ein solider Fall."},
    "validation_signature": "Anna Example, REMIX network",
}


@pytest.fixture
def staff():
    return make_staff()


def client_of(user) -> Client:
    return Client(headers=token_headers(user))


def test_editor_writes_the_evidence_and_reads_it_back(staff):
    editor = client_of(staff.users["editor_a"])
    used, elsewhere = LegacyTypeFactory(), LegacyTypeFactory()
    instrument = PolicyInstrument.objects.create(
        name="Regional OP",
        slug="regional-op",
        kind="operational_programme",
        country="DE",
    )
    data = {
        "title": {"en": "Mine water heat"},
        "summary": {"en": "Heat from a flooded pit."},
        "kind": "pilot_project",
        "main_institution": staff.partner_a.slug,
        "legacy_types": [used.slug],
        "policy_instruments": [instrument.slug],
        "cost_min": "1000.00",
        "cost_max": "2500.00",
        "cost_currency": "EUR",
        "funding_sources": {"en": "ERDF", "de": "EFRE"},
        "implementation_months": 18,
        "lifetime_years": 20,
        "success_factors": {"en": "A committed mayor"},
        "limiting_factors": {"en": "Flooding"},
        "preconditions": {"en": "A water-use permit"},
        "evidence_level": "monitored",
        "transferable_region_kinds": ["town", "district"],
        "transferable_legacy_types": [elsewhere.slug],
    }
    response = post(editor, PRACTICES, data)
    assert response.status_code == 201, response.json()
    written = response.json()
    for name, value in data.items():
        if name not in ("title", "summary"):
            assert written[name] == value, name
    assert written["stakeholders"] == []
    assert written["validated_on"] is None
    practice = GoodPractice.objects.get(slug=written["slug"])
    assert practice.funding_sources_de == "EFRE"
    Stakeholder.objects.create(
        good_practice=practice,
        sector=Sector.BUSINESS,
        partner=staff.partner_b,
        description="Drilled the well",
    )
    read = editor.get(f"{PRACTICES}{practice.slug}/?lang=de").json()
    assert read["funding_sources"] == "EFRE"
    assert read["evidence_level"] == "monitored"
    assert [item["slug"] for item in read["legacy_types"]] == [used.slug]
    assert read["policy_instruments"] == [
        {"slug": "regional-op", "name": "Regional OP"}
    ]
    assert [item["slug"] for item in read["transferable_legacy_types"]] == [
        elsewhere.slug
    ]
    assert read["transferable_region_kinds"] == ["town", "district"]
    (stakeholder,) = read["stakeholders"]
    assert stakeholder["sector"] == "business"
    assert stakeholder["partner"]["slug"] == staff.partner_b.slug
    assert stakeholder["description"] == "Drilled the well"
    assert read["validation"] is None


def test_an_invalid_cost_range_is_refused_with_its_reason(staff):
    editor = client_of(staff.users["editor_a"])
    record = make_record("goodpractice", staff.partner_a)
    response = patch(
        editor, f"{PRACTICES}{record.slug}/", {"cost_min": "10", "cost_max": "5"}
    )
    assert response.status_code == 400
    assert "currency" in str(response.json()) or "upper cost" in str(response.json())


@pytest.mark.parametrize("change", [VALIDATION, {"validated_on": "2026-03-04"}])
def test_an_editor_cannot_validate_their_own_practice_through_the_api(staff, change):
    record = make_record("goodpractice", staff.partner_a)
    response = patch(
        client_of(staff.users["editor_a"]), f"{PRACTICES}{record.slug}/", change
    )
    assert response.status_code == 403
    assert "moderator" in response.json()["detail"]
    record.refresh_from_db()
    assert record.validated_on is None and record.validated_by is None
    assert record.validation_signature == "" and not record.validation_opinion


def test_a_moderator_validates_and_withdraws_through_the_api(staff):
    moderator = staff.users["moderator"]
    record = make_record("goodpractice", staff.partner_a)
    url = f"{PRACTICES}{record.slug}/"
    response = patch(client_of(moderator), url, VALIDATION)
    assert response.status_code == 200, response.json()
    assert response.json()["validation_opinion"] == VALIDATION["validation_opinion"]
    record.refresh_from_db()
    assert record.validated_on == datetime.date(2026, 3, 4)
    assert record.validated_by == moderator

    read = client_of(moderator).get(url).json()
    assert read["validated_on"] == "2026-03-04"
    assert read["validation"] == {
        "validated_on": "2026-03-04",
        "opinion": "A sound case.",
        "signature": "Anna Example, REMIX network",
    }
    # No account of the moderator's is exposed, only the signature.
    assert moderator.username not in str(read)

    # The editor still changes the rest of the validated practice.
    editor = client_of(staff.users["editor_a"])
    changed = patch(editor, url, {"summary": {"en": "Changed by the editor."}})
    assert changed.status_code == 200
    shape = changed.json()
    # The whole editable shape sent back, the validation as it was, is no change.
    written = editor.put(
        url,
        {
            name: value
            for name, value in shape.items()
            if name not in ("url", "status_label", "transitions", "stakeholders")
        },
        content_type="application/json",
    )
    assert written.status_code == 200, written.json()
    written = editor.put(
        url,
        {
            name: shape[name]
            for name in ("title", "summary", "kind", "main_institution")
        },
        content_type="application/json",
    )
    assert written.status_code == 200, written.json()
    record.refresh_from_db()
    assert record.validated_by == moderator

    response = patch(client_of(moderator), url, {"validated_on": None})
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.validated_on is None and record.validated_by is None


def test_a_validation_needs_its_signature(staff):
    record = make_record("goodpractice", staff.partner_a)
    response = patch(
        client_of(staff.users["moderator"]),
        f"{PRACTICES}{record.slug}/",
        {"validated_on": "2026-03-04"},
    )
    assert response.status_code == 400
    assert "signature" in str(response.json())
    record.refresh_from_db()
    assert record.validated_on is None


def test_the_validated_filter(client):
    validated = GoodPracticeFactory(
        validated_on=datetime.date(2026, 1, 2), validation_signature="The network"
    )
    other = GoodPracticeFactory()
    slugs = lambda query: {  # noqa: E731
        row["slug"]
        for row in client.get(f"{PRACTICES}?page_size=100&{query}").json()["results"]
    }
    assert validated.slug in slugs("validated=true")
    assert other.slug not in slugs("validated=true")
    assert validated.slug not in slugs("validated=false")
    assert other.slug in slugs("validated=false")
    assert {validated.slug, other.slug} <= slugs("")
    assert slugs("validated=1") == slugs("validated=True") == slugs("validated=true")
    assert slugs("validated=0") == slugs("validated=false")
    row = next(
        row
        for row in client.get(f"{PRACTICES}?validated=true&page_size=100").json()[
            "results"
        ]
        if row["slug"] == validated.slug
    )
    assert row["validated_on"] == "2026-01-02"


def test_region_partner_link_and_category_fields(client):
    goal = DevelopmentGoal.objects.create(name="Tourism test", slug="tourism-test")
    region = RegionFactory(
        nuts_code="DE40",
        nuts_version="2021",
        population=1000,
        population_year=2020,
        population_source_title="Statistics office",
        population_source_url="https://example.org/stats",
        goals_text="Become a lake district",
        challenges="Jobs",
        strengths="Water",
    )
    region.goals.add(goal)
    legacy = LegacyTypeFactory(name="Pit lakes")
    RegionLegacy.objects.create(region=region, legacy_type=legacy, note="Twenty lakes")
    Link.objects.create(
        content_object=region,
        kind="source",
        title="A source",
        url="https://example.org/",
        accessed_on=datetime.date(2026, 11, 30),
    )
    partner = PartnerFactory(region=region, sector="business", level="local")
    CategoryFactory(slug="lakes-test").goals.add(goal)

    detail = client.get(f"/api/v1/regions/{region.slug}/").json()
    assert detail["nuts_version"] == "2021"
    assert detail["goals"] == [
        {
            "slug": "tourism-test",
            "url": "http://testserver/api/v1/development-goals/tourism-test/",
            "name": "Tourism test",
        }
    ]
    assert detail["legacies"][0]["legacy_type"]["name"] == "Pit lakes"
    assert detail["legacies"][0]["note"] == "Twenty lakes"
    assert detail["population_source"] == {
        "title": "Statistics office",
        "url": "https://example.org/stats",
    }
    assert detail["area_source"] is None
    assert (detail["goals_text"], detail["challenges"], detail["strengths"]) == (
        "Become a lake district",
        "Jobs",
        "Water",
    )
    assert detail["links"][0]["accessed_on"] == "2026-11-30"
    listed = next(
        row
        for row in client.get("/api/v1/regions/?page_size=100").json()["results"]
        if row["slug"] == region.slug
    )
    assert listed["population_year"] == 2020 and "legacies" not in listed

    row = client.get(f"/api/v1/partners/{partner.slug}/").json()
    assert (row["sector"], row["sector_label"], row["level"], row["level_label"]) == (
        "business",
        "Business",
        "local",
        "Local",
    )
    category = client.get("/api/v1/categories/lakes-test/").json()
    assert [item["slug"] for item in category["goals"]] == ["tourism-test"]
    goal_read = client.get("/api/v1/development-goals/tourism-test/").json()
    assert [item["slug"] for item in goal_read["categories"]] == ["lakes-test"]


def test_region_figures_keep_their_source_without_a_link(client):
    region = Region.objects.create(
        name="Bare", slug="bare", country="DE", kind=Region.Kind.TOWN
    )
    detail = client.get(f"/api/v1/regions/{region.slug}/").json()
    assert detail["population_source"] is None and detail["legacies"] == []


def test_a_practice_and_a_region_read_in_as_many_queries_with_more_relations(client):
    practice = GoodPracticeFactory()
    region = RegionFactory()
    urls = [f"{PRACTICES}{practice.slug}/", f"/api/v1/regions/{region.slug}/"]

    def grow():
        legacy_type = LegacyTypeFactory()
        practice.legacy_types.add(legacy_type)
        practice.transferable_legacy_types.add(legacy_type)
        practice.policy_instruments.add(
            PolicyInstrument.objects.create(
                name="PI", slug=f"pi-{legacy_type.pk}", kind="other", country="DE"
            )
        )
        Stakeholder.objects.create(
            good_practice=practice, sector=Sector.BUSINESS, partner=PartnerFactory()
        )
        RegionLegacy.objects.create(region=region, legacy_type=legacy_type)
        region.goals.add(
            DevelopmentGoal.objects.create(
                name="Goal", slug=f"goal-test-{legacy_type.pk}"
            )
        )

    def counts() -> list[int]:
        # Each time afresh: the test's writes commit nothing that would move the
        # cached answers' generation.
        cache.clear()
        local_answers.clear()
        return [queries_for(client, url) for url in urls]

    grow()
    few = counts()
    for _ in range(10):
        grow()
    assert counts() == few
