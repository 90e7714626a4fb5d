"""Comparing 2 to 4 regions, potentials or good practices side by side."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from editorial.models import Status
from goodpractices.compare import GoodPracticeCompareView
from potentials.compare import PotentialCompareView
from regions.compare import RegionCompareView
from regions.models import Commodity, DevelopmentGoal, RegionLegacy
from search.browse import FacetedListView
from search.compare import MAX_RECORDS, MIN_RECORDS, Attribute, Value, compare
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    PartnerFactory,
    PotentialFactory,
    ProjectFactory,
    RegionFactory,
    ThemeFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

SHARED = "shared by all"


def compare_url(kind: str, *slugs: str) -> str:
    url = reverse(f"{kind}-compare")
    return f"{url}?{urlencode([('slug', slug) for slug in slugs])}" if slugs else url


def shared_marks(html: str) -> int:
    """How many values the table marks as shared (the cards repeat them)."""
    table = html.split('class="compare-table"', 1)[1].split("</table>", 1)[0]
    return table.count(SHARED)


def row_of(comparison, label: str):
    return next(row for row in comparison.rows if str(row.label) == label)


def shared_texts(row) -> list[list[str]]:
    return [[shown.value.text for shown in cell if shown.shared] for cell in row.cells]


# --- The limits -----------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1])
def test_compare_refuses_fewer_than_two_with_a_clear_message(client, count):
    regions = RegionFactory.create_batch(count)
    response = client.get(compare_url("regions:region", *(r.slug for r in regions)))
    assert response.status_code == 400
    body = response.content.decode()
    assert response.context["comparison"] is None
    assert f"at least {MIN_RECORDS} and at most {MAX_RECORDS}" in body
    assert f"You chose {count}." in body
    assert 'class="compare-table"' not in body
    assert reverse("regions:region-list") in body


def test_compare_refuses_more_than_four_with_a_clear_message(client):
    regions = RegionFactory.create_batch(MAX_RECORDS + 1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(compare_url("regions:region", *(r.slug for r in regions)))
    assert response.status_code == 400
    body = response.content.decode()
    assert f"at most {MAX_RECORDS} side by side" in body
    assert f"You chose {MAX_RECORDS + 1}" in body
    assert 'class="compare-table"' not in body
    # Refused before any record is read.
    assert not any('"regions_region"' in q["sql"] for q in queries.captured_queries)


def test_the_same_record_twice_counts_once(client):
    region = RegionFactory()
    response = client.get(compare_url("regions:region", region.slug, region.slug))
    assert response.status_code == 400
    assert "You chose 1." in response.content.decode()


@pytest.mark.parametrize("count", [2, 3, 4])
def test_compare_shows_two_to_four_in_the_order_chosen(client, count):
    regions = RegionFactory.create_batch(count)
    slugs = [r.slug for r in reversed(regions)]
    response = client.get(compare_url("regions:region", *slugs))
    assert response.status_code == 200
    assert response.context["errors"] == []
    assert [r.slug for r in response.context["comparison"].records] == slugs
    body = response.content.decode()
    header = body.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert header.count('scope="col"') == count + 1
    positions = [header.index(r.get_absolute_url()) for r in reversed(regions)]
    assert positions == sorted(positions)


def test_a_slug_no_record_could_have_is_unknown_not_an_error(client):
    a = RegionFactory()
    response = client.get(compare_url("regions:region", a.slug, "x\x00y"))
    assert response.status_code == 400
    assert "Nothing published has this address" in response.content.decode()


def test_unknown_slug_is_named_in_the_message(client):
    a, b = RegionFactory.create_batch(2)
    response = client.get(compare_url("regions:region", a.slug, "no-such-region"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing published has this address: “no-such-region”." in body
    assert response.context["comparison"] is None
    # The others are still compared when enough of them are left.
    response = client.get(
        compare_url("regions:region", a.slug, b.slug, "no-such-region")
    )
    assert response.status_code == 400
    assert "“no-such-region”" in response.content.decode()
    assert len(response.context["comparison"].records) == 2


@pytest.mark.parametrize(
    "factory, kind",
    [
        (PotentialFactory, "potentials:potential"),
        (GoodPracticeFactory, "goodpractices:goodpractice"),
    ],
)
def test_drafts_are_not_shown_to_anonymous_readers(client, factory, kind):
    public = factory.create_batch(2)
    draft = factory(title="Secret draft title", status=Status.DRAFT)
    in_review = factory(title="Secret review title", status=Status.IN_REVIEW)
    response = client.get(
        compare_url(kind, public[0].slug, public[1].slug, draft.slug, in_review.slug)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Secret" not in body
    assert draft.get_absolute_url() not in body
    # Answered exactly as an address nothing has: a draft's existence is no leak.
    assert f"these addresses: “{draft.slug}”, “{in_review.slug}”." in body
    assert [r.pk for r in response.context["comparison"].records] == [
        p.pk for p in public
    ]


def test_editors_compare_their_own_drafts(client):
    draft = PotentialFactory(title="Our own draft", status=Status.DRAFT)
    other = PotentialFactory()
    client.force_login(staff_user(draft.owner))
    response = client.get(compare_url("potentials:potential", draft.slug, other.slug))
    assert response.status_code == 200
    assert "Our own draft" in response.content.decode()


# --- Shared values ----------------------------------------------------------------


def test_compare_marks_exactly_what_every_record_has():
    def values(record):
        return [Value(text) for text in record]

    comparison = compare(
        [["a", "b"], ["b", "a", "c"], ["b", "a"]],
        [
            Attribute("letters", values),
            Attribute("first", lambda r: Value(r[0])),
            Attribute("none", lambda r: None),
            Attribute("figure", values, shares=False),
        ],
    )
    letters, first, none, figure = comparison.rows
    assert shared_texts(letters) == [["a", "b"], ["b", "a"], ["b", "a"]]
    assert [v.text for v in letters.shared] == ["a", "b"]
    assert shared_texts(first) == [[], [], []]
    assert first.shared == []
    # An empty cell shares nothing, and makes nothing shared.
    assert none.cells == [[], [], []] and none.shared == []
    assert shared_texts(figure) == [[], [], []]
    assert comparison.shared_rows == [letters]
    assert [len(card.attributes) for card in comparison.cards] == [4, 4, 4]


def test_regions_share_a_country_and_the_legacy_types_all_have(client):
    lake, heap, water = LegacyTypeFactory.create_batch(3)
    lignite = Commodity.objects.create(slug="test-lignite", name="Test lignite")
    goal = DevelopmentGoal.objects.create(slug="test-tourism", name="Test tourism")
    regions = [
        RegionFactory(
            country="DE",
            kind="district",
            population=1000,
            population_year=2020,
            population_source_title="Census",
        ),
        RegionFactory(
            country="DE",
            kind="county",
            population=1000,
            population_year=2020,
            population_source_title="Census",
        ),
        RegionFactory(country="DE", kind="district"),
    ]
    for region in regions:
        RegionLegacy.objects.create(region=region, legacy_type=lake, note="Lakes")
        region.commodities.add(lignite)
    RegionLegacy.objects.create(region=regions[0], legacy_type=heap)
    RegionLegacy.objects.create(region=regions[1], legacy_type=heap)
    RegionLegacy.objects.create(region=regions[2], legacy_type=water)
    regions[0].goals.add(goal)
    response = client.get(compare_url("regions:region", *(r.slug for r in regions)))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert shared_texts(row_of(comparison, "Country")) == [["Germany"]] * 3
    assert shared_texts(row_of(comparison, "Mining legacy")) == [[lake.name]] * 3
    assert shared_texts(row_of(comparison, "Mined")) == [["Test lignite"]] * 3
    # Shared by only some: not marked.
    assert shared_texts(row_of(comparison, "Kind")) == [[], [], []]
    assert shared_texts(row_of(comparison, "Development goals")) == [[], [], []]
    # Equal figures are a coincidence, not a shared trait.
    assert shared_texts(row_of(comparison, "Population (year)")) == [[], [], []]
    assert shared_texts(row_of(comparison, "Published potentials")) == [[], [], []]
    assert [str(row.label) for row in comparison.shared_rows] == [
        "Country",
        "Mined",
        "Mining legacy",
    ]
    body = response.content.decode()
    assert shared_marks(body) == 3 * 3
    # The mark is words in the page, read by screen readers; the tick is not read.
    assert '<span aria-hidden="true">✓ </span>shared by all' in body
    assert "What they all share" in body


def test_potentials_share_category_and_theme_not_region(client):
    theme = ThemeFactory()
    category = CategoryFactory(theme=theme)
    other = CategoryFactory(theme=theme)
    legacy = LegacyTypeFactory()
    project = ProjectFactory()
    a = PotentialFactory(category=category, area_ha=12, stage="studied")
    b = PotentialFactory(category=category, area_ha=12, stage="piloted")
    a.legacy_types.add(legacy)
    b.legacy_types.add(legacy)
    a.projects.add(project)
    response = client.get(compare_url("potentials:potential", a.slug, b.slug))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert shared_texts(row_of(comparison, "Category")) == [[category.name]] * 2
    assert shared_texts(row_of(comparison, "Theme")) == [[theme.name]] * 2
    assert shared_texts(row_of(comparison, "What mining left")) == [[legacy.name]] * 2
    assert shared_texts(row_of(comparison, "Country")) == [["Germany"]] * 2
    for label in ("Region", "Development stage", "Area", "Projects"):
        assert shared_texts(row_of(comparison, label)) == [[], []], label
    assert other.name not in response.content.decode()
    assert shared_marks(response.content.decode()) == 4 * 2


def test_good_practices_show_their_evidence_and_validation(client):
    region = RegionFactory(country="FI")
    a = GoodPracticeFactory(
        region=region,
        evidence_level="monitored",
        cost_min=1000,
        cost_max=5000,
        cost_currency="EUR",
        validated_on="2024-03-12",
        validation_signature="A moderator",
    )
    b = GoodPracticeFactory(evidence_level="monitored")
    response = client.get(compare_url("goodpractices:goodpractice", a.slug, b.slug))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert shared_texts(row_of(comparison, "Level of evidence")) == [["Monitored"]] * 2
    assert shared_texts(row_of(comparison, "Kind")) == [["Pilot project"]] * 2
    validated = row_of(comparison, "Validated by the network")
    assert [[shown.value.text for shown in cell] for cell in validated.cells] == [
        ["Validated"],
        ["Not validated"],
    ]
    body = response.content.decode()
    assert "1,000 – 5,000 EUR" in body
    assert "on March 12, 2024" in body
    assert "Finland" in body


# --- Choosing on the lists ---------------------------------------------------------


class Forms(HTMLParser):
    """The forms, checkboxes and buttons of a page, with their attributes."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self.checkboxes: list[dict] = []
        self.buttons: list[tuple[dict, str]] = []
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms[attrs.get("id", "")] = attrs
        elif tag == "input" and attrs.get("type") == "checkbox":
            self.checkboxes.append(attrs)
        elif tag == "button":
            self._button = attrs
            self.buttons.append((attrs, ""))

    def handle_data(self, data):
        if self._button is not None:
            attrs, text = self.buttons[-1]
            self.buttons[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None


@pytest.mark.parametrize(
    "factory, kind, list_url",
    [
        (RegionFactory, "regions:region", "/en/regions/"),
        (PotentialFactory, "potentials:potential", "/en/potentials/"),
        (GoodPracticeFactory, "goodpractices:goodpractice", "/en/good-practices/"),
    ],
)
def test_lists_have_checkboxes_and_a_button_that_submit_to_the_comparison(
    client, factory, kind, list_url, monkeypatch
):
    records = factory.create_batch(3)
    # One page for all: the records made here are listed among the seed's.
    monkeypatch.setattr(FacetedListView, "paginate_by", 500)
    page = Forms()
    page.feed(client.get(list_url).content.decode())
    form = page.forms["compare-form"]
    assert form["method"] == "get"
    assert form["action"] == reverse(f"{kind}-compare")
    picks = [c for c in page.checkboxes if c.get("form") == "compare-form"]
    assert {c["name"] for c in picks} == {"slug"}
    assert {c["value"] for c in picks} >= {r.slug for r in records}
    # Each checkbox has its label, naming the record.
    body = client.get(list_url).content.decode()
    for pick in picks:
        assert re.search(rf'<label for="{pick["id"]}">Compare<span', body)
    assert [
        text.strip()
        for attrs, text in page.buttons
        if attrs.get("form") == "compare-form"
    ] == ["Compare selected"]
    # What the browser sends when two are ticked and the button pressed.
    match = resolve(form["action"])
    assert match.view_name == f"{kind}-compare"
    response = client.get(form["action"], {"slug": [records[0].slug, records[2].slug]})
    assert response.status_code == 200
    assert response.context["comparison"].records == [records[0], records[2]]


def test_lists_without_a_comparison_have_no_checkboxes(client):
    PartnerFactory()
    body = client.get("/en/partners/").content.decode()
    assert "compare-form" not in body
    assert "Compare selected" not in body


def test_compare_urls_come_before_the_detail_pages():
    assert reverse("regions:region-compare") == "/en/regions/compare/"
    assert reverse("potentials:potential-compare") == "/en/potentials/compare/"
    assert (
        reverse("goodpractices:goodpractice-compare") == "/en/good-practices/compare/"
    )
    assert resolve("/en/regions/compare/").func.view_class is RegionCompareView
    assert resolve("/en/potentials/compare/").func.view_class is PotentialCompareView
    assert (
        resolve("/en/good-practices/compare/").func.view_class
        is GoodPracticeCompareView
    )


# --- Bounds --------------------------------------------------------------------------


def _full_region(index: int, size: int):
    region = RegionFactory()
    for n in range(size):
        RegionLegacy.objects.create(region=region, legacy_type=LegacyTypeFactory())
        region.commodities.add(
            Commodity.objects.create(slug=f"c-{index}-{n}", name=f"Commodity {n}")
        )
        region.goals.add(
            DevelopmentGoal.objects.create(slug=f"g-{index}-{n}", name=f"Goal {n}")
        )
        PotentialFactory(region=region)
        GoodPracticeFactory(region=region)
    return region


def _full_potential(size: int):
    potential = PotentialFactory()
    for _n in range(size):
        potential.legacy_types.add(LegacyTypeFactory())
        potential.projects.add(ProjectFactory())
    return potential


def _full_practice(size: int):
    practice = GoodPracticeFactory(region=RegionFactory())
    for _n in range(size):
        practice.legacy_types.add(LegacyTypeFactory())
        category = CategoryFactory()
        practice.categories.add(category)
        practice.themes.add(category.theme)
    return practice


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "make, kind",
    [
        (lambda i, size: _full_region(i, size), "regions:region"),
        (lambda i, size: _full_potential(size), "potentials:potential"),
        (lambda i, size: _full_practice(size), "goodpractices:goodpractice"),
    ],
)
# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_compare_makes_as_many_queries_for_four_large_records_as_for_two_small(
    client, make, kind
):
    small = [make(i, 1) for i in range(2)]
    large = [make(i + 10, 6) for i in range(4)]
    _queries(client, compare_url(kind, *(r.slug for r in small)))  # warm caches
    two = _queries(client, compare_url(kind, *(r.slug for r in small)))
    four = _queries(client, compare_url(kind, *(r.slug for r in large)))
    assert two == four
    assert four <= 6
