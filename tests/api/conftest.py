import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from api.caching import local_answers
from editorial.models import Status
from goodpractices.models import GoodPractice
from potentials.models import Category, Potential, Theme
from regions.models import (
    Commodity,
    DevelopmentGoal,
    LegacyType,
    Membership,
    Partner,
    PolicyInstrument,
    Project,
    Publication,
    Region,
)
from tests.factories import GoodPracticeFactory, PotentialFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached answers and throttle counts never leak from one test to the next.

    Test transactions never commit, so the generation bumps that keep the cache
    fresh in production do not run between tests.
    """
    cache.clear()
    local_answers.clear()
    yield
    cache.clear()
    local_answers.clear()


@pytest.fixture
def api() -> Client:
    return Client()


def token_headers(user) -> dict[str, str]:
    """The header that signs `user` in with their API token; none for anonymous."""
    if not user.is_authenticated:
        return {}
    token, _created = Token.objects.get_or_create(user=user)
    return {"authorization": f"Token {token.key}"}


def body(response) -> bytes:
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


@pytest.fixture
def hidden(seeded):
    """A draft, a record in review and an archived one of each kind, with unique
    words in their titles, linked to public records so that they could leak through
    relations too."""
    potential = seeded_potential()
    practice = seeded_practice()
    practice.potentials.add(potential)
    records = {}
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        hidden_potential = PotentialFactory(
            title=f"Secret potential {status}",
            slug=f"secret-potential-{status}".replace("_", "-"),
            status=status,
            region=potential.region,
            category=potential.category,
            latitude=51.5,
            longitude=14.0,
        )
        hidden_practice = GoodPracticeFactory(
            title=f"Secret practice {status}",
            slug=f"secret-practice-{status}".replace("_", "-"),
            status=status,
            region=practice.region,
            latitude=51.5,
            longitude=14.0,
        )
        hidden_practice.potentials.add(potential)
        practice.potentials.add(hidden_potential)
        records[status] = (hidden_potential, hidden_practice)
    return records


def seeded_potential() -> Potential:
    return Potential.objects.published().exclude(region=None).order_by("slug").first()


def seeded_practice() -> GoodPractice:
    return GoodPractice.objects.published().order_by("slug").first()


@pytest.fixture
def many(db):
    """Over a hundred records of every kind, each with its relations filled.

    Written with bulk_create: factories would take seconds for this many.
    """
    size = 101
    numbers = range(size)
    theme = Theme.objects.create(name="Theme", slug="theme")
    Theme.objects.bulk_create(
        Theme(name=f"Theme {n}", slug=f"theme-{n}") for n in numbers
    )
    categories = Category.objects.bulk_create(
        Category(theme=theme, name=f"Category {n}", slug=f"category-{n}")
        for n in numbers
    )
    legacy_types = LegacyType.objects.bulk_create(
        LegacyType(name=f"Legacy {n}", slug=f"legacy-{n}") for n in numbers
    )
    goals = DevelopmentGoal.objects.bulk_create(
        DevelopmentGoal(name=f"Goal {n}", slug=f"goal-{n}") for n in numbers
    )
    Category.goals.through.objects.bulk_create(
        Category.goals.through(category=category, developmentgoal=goal)
        for category in categories
        for goal in goals[:2]
    )
    regions = Region.objects.bulk_create(
        Region(
            name=f"Region {n}",
            slug=f"region-{n}",
            country="DE",
            kind=Region.Kind.DISTRICT,
            latitude=50,
            longitude=13,
        )
        for n in numbers
    )
    Region.goals.through.objects.bulk_create(
        Region.goals.through(region=region, developmentgoal=goal)
        for region in regions
        for goal in goals[:2]
    )
    commodities = Commodity.objects.bulk_create(
        [Commodity(slug="coal", name="Coal"), Commodity(slug="ore", name="Ore")]
    )
    Region.commodities.through.objects.bulk_create(
        Region.commodities.through(region=region, commodity=commodity)
        for region in regions
        for commodity in commodities
    )
    partners = Partner.objects.bulk_create(
        Partner(
            name=f"Partner {n}",
            slug=f"partner-{n}",
            kind=Partner.Kind.MUNICIPALITY,
            country="DE",
            region=regions[n],
        )
        for n in numbers
    )
    projects = Project.objects.bulk_create(
        Project(acronym=f"P{n}", slug=f"project-{n}", title=f"Project {n}")
        for n in numbers
    )
    Membership.objects.bulk_create(
        Membership(project=project, partner=partner, role=role)
        for project in projects
        for partner, role in (
            (partners[0], Membership.Role.LEAD),
            (partners[1], Membership.Role.PARTNER),
        )
    )
    Publication.objects.bulk_create(
        Publication(
            project=projects[n],
            title=f"Report {n}",
            slug=f"report-{n}",
            kind=Publication.Kind.HANDBOOK,
        )
        for n in numbers
    )
    potentials = Potential.objects.bulk_create(
        Potential(
            title=f"Potential {n}",
            slug=f"potential-{n}",
            summary="A potential.",
            region=regions[n],
            category=categories[n],
            owner=partners[0],
            status=Status.PUBLISHED,
            latitude=50,
            longitude=13,
        )
        for n in numbers
    )
    Potential.legacy_types.through.objects.bulk_create(
        Potential.legacy_types.through(potential=potential, legacytype=legacy_type)
        for potential in potentials
        for legacy_type in legacy_types[:3]
    )
    practices = GoodPractice.objects.bulk_create(
        GoodPractice(
            title=f"Good practice {n}",
            slug=f"good-practice-{n}",
            summary="A case.",
            kind=GoodPractice.Kind.SEMINAR,
            main_institution=partners[n],
            owner=partners[n],
            region=regions[n],
            status=Status.PUBLISHED,
        )
        for n in numbers
    )
    GoodPractice.themes.through.objects.bulk_create(
        GoodPractice.themes.through(goodpractice=practice, theme=theme)
        for practice in practices
    )
    GoodPractice.legacy_types.through.objects.bulk_create(
        GoodPractice.legacy_types.through(goodpractice=practice, legacytype=legacy_type)
        for practice in practices
        for legacy_type in legacy_types[:2]
    )
    instruments = PolicyInstrument.objects.bulk_create(
        PolicyInstrument(
            name=f"Instrument {n}",
            slug=f"instrument-{n}",
            kind=PolicyInstrument.Kind.REGIONAL_STRATEGY,
            country="DE",
            region=regions[n],
            period_start=2014,
            period_end=2020,
        )
        for n in numbers
    )
    PolicyInstrument.projects.through.objects.bulk_create(
        PolicyInstrument.projects.through(policyinstrument=instrument, project=project)
        for instrument in instruments
        for project in projects[:2]
    )
