"""“Regions like mine”: the ranking, its reasons, what it suggests, and its bounds."""

import datetime
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.caching import local_answers
from editorial.models import Status
from regions.models import Commodity, DevelopmentGoal, Region, RegionLegacy
from regions.similarity import (
    WEIGHTS,
    Trait,
    region_profile,
    similar_regions,
)
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    PotentialFactory,
    RegionFactory,
)
from tests.helpers import seed_content_delete

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today().year + 1


@pytest.fixture(autouse=True)
def _empty_api_cache():
    cache.clear()
    local_answers.clear()
    yield
    cache.clear()


class Vocabulary:
    """Traits of their own, so that no seeded region shares them by chance."""

    def __init__(self, size: int = 4):
        self.legacy_types = [LegacyTypeFactory() for _ in range(size)]
        self.commodities = [
            Commodity.objects.create(slug=f"test-ore-{n}", name=f"Test ore {n}")
            for n in range(size)
        ]
        self.goals = [
            DevelopmentGoal.objects.create(slug=f"test-goal-{n}", name=f"Goal {n}")
            for n in range(size)
        ]
        self.categories = [CategoryFactory() for _ in range(size)]
        for goal, category in zip(self.goals, self.categories, strict=True):
            category.goals.add(goal)


def region_with(
    *,
    legacy_types=(),
    commodities=(),
    goals=(),
    categories=(),
    country="SE",
    population=None,
    mining_ended_year=None,
    mining_status="",
    **fields,
) -> Region:
    region = RegionFactory(
        country=country,
        population=population,
        population_year=2020 if population else None,
        population_source_title="A census" if population else "",
        mining_status=mining_status or ("ended" if mining_ended_year else ""),
        mining_ended_year=mining_ended_year,
        **fields,
    )
    for legacy_type in legacy_types:
        RegionLegacy.objects.create(region=region, legacy_type=legacy_type)
    region.commodities.add(*commodities)
    region.goals.add(*goals)
    for category in categories:
        PotentialFactory(region=region, category=category)
    return region


def ranking(region: Region, limit: int = 50) -> list[Region]:
    return [
        match.region for match in similar_regions(region_profile(region), limit=limit)
    ]


def shared(match) -> dict[str, set[str]]:
    """A result's reasons as {trait: the slugs of the values shared}."""
    return {
        reason.trait: {value.slug for value in reason.values}
        for reason in match.reasons
    }


# --- The ranking ------------------------------------------------------------------


def test_a_region_ranks_first_the_region_with_the_same_traits(db):
    v = Vocabulary()
    traits = {
        "legacy_types": v.legacy_types[:2],
        "commodities": v.commodities[:1],
        "goals": v.goals[:2],
        "categories": v.categories[:1],
        "population": 120_000,
        "mining_ended_year": 1994,
    }
    region = region_with(**traits)
    twin = region_with(**traits)
    region_with(**(traits | {"legacy_types": v.legacy_types[:1]}))
    region_with(**(traits | {"goals": v.goals[2:]}))
    region_with(**(traits | {"mining_ended_year": 1984, "population": 10_000}))

    best = similar_regions(region_profile(region))
    assert best[0].region == twin
    assert region not in [match.region for match in best]
    assert best[0].score > best[1].score


def test_sharing_one_more_trait_never_lowers_a_rank(db):
    """A region given one more of the asker's traits ranks as high as before, or
    higher, whatever the other regions have."""
    v = Vocabulary(size=5)
    rng = random.Random(11)

    def random_traits():
        return {
            "legacy_types": rng.sample(v.legacy_types, rng.randint(0, 3)),
            "commodities": rng.sample(v.commodities, rng.randint(0, 2)),
            "goals": rng.sample(v.goals, rng.randint(0, 3)),
            "categories": rng.sample(v.categories, rng.randint(0, 2)),
            "mining_ended_year": rng.choice([None, 1965, 1992, 1998]),
            "population": rng.choice([None, 20_000, 300_000]),
            "country": rng.choice(["FI", "SE"]),
        }

    asker = region_with(
        legacy_types=v.legacy_types,
        commodities=v.commodities,
        goals=v.goals,
        categories=v.categories,
        mining_ended_year=1995,
        population=250_000,
        country="FI",
    )
    others = [region_with(**random_traits()) for _ in range(12)]
    for candidate in rng.sample(others, 6):
        before = ranking(asker).index(candidate)
        have = {legacy.legacy_type for legacy in candidate.legacies.all()}
        missing = [t for t in v.legacy_types if t not in have]
        goals = set(candidate.goals.all())
        if missing:
            RegionLegacy.objects.create(region=candidate, legacy_type=missing[0])
        elif set(v.goals) - goals:
            candidate.goals.add(next(iter(set(v.goals) - goals)))
        else:
            candidate.mining_status, candidate.mining_ended_year = "ended", 1991
            candidate.save()
        assert ranking(asker).index(candidate) <= before


def test_the_reasons_list_exactly_the_shared_traits(db):
    v = Vocabulary()
    region = region_with(
        legacy_types=v.legacy_types[:3],
        commodities=v.commodities[:2],
        goals=v.goals[:2],
        categories=v.categories[:2],
        mining_ended_year=1993,
        population=70_000,
        country="FI",
    )
    other = region_with(
        legacy_types=[v.legacy_types[1], v.legacy_types[2], v.legacy_types[3]],
        commodities=[v.commodities[1], v.commodities[3]],
        goals=[v.goals[2]],
        categories=[v.categories[0], v.categories[3]],
        mining_ended_year=1999,
        population=400_000,
        country="SE",
    )
    (match,) = [m for m in similar_regions(region_profile(region)) if m.region == other]

    assert shared(match) == {
        Trait.LEGACY_TYPES: {v.legacy_types[1].slug, v.legacy_types[2].slug},
        Trait.COMMODITIES: {v.commodities[1].slug},
        Trait.CATEGORIES: {v.categories[0].slug},
        Trait.MINING_PERIOD: {"1990"},
        Trait.SIZE_CLASS: {"50k-500k"},
    }
    assert match.score == (
        2 * WEIGHTS.legacy_type
        + WEIGHTS.commodity
        + WEIGHTS.category
        + WEIGHTS.mining_period
        + WEIGHTS.size_class
    )
    texts = [reason.text for reason in match.reasons]
    assert (
        f"Mining legacy in both: {v.legacy_types[1].name}, {v.legacy_types[2].name}"
        in texts
    )
    assert "Mining ended in the same decade: 1990–1999" in texts


def test_regions_where_mining_goes_on_share_that_and_nothing_is_shared_by_silence(db):
    active = region_with(mining_status="active", country="SE")
    declining = region_with(mining_status="declining", country="NO")
    silent = region_with(country="NO")  # neither status nor population
    results = similar_regions(region_profile(active), limit=20)
    assert [shared(m) for m in results if m.region == declining] == [
        {Trait.MINING_PERIOD: {"active"}}
    ]
    assert silent not in [m.region for m in results]
    reason = next(m for m in results if m.region == declining).reasons[0]
    assert reason.text == "Mining still goes on in both"


def test_what_to_learn_serves_the_askers_goals_and_drafts_never_count(db):
    seed_content_delete()
    v = Vocabulary()
    asker = region_with(goals=[v.goals[0]], categories=[v.categories[1]])
    other = region_with(goals=[v.goals[0]], country="NO")
    # A draft potential's category is no shared trait…
    PotentialFactory(region=other, category=v.categories[1], status=Status.DRAFT)
    # …and a draft is never suggested, where a published one of the same kind is.
    serving = v.categories[0]
    published = PotentialFactory(region=other, category=serving)
    PotentialFactory(region=other, category=serving, status=Status.DRAFT)
    off_goal = PotentialFactory(region=other, category=v.categories[2])
    practice = GoodPracticeFactory(region=other)
    practice.categories.add(serving)
    draft_practice = GoodPracticeFactory(region=other, status=Status.DRAFT)
    draft_practice.categories.add(serving)
    unrelated = GoodPracticeFactory(region=other)
    unrelated.categories.add(v.categories[3])

    (match,) = similar_regions(region_profile(asker))
    assert match.region == other
    assert shared(match) == {Trait.GOALS: {v.goals[0].slug}}
    assert match.potentials == [published]
    assert off_goal not in match.potentials
    assert match.good_practices == [practice]


def test_what_to_learn_is_each_regions_latest_few_and_what_they_show_is_read(db):
    seed_content_delete()
    v = Vocabulary()
    asker = region_with(goals=[v.goals[0]], legacy_types=[v.legacy_types[0]])
    regions = [region_with(goals=[v.goals[0]], country=c) for c in ("NO", "FI")]
    now = timezone.now()
    made = {
        region.pk: [
            PotentialFactory(
                region=region,
                category=v.categories[0],
                published_at=now - datetime.timedelta(days=days),
            )
            for days in (9, 1, 5, 7, 3)
        ]
        for region in regions
    }
    transferable = GoodPracticeFactory(region=regions[0])
    transferable.transferable_legacy_types.add(v.legacy_types[0])

    matches = {
        match.region.pk: match for match in similar_regions(region_profile(asker))
    }
    for region in regions:
        potentials = made[region.pk]
        # The latest three, latest first.
        expected = [potentials[1], potentials[4], potentials[2]]
        assert matches[region.pk].potentials == expected
    assert matches[regions[0].pk].good_practices == [transferable]
    assert matches[regions[1].pk].good_practices == []
    with CaptureQueriesContext(connection) as queries:
        for match in matches.values():
            for potential in match.potentials:
                str(potential.category.name), potential.title, potential.stage
    assert queries.captured_queries == []


def test_a_region_without_goals_learns_from_the_kinds_of_use_it_pursues(db):
    seed_content_delete()
    v = Vocabulary()
    asker = region_with(categories=[v.categories[2]], legacy_types=[v.legacy_types[0]])
    other = region_with(categories=[v.categories[2]])
    practice = GoodPracticeFactory(region=other)
    practice.transferable_legacy_types.add(v.legacy_types[0])
    (match,) = similar_regions(region_profile(asker))
    assert match.region == other
    assert [p.category for p in match.potentials] == [v.categories[2]]
    assert match.good_practices == [practice]


# --- The region page --------------------------------------------------------------


def test_the_region_page_shows_the_profile_with_sources(seeded, client):
    page = client.get("/en/regions/district-of-zwickau/").content.decode()
    assert "319,988" in page
    assert (
        'href="https://www.mdr.de/sachsen/chemnitz/zwickau/'
        "kommunalwahlen-sachsen-steckbrief-landkreis-zwickau-100.html" in page
    )
    assert "in 2017" in page
    page = client.get("/en/regions/styrian-iron-route/").content.decode()
    assert "Development goals" in page and "Tourism and culture" in page
    assert "The Erzberg at Eisenerz" in page  # a legacy's note
    assert "strong out-migration" in page  # challenges
    assert "Regions like this one" in page
    assert "Mining legacy in both" in page
    page = client.get("/en/regions/lapland/").content.decode()
    assert "Policy instruments" in page
    assert "/en/regions/match/" in page


def test_the_region_list_links_to_the_match_page(seeded, client):
    assert 'href="/en/regions/match/"' in client.get("/en/regions/").content.decode()


# --- The match page and the API ----------------------------------------------------

MATCH = (
    "?legacy_type=open-pits-and-lakes&commodity=lignite&goal=tourism-and-culture"
    "&mining_ended=1995&country=de"
)


def test_anyone_finds_regions_like_theirs_from_a_shareable_address(seeded, client):
    response = client.get(f"/en/regions/match/{MATCH}")
    assert response.status_code == 200
    results = response.context["results"]
    assert results[0].region.slug in {"lower-lusatia", "styrian-iron-route"}
    lusatia = next(m for m in results if m.region.slug == "lower-lusatia")
    assert shared(lusatia) == {
        Trait.LEGACY_TYPES: {"open-pits-and-lakes"},
        Trait.COMMODITIES: {"lignite"},
        Trait.COUNTRY: {"DE"},
    }
    page = response.content.decode()
    assert "Mining legacy in both" in page
    assert "Regions like yours" in page


def test_an_empty_form_explains_and_shows_no_results(seeded, client):
    for url in ("/en/regions/match/", "/en/regions/match/?country=&mining_ended="):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["results"] is None
        assert not response.context["form"].errors
        assert "Choose at least one trait" in response.content.decode()
    assert client.get("/api/v1/regions/match/").json() == {
        "results": [],
        "good_practices": [],
    }


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("legacy_type=no-such-legacy", "legacy_type", "Select a valid choice"),
        ("goal=nowhere", "goal", "Select a valid choice"),
        ("country=XX", "country", "Select a valid choice"),
        (f"mining_ended={NEXT_YEAR}", "mining_ended", "cannot be in the future"),
        ("mining_ended=nineteen", "mining_ended", "Enter a whole number"),
        ("mining_ended=1990&mining_active=on", "mining_active", "not both"),
    ],
)
def test_bad_input_is_a_message_never_an_error_page(
    seeded, client, query, field, message
):
    page = client.get(f"/en/regions/match/?{query}")
    assert page.status_code == 200
    assert message in " ".join(page.context["form"].errors[field])
    assert page.context["results"] is None
    assert message in page.content.decode()
    api = client.get(f"/api/v1/regions/match/?{query}")
    assert api.status_code == 400
    assert message in " ".join(api.json()[field])


def test_matching_is_anonymous_and_hides_drafts(seeded, client):
    lusatia = Region.objects.get(slug="lower-lusatia")
    # Only the practices made here, so that the one shown is among the few
    # suggested from Lower Lusatia.
    lusatia.good_practices.all().delete()
    category = lusatia.potentials.published().first().category
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        practice = GoodPracticeFactory(
            region=lusatia,
            title=f"Hidden practice {status}",
            status=status,
            published_at=timezone.now(),
        )
        practice.legacy_types.add(*lusatia.legacy_types.all())
        practice.categories.add(category)
    shown = GoodPracticeFactory(region=lusatia, title="Shown practice")
    shown.legacy_types.add(*lusatia.legacy_types.all())

    page = client.get(f"/en/regions/match/{MATCH}").content.decode()
    api = client.get(f"/api/v1/regions/match/{MATCH}").json()
    similar = client.get("/api/v1/regions/styrian-iron-route/similar/").json()
    region_page = client.get("/en/regions/styrian-iron-route/").content.decode()
    for body in (page, str(api), str(similar), region_page):
        assert "Hidden practice" not in body
    assert "Shown practice" in page
    assert shown.slug in {p["slug"] for p in api["good_practices"]}


def test_the_similar_regions_api_gives_reasons_as_data(seeded, client):
    answer = client.get("/api/v1/regions/lower-lusatia/similar/?lang=de")
    assert answer.status_code == 200
    data = answer.json()
    assert data["region"]["slug"] == "lower-lusatia"
    first = data["results"][0]
    assert set(first) == {"region", "score", "reasons", "potentials", "good_practices"}
    reason = first["reasons"][0]
    assert set(reason) == {"trait", "label", "values", "text"}
    assert reason["trait"] in Trait.values
    assert all(set(value) == {"slug", "name"} for value in reason["values"])
    assert client.get("/api/v1/regions/nowhere/similar/").status_code == 404


def test_the_api_schema_documents_both_endpoints_with_their_parameters(client):
    schema = client.get(
        "/api/v1/schema/", headers={"accept": "application/json"}
    ).json()
    paths = schema["paths"]
    match = paths["/api/v1/regions/match/"]["get"]
    names = {parameter["name"] for parameter in match["parameters"]}
    assert {
        "country",
        "legacy_type",
        "commodity",
        "goal",
        "mining_ended",
        "mining_active",
    } <= names
    assert {"200", "400"} <= set(match["responses"])
    similar = paths["/api/v1/regions/{slug}/similar/"]["get"]
    assert {"200", "404"} <= set(similar["responses"])
    assert "security" not in similar or {} in similar["security"]


# --- Bounds ---------------------------------------------------------------------


def grow(v: Vocabulary, count: int, rng: random.Random) -> None:
    """Regions with random traits, each with published potentials and practices
    and a draft of each."""
    for _ in range(count):
        region = region_with(
            legacy_types=rng.sample(v.legacy_types, 2),
            commodities=rng.sample(v.commodities, 1),
            goals=rng.sample(v.goals, 2),
            mining_ended_year=rng.choice([1962, 1995, 2001]),
            population=rng.choice([30_000, 200_000]),
            country=rng.choice(["DE", "PL"]),
        )
        for category in rng.sample(v.categories, 2):
            PotentialFactory(region=region, category=category)
            PotentialFactory(region=region, category=category, status=Status.DRAFT)
            practice = GoodPracticeFactory(region=region)
            practice.categories.add(category)
            practice.legacy_types.add(*rng.sample(v.legacy_types, 1))


def query_count(client, url: str, status: int = 200) -> int:
    cache.clear()
    local_answers.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == status, url
    return len(context.captured_queries)


def test_profile_similar_and_match_make_as_many_queries_for_fifty_regions_as_for_five(
    db, client
):
    v = Vocabulary()
    rng = random.Random(5)
    asker = region_with(
        legacy_types=v.legacy_types[:2],
        commodities=v.commodities[:1],
        goals=v.goals[:2],
        categories=v.categories[:2],
        mining_ended_year=1994,
        population=150_000,
        country="DE",
    )
    grow(v, 5, rng)
    query = (
        f"?legacy_type={v.legacy_types[0].slug}&legacy_type={v.legacy_types[1].slug}"
        f"&commodity={v.commodities[0].slug}&goal={v.goals[0].slug}"
        "&mining_ended=1998&country=de"
    )
    urls = [
        asker.get_absolute_url(),
        f"/en/regions/match/{query}",
        f"/api/v1/regions/{asker.slug}/similar/",
        f"/api/v1/regions/match/{query}",
    ]
    for url in urls:
        query_count(client, url)  # Fills the caches pages share (content types).
    few = [query_count(client, url) for url in urls]
    grow(v, 45, rng)
    many = [query_count(client, url) for url in urls]
    assert few == many
    assert len(client.get(urls[1]).context["results"]) == 10
    assert max(many) <= 25, many
