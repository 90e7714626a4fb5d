"""Bounds every public page keeps, whatever the content."""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editorial.models import Status
from potentials.models import PotentialActor
from regions.models import Membership
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    MembershipFactory,
    PartnerFactory,
    PotentialFactory,
    ProjectFactory,
    PublicationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25


def query_count(client, url: str) -> int:
    # Counted uncached: facet counts (search.filters) are kept per content version.
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


class World:
    """Records around one region, project and partner, grown one batch at a time."""

    #: Whether each potential also brings a legacy type of its own.
    new_legacy_types = True

    def __init__(self):
        self.region = RegionFactory(latitude=51.5, longitude=14.0)
        self.partner = PartnerFactory(region=self.region)
        self.project = ProjectFactory()
        MembershipFactory(
            project=self.project, partner=self.partner, role=Membership.Role.LEAD
        )
        self.category = CategoryFactory()
        self.legacy_type = LegacyTypeFactory()
        self.practice = GoodPracticeFactory(
            region=self.region, main_institution=self.partner, latitude=51, longitude=14
        )
        self.practice.themes.add(self.category.theme)
        self.practice.projects.add(self.project)
        self.potential = None
        PublicationFactory(project=self.project)

    def grow(self, count: int) -> None:
        for _ in range(count):
            potential = PotentialFactory(
                region=self.region,
                category=self.category,
                latitude=51.4,
                longitude=14.1,
                published_at=timezone.now(),
            )
            potential.legacy_types.add(self.legacy_type)
            if self.new_legacy_types:
                potential.legacy_types.add(LegacyTypeFactory())
            potential.projects.add(self.project)
            PotentialActor.objects.create(
                potential=potential, partner=self.partner, role="owner"
            )
            self.practice.potentials.add(potential)
            self.potential = self.potential or potential
            practice = GoodPracticeFactory(
                region=self.region, main_institution=self.partner
            )
            practice.projects.add(self.project)
            practice.themes.add(self.category.theme)
            MembershipFactory(project=self.project, partner=PartnerFactory())
            PublicationFactory(project=self.project)
            RegionFactory()


PAGES: dict[str, Callable[[World], str]] = {
    "home": lambda w: "/en/",
    "potentials": lambda w: "/en/potentials/",
    "potentials filtered": lambda w: (
        f"/en/potentials/?country=de&legacy_type={w.legacy_type.slug}&sort=newest"
    ),
    "potentials searched": lambda w: "/en/potentials/?search=potential",
    "matrix": lambda w: "/en/utilisation-matrix/",
    "potential": lambda w: w.potential.get_absolute_url(),
    "good practices": lambda w: "/en/good-practices/",
    "good practice": lambda w: w.practice.get_absolute_url(),
    "regions": lambda w: "/en/regions/",
    "region": lambda w: w.region.get_absolute_url(),
    "partners": lambda w: "/en/partners/",
    "partner": lambda w: w.partner.get_absolute_url(),
    "projects": lambda w: "/en/projects/",
    "project": lambda w: w.project.get_absolute_url(),
    "publications": lambda w: "/en/publications/",
    "statistics": lambda w: "/en/statistics/",
    "feed": lambda w: "/en/feeds/potentials/",
    "sitemap index": lambda w: "/sitemap.xml",
    "sitemap": lambda w: "/sitemap-potentials.xml",
}


# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_each_page_makes_as_many_queries_for_fifty_results_as_for_one(client):
    world = World()
    world.grow(1)
    urls = {page: url(world) for page, url in PAGES.items()}
    for url in urls.values():
        query_count(client, url)  # Fills the caches (content types) pages share.
    few = {page: query_count(client, url) for page, url in urls.items()}
    world.grow(49)
    many = {page: query_count(client, url) for page, url in urls.items()}
    assert few == many
    assert max(many.values()) <= MAX_QUERIES, many


SECRET = "Unpublished-secret-record"


@pytest.fixture
def drafts(seeded):
    """A draft, an in-review and an archived record of each kind, in real places."""
    from potentials.models import Potential
    from regions.models import Project, Region

    region = Region.objects.get(slug="lower-lusatia")
    project = Project.objects.get(slug="resource")
    practice = GoodPracticeFactory(region=region)
    records = []
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        potential = PotentialFactory(
            title=f"{SECRET} potential {status}",
            slug=f"secret-potential-{status}".replace("_", "-"),
            region=region,
            status=status,
            latitude=51.6,
            longitude=13.9,
            published_at=timezone.now(),
        )
        potential.projects.add(project)
        potential.legacy_types.add(*Potential.objects.first().legacy_types.all())
        practice.potentials.add(potential)
        draft_practice = GoodPracticeFactory(
            title=f"{SECRET} practice {status}",
            slug=f"secret-practice-{status}".replace("_", "-"),
            region=region,
            status=status,
            published_at=timezone.now(),
        )
        draft_practice.projects.add(project)
        draft_practice.potentials.add(Potential.objects.published().first())
        records += [potential, draft_practice]
    return records, practice


def test_drafts_never_appear_on_any_page_feed_or_sitemap(drafts, client):
    records, practice = drafts
    from potentials.models import Potential
    from regions.models import Partner, Project, Region

    urls = [
        "/en/",
        "/en/potentials/",
        "/en/potentials/?search=Unpublished",
        "/en/potentials/?region=lower-lusatia",
        "/en/utilisation-matrix/",
        "/en/statistics/",
        "/en/good-practices/",
        "/en/good-practices/?search=Unpublished",
        practice.get_absolute_url(),
        Potential.objects.published().first().get_absolute_url(),
        Region.objects.get(slug="lower-lusatia").get_absolute_url(),
        Project.objects.get(slug="resource").get_absolute_url(),
        *(partner.get_absolute_url() for partner in Partner.objects.all()),
        "/en/feeds/potentials/",
        "/en/feeds/good-practices/",
        "/de/feeds/potentials/",
        "/sitemap.xml",
        "/sitemap-potentials.xml",
        "/sitemap-good-practices.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SECRET not in body, url
        for record in records:
            assert record.get_absolute_url() not in body, url
    for record in records:
        assert client.get(record.get_absolute_url()).status_code == 404


def test_matrix_and_facets_count_only_published_potentials(drafts, client):
    matrix = client.get("/en/utilisation-matrix/")
    total = sum(
        cell["count"] for row in matrix.context["rows"] for cell in row["cells"]
    )
    listed = client.get("/en/potentials/")
    regions = next(f for f in listed.context["facets"] if f.name == "region")
    lusatia = next(o for o in regions.options if o.value == "lower-lusatia")
    from potentials.models import Potential

    published = Potential.objects.published()
    assert lusatia.count == published.filter(region__slug="lower-lusatia").count()
    assert total == sum(p.legacy_types.count() for p in published)


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/en/potentials/no-such-potential/", "Page not found"),
        ("/en/regions/no-such-region/", "Page not found"),
        ("/en/no-such-page/", "Page not found"),
    ],
)
def test_unknown_addresses_give_the_portals_404_page(seeded, client, url, text):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert text in html
    assert '<html lang="en">' in html
    assert "site-header" in html


def test_the_404_page_is_in_the_readers_language(seeded, client):
    response = client.get("/de/potentials/no-such-potential/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="de">' in html
    # The links stay in German; the switcher offers the same address elsewhere.
    assert 'href="/de/"' in html
    assert 'href="/pl/potentials/no-such-potential/" hreflang="pl"' in html
    html = client.get("/de/no-such-page/").content.decode()
    assert 'href="/pl/" hreflang="pl"' in html


BAD_QUERIES = [
    "theme=no-such-theme",
    "country=XX",
    "stage=finished",
    "bbox=1,2,3",
    "sort=sideways",
    "search=" + "x" * 500,
    "region=%00",
]


def test_bad_filter_values_give_a_page_with_a_message(seeded, client):
    for query in BAD_QUERIES:
        response = client.get(f"/en/potentials/?{query}")
        assert response.status_code == 200, query
        assert response.context["filter_errors"], query
        html = response.content.decode()
        assert 'class="message message-error" role="alert"' in html, query
    for page in ("-3", "abc", "999"):
        assert client.get(f"/en/potentials/?page={page}").status_code == 200


def test_bad_good_practice_filters_give_a_page_with_a_message(seeded, client):
    response = client.get("/en/good-practices/?kind=nonsense&start_year_min=abc")
    assert response.status_code == 200
    labels = {label for label, _message in response.context["filter_errors"]}
    assert labels == {"Kind", "Started in or after"}


def test_the_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "<h1>" in html
