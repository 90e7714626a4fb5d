"""Actor networks (regions/network.py): computed from the records, public only."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from editorial.models import Status
from goodpractices.models import GoodPractice, Stakeholder
from potentials.models import PotentialActor
from regions.models import Membership, PlanningLevel, Project, Sector
from regions.network import (
    MAX_DIAGRAM_NODES,
    NOT_RECORDED,
    label_lines,
    network_of,
    project_network,
    region_network,
)
from tests.factories import (
    GoodPracticeFactory,
    MembershipFactory,
    PartnerFactory,
    PotentialFactory,
    ProjectFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


class Network:
    """A region with six organisations in it or acting on its records.

    A, B, D and G are located in the region; C has a role on a published
    potential of the region (with A); E is the main institution of a published
    practice of the region, with B as a stakeholder. D (with A) and F have roles
    only on a draft potential, and F is a stakeholder only of a draft practice:
    F is not in the network, and D is tied to no one.
    """

    def __init__(self):
        self.region = RegionFactory(name="Lusatia", slug="lusatia")
        elsewhere = RegionFactory()

        def partner(name, sector, level, region):
            return PartnerFactory(
                name=name,
                slug=name.lower(),
                sector=sector,
                level=level,
                region=region,
            )

        self.a = partner("Alpha", Sector.PUBLIC_ADMINISTRATION, "regional", self.region)
        self.b = partner("Beta", Sector.BUSINESS, "local", self.region)
        self.c = partner("Gamma", Sector.RESEARCH_EDUCATION, "national", elsewhere)
        self.d = partner("Delta", Sector.POLITICS, "local", self.region)
        self.e = partner("Epsilon", Sector.CIVIL_SOCIETY, "european", elsewhere)
        self.f = partner("Phi", Sector.BUSINESS, "local", elsewhere)
        self.g = partner("Eta", Sector.PUBLIC_ADMINISTRATION, "", self.region)

        self.x = ProjectFactory(acronym="XPROJ", slug="x-project")
        self.y = ProjectFactory(acronym="YPROJ", slug="y-project")
        for project, members in ((self.x, "abc"), (self.y, "ab")):
            for letter in members:
                MembershipFactory(project=project, partner=getattr(self, letter))

        self.published = PotentialFactory(
            title="Lake heat", slug="lake-heat", region=self.region
        )
        self.draft = PotentialFactory(
            title="Secret dump", region=self.region, status=Status.DRAFT
        )
        for potential, letters in ((self.published, "ac"), (self.draft, "adf")):
            for letter in letters:
                PotentialActor.objects.create(
                    potential=potential, partner=getattr(self, letter), role="planner"
                )

        self.practice = GoodPracticeFactory(
            title="Heat school", region=self.region, main_institution=self.e
        )
        Stakeholder.objects.create(
            good_practice=self.practice, sector=Sector.BUSINESS, partner=self.b
        )
        draft_practice = GoodPracticeFactory(
            region=self.region, main_institution=self.a, status=Status.DRAFT
        )
        Stakeholder.objects.create(
            good_practice=draft_practice, sector=Sector.BUSINESS, partner=self.f
        )

    def grow(self, count: int) -> None:
        """More organisations in the region, each tied to A in every way."""
        for _ in range(count):
            new = PartnerFactory(region=self.region, sector=Sector.BUSINESS)
            MembershipFactory(project=self.x, partner=new)
            potential = PotentialFactory(region=self.region)
            for partner in (self.a, new):
                PotentialActor.objects.create(
                    potential=potential, partner=partner, role="owner"
                )
            practice = GoodPracticeFactory(region=self.region, main_institution=self.a)
            Stakeholder.objects.create(
                good_practice=practice, sector=Sector.BUSINESS, partner=new
            )


@pytest.fixture
def world() -> Network:
    return Network()


def ties_by_slugs(network) -> dict[tuple[str, str], dict]:
    return {
        (tie.source.slug, tie.target.slug): {
            "kinds": tie.kinds,
            "projects": [project.acronym for project in tie.projects],
            "potentials": [potential.title for potential in tie.potentials],
            "practices": [practice.title for practice in tie.practices],
        }
        for tie in network.ties
    }


def counts(rows) -> dict[str, int]:
    return {row.value: row.count for row in rows}


def test_a_regions_network_is_its_organisations_and_those_acting_on_its_records(
    world,
):
    network = region_network(world.region)
    assert {partner.slug for partner in network.nodes} == {
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "eta",
    }


def test_network_counts_by_sector_and_level_are_computed_from_the_records(world):
    network = region_network(world.region)
    assert counts(network.by_sector) == {
        Sector.PUBLIC_ADMINISTRATION: 2,
        Sector.POLITICS: 1,
        Sector.BUSINESS: 1,
        Sector.CIVIL_SOCIETY: 1,
        Sector.RESEARCH_EDUCATION: 1,
        NOT_RECORDED: 0,
    }
    assert counts(network.by_level) == {
        PlanningLevel.LOCAL: 2,
        PlanningLevel.REGIONAL: 1,
        PlanningLevel.NATIONAL: 1,
        PlanningLevel.EUROPEAN: 1,
        NOT_RECORDED: 1,
    }
    # In the order of the vocabulary, "not recorded" last.
    assert [row.value for row in network.by_sector] == [*Sector.values, NOT_RECORDED]


def test_ties_name_their_kinds_and_what_is_shared(world):
    network = region_network(world.region)
    assert ties_by_slugs(network) == {
        ("alpha", "beta"): {
            "kinds": ["project"],
            "projects": ["XPROJ", "YPROJ"],
            "potentials": [],
            "practices": [],
        },
        ("alpha", "gamma"): {
            "kinds": ["project", "potential"],
            "projects": ["XPROJ"],
            "potentials": ["Lake heat"],
            "practices": [],
        },
        ("beta", "gamma"): {
            "kinds": ["project"],
            "projects": ["XPROJ"],
            "potentials": [],
            "practices": [],
        },
        ("beta", "epsilon"): {
            "kinds": ["practice"],
            "projects": [],
            "potentials": [],
            "practices": ["Heat school"],
        },
    }


def test_a_draft_potentials_roles_tie_no_one(world):
    network = region_network(world.region)
    delta = [
        tie for tie in network.ties if "delta" in (tie.source.slug, tie.target.slug)
    ]
    assert delta == []
    assert "phi" not in {partner.slug for partner in network.nodes}
    # Published, the same roles tie them, and bring F into the network.
    world.draft.status = Status.PUBLISHED
    world.draft.save()
    network = region_network(world.region)
    ties = ties_by_slugs(network)
    assert ties[("alpha", "delta")]["potentials"] == ["Secret dump"]
    assert ties[("delta", "phi")]["kinds"] == ["potential"]


def test_a_projects_network_is_its_members_tied_by_what_else_they_share(world):
    network = project_network(world.x)
    assert [partner.slug for partner in network.nodes] == ["alpha", "beta", "gamma"]
    # XPROJ itself ties no one: every member shares it.
    assert ties_by_slugs(network) == {
        ("alpha", "beta"): {
            "kinds": ["project"],
            "projects": ["YPROJ"],
            "potentials": [],
            "practices": [],
        },
        ("alpha", "gamma"): {
            "kinds": ["potential"],
            "projects": [],
            "potentials": ["Lake heat"],
            "practices": [],
        },
    }
    assert counts(network.by_sector)[Sector.BUSINESS] == 1


def test_the_table_rows_group_each_organisations_ties_by_what_is_shared(world):
    network = project_network(world.x)
    alpha = network.rows()[0]
    assert alpha.partner == world.a
    assert alpha.tie_count == 2
    assert [
        (item.kind, str(item.record), [p.slug for p in item.partners], item.with_all)
        for item in alpha.shared
    ] == [
        ("project", "YPROJ", ["beta"], False),
        ("potential", "Lake heat", ["gamma"], False),
    ]


def test_a_network_without_organisations_or_ties(db):
    region = RegionFactory()
    network = region_network(region)
    assert network.nodes == [] and network.ties == []
    assert network.diagram is None
    assert all(row.count == 0 for row in network.by_sector)


def test_building_a_network_makes_the_same_queries_whatever_its_size(world):
    def queries(build) -> int:
        with CaptureQueriesContext(connection) as context:
            network = build()
            network.rows()
            network.diagram  # noqa: B018
            for tie in network.ties:
                [
                    str(record)
                    for record in tie.projects + tie.potentials + tie.practices
                ]
        return len(context.captured_queries)

    small_region = queries(lambda: region_network(world.region))
    small_project = queries(lambda: project_network(world.x))
    world.grow(12)
    assert len(region_network(world.region).ties) > 12
    assert queries(lambda: region_network(world.region)) == small_region == 4
    assert queries(lambda: project_network(world.x)) == small_project == 4


def test_the_diagram_draws_every_organisation_and_tie(world):
    network = region_network(world.region)
    diagram = network.diagram
    assert [node.partner for node in diagram.nodes] == network.nodes
    assert len(diagram.ties) == len(network.ties)
    # Every sector present has a legend entry; the shapes differ by sector.
    assert {str(entry.label) for entry in diagram.legend} == {
        "Public administration",
        "Politics",
        "Business",
        "Civil society",
        "Research and education",
    }
    assert len({entry.path for entry in diagram.legend}) == len(diagram.legend)
    for node in diagram.nodes:
        for line in node.lines:
            assert 0 <= line.x <= diagram.width and 0 <= line.y <= diagram.height


def test_a_network_too_large_to_draw_has_only_its_table(db):
    region = RegionFactory()
    PartnerFactory.create_batch(MAX_DIAGRAM_NODES + 1, region=region)
    assert region_network(region).diagram is None


def test_labels_are_acronyms_or_short_names(db):
    assert label_lines(PartnerFactory.build(acronym="IOER")) == ["IOER"]
    assert label_lines(PartnerFactory.build(name="Town of Salgótarján")) == [
        "Town of",
        "Salgótarján",
    ]
    lines = label_lines(
        PartnerFactory.build(name="Regional Development Centre Zagorje")
    )
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(len(line) <= 14 for line in lines)


# --- The pages ------------------------------------------------------------------------


def network_section(html: str) -> str:
    start = html.index('<section class="section actor-network"')
    return html[start : html.index("</section>", start)]


def test_the_region_page_shows_the_network_as_a_diagram_and_a_table(world, client):
    html = client.get(world.region.get_absolute_url()).content.decode()
    section = network_section(html)
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="actor-network-title actor-network-desc"' in svg
    assert '<title id="actor-network-title">Actor network of Lusatia</title>' in svg
    assert re.search(r'<desc id="actor-network-desc">6 organisations.*4 ties', svg)
    assert svg.count("<line ") == 4
    table = section[section.index("<table") : section.index("</table>")]
    rows = re.findall(r'<th scope="row"><a href="([^"]+)"', table)
    network = region_network(world.region)
    assert rows == [partner.get_absolute_url() for partner in network.nodes]
    assert "Secret dump" not in html
    assert world.f.get_absolute_url() not in section
    # The counts by sector and level, beside the table.
    assert "Organisations by sector" in section
    assert "Organisations by planning level" in section


def test_the_project_page_shows_its_members_network(world, client):
    response = client.get(world.x.get_absolute_url())
    section = network_section(response.content.decode())
    assert "Actor network of XPROJ" in section
    for partner in (world.a, world.b, world.c):
        assert partner.get_absolute_url() in section
    # What they share besides XPROJ: YPROJ for alpha and beta.
    assert "YPROJ" in section


# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_the_network_pages_make_the_same_queries_whatever_the_size(world, client):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    urls = [world.region.get_absolute_url(), world.x.get_absolute_url()]
    for url in urls:
        queries(url)  # Fills the caches pages share (content types).
    small = [queries(url) for url in urls]
    world.grow(15)
    assert [queries(url) for url in urls] == small


def test_the_seeded_resource_project_has_its_ten_members_in_the_network(seeded, client):
    project = Project.objects.get(slug="resource")
    network = project_network(project)
    assert len(network.nodes) == project.memberships.count() == 10
    # The pairs of members that share another project or a published potential.
    members = {m.partner_id for m in project.memberships.all()}
    together = defaultdict(set)
    for membership in Membership.objects.filter(partner__in=members).exclude(
        project=project
    ):
        together[("project", membership.project_id)].add(membership.partner_id)
    for role in PotentialActor.objects.filter(
        partner__in=members, potential__status=Status.PUBLISHED
    ):
        together[("potential", role.potential_id)].add(role.partner_id)
    for practice in GoodPractice.objects.published().prefetch_related("stakeholders"):
        taking_part = {practice.main_institution_id} | {
            stakeholder.partner_id for stakeholder in practice.stakeholders.all()
        }
        together[("practice", practice.pk)] = taking_part & members
    pairs = {
        frozenset(pair)
        for partners in together.values()
        for pair in combinations(sorted(partners), 2)
    }
    assert {frozenset((t.source.pk, t.target.pk)) for t in network.ties} == pairs
    assert sum(row.count for row in network.by_sector) == 10
    html = client.get(project.get_absolute_url()).content.decode()
    section = network_section(html)
    assert section.count('<th scope="row"><a href=') == 10
    assert network_of("project", project.members.none()).nodes == []
