"""Actor networks: who acts in a region or a project, and how they are tied.

A region's capacity to use what mining left depends on its network of actors, from
politics, administration, business, civil society and science, at local, regional,
national and European level (seed 003, the IOER paper). The network of a region is
the organisations located in it and those with a role on its published potentials
or good practices; the network of a project is its members. Two organisations are
tied when they are members of the same project (for a project's network: of another
project), have roles on the same published potential, or took part in the same
published good practice (its main institution and its stakeholders). Only
published records count, for every reader: the network is a public page and a
public API answer.

The queries are few and fixed: one for the organisations, one each for the
projects, potentials and good practices that tie two of them. Pairs are formed
here, from those rows; the counts by sector and level from the organisations.

The diagram (`diagram()`) is laid out here too, for a server-drawn SVG: the
organisations on a circle, grouped by sector, each sector with its own shape.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.db import models
from django.db.models import Count, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.db import related_records
from core.languages import fallback_language, language_codes, language_column
from editorial.models import Status
from regions.models import Membership, Partner, PlanningLevel, Project, Region, Sector

#: The value of a sector or level that a partner does not record.
NOT_RECORDED = ""
NOT_RECORDED_LABEL = _("Not recorded")
#: Above this many organisations a circle is unreadable; the table has them all.
MAX_DIAGRAM_NODES = 60


class TieKind(models.TextChoices):
    PROJECT = "project", _("Shared project")
    POTENTIAL = "potential", _("Roles on the same potential")
    PRACTICE = "practice", _("The same good practice")


@dataclass
class Tie:
    """Two organisations and what they share."""

    source: Partner
    target: Partner
    projects: list[Project] = field(default_factory=list)
    potentials: list[models.Model] = field(default_factory=list)
    practices: list[models.Model] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return [
            kind
            for kind, shared in (
                (TieKind.PROJECT, self.projects),
                (TieKind.POTENTIAL, self.potentials),
                (TieKind.PRACTICE, self.practices),
            )
            if shared
        ]

    @property
    def strength(self) -> int:
        """How many things the two share."""
        return len(self.projects) + len(self.potentials) + len(self.practices)

    def other(self, partner: Partner) -> Partner:
        return self.target if partner.pk == self.source.pk else self.source


@dataclass(frozen=True)
class CountRow:
    value: str
    label: Any
    count: int


@dataclass(frozen=True)
class SharedItem:
    """One project, potential or practice a node shares, with whom."""

    kind: str
    kind_label: Any
    record: models.Model
    partners: list[Partner]
    #: Shared with every other organisation of the network (said so, not listed).
    with_all: bool = False


@dataclass(frozen=True)
class NodeRow:
    """An organisation as the table shows it: its ties grouped by what is shared."""

    partner: Partner
    tie_count: int
    shared: list[SharedItem]


@dataclass
class ActorNetwork:
    #: "region" or "project": whose network it is.
    scope: str
    nodes: list[Partner]
    ties: list[Tie]
    by_sector: list[CountRow]
    by_level: list[CountRow]

    def rows(self) -> list[NodeRow]:
        """Each organisation with the things it shares and whom it shares them with."""
        order = {partner.pk: position for position, partner in enumerate(self.nodes)}
        ties_of: dict[int, list[Tie]] = defaultdict(list)
        for tie in self.ties:
            ties_of[tie.source.pk].append(tie)
            ties_of[tie.target.pk].append(tie)
        rows = []
        for partner in self.nodes:
            shared: dict[tuple[str, int], list[Partner]] = defaultdict(list)
            records: dict[tuple[str, int], models.Model] = {}
            for tie in ties_of[partner.pk]:
                other = tie.other(partner)
                for kind, items in (
                    (TieKind.PROJECT, tie.projects),
                    (TieKind.POTENTIAL, tie.potentials),
                    (TieKind.PRACTICE, tie.practices),
                ):
                    for record in items:
                        key = (kind, record.pk)
                        records[key] = record
                        shared[key].append(other)
            kinds = list(TieKind)
            rows.append(
                NodeRow(
                    partner=partner,
                    tie_count=len(ties_of[partner.pk]),
                    shared=[
                        SharedItem(
                            kind=kind,
                            kind_label=TieKind(kind).label,
                            record=records[(kind, pk)],
                            partners=sorted(others, key=lambda p: order[p.pk]),
                            with_all=len(self.nodes) > 2
                            and len(others) == len(self.nodes) - 1,
                        )
                        for (kind, pk), others in sorted(
                            shared.items(),
                            key=lambda item: (
                                kinds.index(item[0][0]),
                                str(records[item[0]]),
                            ),
                        )
                    ],
                )
            )
        return rows

    @property
    def diagram(self) -> Diagram | None:
        return diagram(self) if 0 < len(self.nodes) <= MAX_DIAGRAM_NODES else None


# --- Building a network ------------------------------------------------------------


def region_network(region: Region) -> ActorNetwork:
    """The organisations located in `region` or acting on its published records."""
    published = Status.PUBLISHED
    actors = (
        related_records(Partner, "potential_roles")
        .filter(potential__region=region, potential__status=published)
        .values("partner_id")
    )
    institutions = (
        related_records(Partner, "main_good_practices")
        .filter(region=region, status=published)
        .values("main_institution_id")
    )
    stakeholders = (
        related_records(Partner, "practice_stakeholder_roles")
        .filter(good_practice__region=region, good_practice__status=published)
        .values("partner_id")
    )
    return network_of(
        "region",
        Partner.objects.filter(
            Q(region=region)
            | Q(pk__in=actors)
            | Q(pk__in=institutions)
            | Q(pk__in=stakeholders)
        ),
    )


def project_network(project: Project) -> ActorNetwork:
    """The members of `project`, tied by what they share besides it: every member
    shares the project itself, which would tie each to each and tell nothing."""
    return network_of(
        "project",
        Partner.objects.filter(memberships__project=project),
        besides=project,
    )


def network_of(
    scope: str, partners: models.QuerySet[Partner], besides: Project | None = None
) -> ActorNetwork:
    """The network of these organisations: their ties and their counts. A tie
    through the project `besides` does not count."""
    nodes = sorted(
        partners.order_by(),
        key=lambda partner: (_sector_position(partner.sector), str(partner).lower()),
    )
    ties = _ties(nodes, besides)
    return ActorNetwork(
        scope=scope,
        nodes=nodes,
        ties=ties,
        by_sector=_counts(nodes, "sector", Sector.choices),
        by_level=_counts(nodes, "level", PlanningLevel.choices),
    )


def _sector_position(sector: str) -> int:
    values = list(Sector.values)
    return values.index(sector) if sector in values else len(values)


def _counts(nodes: list[Partner], attribute: str, choices) -> list[CountRow]:
    """Every choice with its count, then the organisations that record none."""
    counts = Counter(getattr(node, attribute) for node in nodes)
    return [
        *(CountRow(value, label, counts[value]) for value, label in choices),
        CountRow(NOT_RECORDED, NOT_RECORDED_LABEL, counts[NOT_RECORDED]),
    ]


def _title_columns(prefix: str, field_name: str) -> list[str]:
    return [f"{prefix}{language_column(field_name, code)}" for code in language_codes()]


def _shared_by_two(rows: Iterable, key: str) -> models.QuerySet:
    """The `key`s that two or more of the rows share (rows of a through model)."""
    return (
        rows.values(key)
        .annotate(members=Count("partner", distinct=True))
        .filter(members__gte=2)
    )


def _ties(nodes: list[Partner], besides: Project | None = None) -> list[Tie]:
    """The ties among `nodes`: three queries, whatever their number."""
    if len(nodes) < 2:
        return []
    by_pk = {node.pk: node for node in nodes}
    ids = list(by_pk)
    published = Status.PUBLISHED
    groups: list[tuple[str, models.Model, set[int]]] = []

    memberships = Membership.objects.filter(partner_id__in=ids)
    if besides is not None:
        memberships = memberships.exclude(project=besides)
    projects: dict[int, tuple[Project, set[int]]] = {}
    for membership in (
        memberships.filter(
            project__in=_shared_by_two(memberships, "project").values("project")
        )
        .select_related("project")
        .only(
            "partner_id",
            "project__slug",
            "project__acronym",
            "project__title",
            *_title_columns("project__", "title"),
        )
        .order_by()
    ):
        project = projects.setdefault(
            membership.project_id, (membership.project, set())
        )
        project[1].add(membership.partner_id)
    groups += [
        (TieKind.PROJECT, record, members) for record, members in projects.values()
    ]

    roles = related_records(Partner, "potential_roles").filter(
        partner_id__in=ids, potential__status=published
    )
    potentials: dict[int, tuple[models.Model, set[int]]] = {}
    for role in (
        roles.filter(
            potential__in=_shared_by_two(roles, "potential").values("potential")
        )
        .select_related("potential")
        .only(
            "partner_id",
            "potential__slug",
            "potential__stage",
            "potential__title",
            *_title_columns("potential__", "title"),
        )
        .order_by()
    ):
        potential = potentials.setdefault(role.potential_id, (role.potential, set()))
        potential[1].add(role.partner_id)
    groups += [
        (TieKind.POTENTIAL, record, actors) for record, actors in potentials.values()
    ]

    # Every tie through a practice has a stakeholder among the nodes: the main
    # institution is one organisation.
    practices: dict[int, tuple[models.Model, set[int]]] = {}
    for stakeholder in (
        related_records(Partner, "practice_stakeholder_roles")
        .filter(partner_id__in=ids, good_practice__status=published)
        .select_related("good_practice")
        .only(
            "partner_id",
            "good_practice__slug",
            "good_practice__kind",
            "good_practice__title",
            "good_practice__main_institution_id",
            *_title_columns("good_practice__", "title"),
        )
        .order_by()
    ):
        practice = stakeholder.good_practice
        entry = practices.setdefault(practice.pk, (practice, set()))
        entry[1].add(stakeholder.partner_id)
        if practice.main_institution_id in by_pk:
            entry[1].add(practice.main_institution_id)
    groups += [
        (TieKind.PRACTICE, record, takers) for record, takers in practices.values()
    ]

    order = {node.pk: position for position, node in enumerate(nodes)}
    ties: dict[tuple[int, int], Tie] = {}
    for kind, record, members in groups:
        for first, second in combinations(sorted(members, key=order.get), 2):
            tie = ties.get((first, second))
            if tie is None:
                tie = ties[(first, second)] = Tie(by_pk[first], by_pk[second])
            {
                TieKind.PROJECT: tie.projects,
                TieKind.POTENTIAL: tie.potentials,
                TieKind.PRACTICE: tie.practices,
            }[kind].append(record)
    for tie in ties.values():
        tie.projects.sort(key=lambda project: project.acronym.lower())
        tie.potentials.sort(key=lambda record: str(record).lower())
        tie.practices.sort(key=lambda record: str(record).lower())
    return [ties[key] for key in sorted(ties, key=lambda k: (order[k[0]], order[k[1]]))]


# --- The diagram ---------------------------------------------------------------------

# Okabe–Ito colours, which stay apart for readers with colour-vision deficiencies;
# each sector has its own shape too, so colour is never the only difference.
SECTOR_STYLES: dict[str, tuple[str, str]] = {
    Sector.PUBLIC_ADMINISTRATION: ("#0072B2", "circle"),
    Sector.POLITICS: ("#CC79A7", "triangle"),
    Sector.BUSINESS: ("#E69F00", "square"),
    Sector.CIVIL_SOCIETY: ("#009E73", "diamond"),
    Sector.RESEARCH_EDUCATION: ("#D55E00", "pentagon"),
    NOT_RECORDED: ("#FFFFFF", "ring"),
}
# A tie is drawn in the style of the first kind it has.
TIE_STYLES: dict[str, str] = {
    TieKind.PROJECT: "",
    TieKind.POTENTIAL: "7 4",
    TieKind.PRACTICE: "2 3",
}
NODE_SIZE = 9
FONT_SIZE = 18
LINE_HEIGHT = 20
LABEL_MARGIN = 155
#: A label's longest line, in characters; a name takes at most two lines.
LABEL_LENGTH = 14


def shape_path(shape: str, x: float, y: float, size: float = NODE_SIZE) -> str:
    """An SVG path of `shape`, centred on (x, y)."""

    def polygon(corners: int, rotation: float = -math.pi / 2) -> str:
        points = [
            (
                x + size * math.cos(rotation + 2 * math.pi * i / corners),
                y + size * math.sin(rotation + 2 * math.pi * i / corners),
            )
            for i in range(corners)
        ]
        return "M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in points) + " Z"

    if shape == "triangle":
        return polygon(3)
    if shape == "square":
        return polygon(4, -math.pi / 4)
    if shape == "diamond":
        return polygon(4)
    if shape == "pentagon":
        return polygon(5)
    # A circle (and the ring of "not recorded", drawn unfilled).
    return (
        f"M{x - size:.1f},{y:.1f} a{size},{size} 0 1,0 {2 * size},0 "
        f"a{size},{size} 0 1,0 {-2 * size},0 Z"
    )


def label_lines(partner: Partner) -> list[str]:
    """The acronym, else the name on up to two short lines, cut with "…"."""
    if partner.acronym:
        return [partner.acronym]
    lines: list[str] = []
    words = str(partner).split()
    while words and len(lines) < 2:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= LABEL_LENGTH:
            line += " " + words.pop(0)
        lines.append(Truncator(line).chars(LABEL_LENGTH))
    if words:
        lines[-1] = Truncator(lines[-1] + " " + " ".join(words)).chars(LABEL_LENGTH)
    return lines


@dataclass(frozen=True)
class LabelLine:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class DiagramNode:
    partner: Partner
    x: float
    y: float
    path: str
    colour: str
    lines: list[LabelLine]
    label_lang: str | None
    anchor: str


@dataclass(frozen=True)
class DiagramTie:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    dash: str


@dataclass(frozen=True)
class LegendEntry:
    label: Any
    path: str
    colour: str
    count: int


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    nodes: list[DiagramNode]
    ties: list[DiagramTie]
    legend: list[LegendEntry]


def diagram(network: ActorNetwork) -> Diagram:
    """The organisations on a circle in sector order, their ties as lines."""
    count = len(network.nodes)
    radius = min(max(count * 10, 110), 280) if count > 1 else 0
    width = 2 * (radius + LABEL_MARGIN)
    height = 2 * (radius + 62)
    cx, cy = width / 2, height / 2
    nodes, position = [], {}
    for index, partner in enumerate(network.nodes):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        position[partner.pk] = (x, y)
        colour, shape = SECTOR_STYLES.get(partner.sector, SECTOR_STYLES[NOT_RECORDED])
        texts = label_lines(partner)
        cos, sin = math.cos(angle), math.sin(angle)
        if count == 1 or abs(cos) < 0.3:
            # Above the top nodes, below the bottom ones.
            anchor, label_x = "middle", x
            above = sin < 0 or count == 1
            first = (
                y - NODE_SIZE - 6 - (len(texts) - 1) * LINE_HEIGHT
                if above
                else y + NODE_SIZE + FONT_SIZE + 2
            )
        else:
            anchor = "start" if cos > 0 else "end"
            label_x = x + (NODE_SIZE + 6) * (1 if cos > 0 else -1)
            first = y + FONT_SIZE / 3 - (len(texts) - 1) * LINE_HEIGHT / 2
        nodes.append(
            DiagramNode(
                partner=partner,
                x=round(x, 1),
                y=round(y, 1),
                path=shape_path(shape, x, y),
                colour=colour,
                lines=[
                    LabelLine(round(label_x, 1), round(first + i * LINE_HEIGHT, 1), t)
                    for i, t in enumerate(texts)
                ],
                label_lang=None
                if partner.acronym
                else fallback_language(partner, "name"),
                anchor=anchor,
            )
        )
    ties = [
        DiagramTie(
            *(round(value, 1) for value in position[tie.source.pk]),
            *(round(value, 1) for value in position[tie.target.pk]),
            width=1.5 + min(tie.strength - 1, 3),
            dash=TIE_STYLES[tie.kinds[0]],
        )
        for tie in network.ties
    ]
    sectors = {row.value: row.count for row in network.by_sector}
    legend = [
        LegendEntry(label, shape_path(shape, 10, 10, 7), colour, sectors[value])
        for value, label in [*Sector.choices, (NOT_RECORDED, NOT_RECORDED_LABEL)]
        for colour, shape in [SECTOR_STYLES[value]]
        if sectors[value]
    ]
    return Diagram(int(width), int(height), nodes, ties, legend)
