"""The portal in figures: counts of published records, each a link to its list."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editorial.models import Status
from portal.charts import BAR_HEIGHT, COUNT_SPACE, MIN_BAR, WIDTH, Bar, layout
from potentials.models import Potential
from regions.models import Region, RegionLegacy
from tests.factories import (
    CategoryFactory,
    GoodPracticeFactory,
    LegacyTypeFactory,
    PotentialFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

URL = "/en/statistics/"
# Six aggregates and three taxonomy reads (see portal.statistics), in the
# request's transaction (BEGIN, COMMIT), and the content version they are kept
# under (core.generation.kept).
MAX_QUERIES = 12


def charts(response) -> dict:
    return {
        chart.slug: chart
        for section in response.context["sections"]
        for chart in section.charts
    }


def bar(chart, label: str):
    return next(bar for bar in chart.bars if bar.label == label)


def test_counts_only_published_potentials_by_category_theme_stage_and_country(
    client,
):
    category = CategoryFactory(name="Slag heap vineyards")
    region = RegionFactory(country="IS")
    for stage in ("piloted", "piloted", "implemented"):
        PotentialFactory(category=category, region=region, stage=stage)
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        PotentialFactory(category=category, region=region, status=status)
    figures = charts(client.get(URL))
    assert bar(figures["category"], "Slag heap vineyards").count == 3
    assert bar(figures["theme"], category.theme.name).count == 3
    assert bar(figures["country"], "Iceland").count == 3
    published = Potential.objects.published()
    assert figures["stage"].total == published.count()
    assert bar(figures["stage"], "Piloted").count == (
        published.filter(stage="piloted").count()
    )


def test_counts_legacy_mining_end_and_good_practices(client):
    legacy = LegacyTypeFactory(name="Slag")
    for year in (1961, 1968):
        region = RegionFactory(mining_status="ended", mining_ended_year=year)
        RegionLegacy.objects.create(region=region, legacy_type=legacy)
    PotentialFactory().legacy_types.add(legacy)
    PotentialFactory(status=Status.DRAFT).legacy_types.add(legacy)
    GoodPracticeFactory(kind="summer_school", start_date="1971-05-01")
    GoodPracticeFactory(kind="summer_school", start_date="1971-06-01")
    GoodPracticeFactory(
        kind="summer_school", start_date="1971-07-01", status=Status.DRAFT
    )
    figures = charts(client.get(URL))
    assert bar(figures["legacy-regions"], "Slag").count == 2
    assert bar(figures["legacy-potentials"], "Slag").count == 1
    assert bar(figures["mining-ended"], "1960–1969").count == 2
    assert bar(figures["practice-year"], "1971").count == 2
    assert bar(figures["practice-kind"], "Summer school").count == (
        GoodPracticeFactory._meta.model.objects.published()
        .filter(kind="summer_school")
        .count()
    )


def test_each_chart_links_to_lists_that_show_that_many_records(seeded, client):
    figures = charts(client.get(URL))
    assert len(figures) == 9
    for chart in figures.values():
        # The largest bar and the last (a small country, a late year, a zero).
        for figure in {chart.largest, chart.bars[-1]}:
            listed = client.get(figure.url)
            assert listed.status_code == 200, figure.url
            assert not listed.context["filter_errors"], figure.url
            assert listed.context["paginator"].count == figure.count, figure.url


def test_bars_and_table_cells_are_links_to_the_filtered_lists(seeded, client):
    response = client.get(URL)
    html = response.content.decode()
    category = charts(response)["category"]
    biomass = bar(category, "Biomass")
    assert biomass.url == "/en/potentials/?category=biomass"
    # The bar in the SVG, the row heading and the figure in the table.
    assert html.count('href="/en/potentials/?category=biomass"') == 3
    decade = charts(response)["mining-ended"].bars[0]
    assert "mining_ended_min=" in decade.url and "mining_ended_max=" in decade.url
    assert unescape(html).count(f'href="{decade.url}"') == 3


def test_every_chart_is_an_svg_with_title_and_description_and_a_table(seeded, client):
    html = client.get(URL).content.decode()
    svgs = re.findall(r"<svg class=\"bar-chart\".*?</svg>", html, re.S)
    assert len(svgs) == 9
    for svg in svgs:
        title = re.search(r'<title id="([^"]+)">([^<]+)</title>', svg)
        desc = re.search(r'<desc id="([^"]+)">([^<]+)</desc>', svg)
        assert title and desc
        assert f'aria-labelledby="{title[1]}"' in svg
        assert f'aria-describedby="{desc[1]}"' in svg
        assert "The largest is" in desc[2]
        assert svg.count("<a href=") == svg.count("<rect ")
    assert html.count("<table>") == 9
    assert html.count('<th scope="row">') == html.count("<rect ")


# Counts the queries of computing the page; a cached one costs one
# (tests/portal/test_page_cache.py).
@override_settings(PAGE_CACHE=False)
def test_page_makes_the_same_few_queries_however_many_records(
    client, django_assert_max_num_queries
):
    category, legacy = CategoryFactory(), LegacyTypeFactory()
    client.get(URL)  # Fills the caches (content types) pages share.
    cache.clear()  # Computed, not kept.
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(URL)
    for year in range(1990, 2020):
        region = RegionFactory(mining_status="ended", mining_ended_year=year)
        RegionLegacy.objects.create(region=region, legacy_type=legacy)
        PotentialFactory(category=category, region=region).legacy_types.add(legacy)
        GoodPracticeFactory(start_date=f"{year}-01-01")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(URL)
    assert len(charts(response)["practice-year"].bars) >= 30


@override_settings(PAGE_CACHE=False)
def test_figures_are_kept_until_the_data_changes(client):
    """Aggregates over every record are computed once per content version."""
    PotentialFactory(category=CategoryFactory())

    def view():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        total = sum(bar.count for bar in charts(response)["theme"].bars)
        return total, len(queries)

    total, computed = view()
    again, kept = view()
    assert again == total and kept < computed - 5
    PotentialFactory(category=CategoryFactory())
    changed, _queries = view()
    assert changed == total + 1


def test_page_and_footer_link_each_other(seeded, client):
    home = client.get("/de/").content.decode()
    assert 'href="/de/statistics/"' in home
    assert client.get("/de/statistics/").status_code == 200


def test_regions_list_filters_by_mining_legacy(client):
    legacy = LegacyTypeFactory()
    region = RegionFactory()
    RegionLegacy.objects.create(region=region, legacy_type=legacy)
    RegionFactory()
    response = client.get(reverse("regions:region-list"), {"legacy_type": legacy.slug})
    assert [r.pk for r in response.context["object_list"]] == [region.pk]
    assert Region.objects.count() > 1


def test_layout_scales_bars_to_the_largest_and_wraps_long_labels():
    long_label = "Buildings and machinery (conveyor bridges, headframes) " * 2
    drawn = layout(
        [Bar("A", 10, "/a"), Bar(long_label, 5, "/b"), Bar("Nothing", 0, "/c")]
    )
    assert drawn[0].bar_width == WIDTH - COUNT_SPACE
    assert drawn[1].bar_width == (WIDTH - COUNT_SPACE) // 2
    assert drawn[2].bar_width == MIN_BAR
    assert len(drawn[1].label_lines) > 1
    # Each row starts below the bar before it.
    assert drawn[1].label_lines[0][0] > drawn[0].bar_y + BAR_HEIGHT
    assert drawn[2].label_lines[0][0] > drawn[1].bar_y + BAR_HEIGHT
    assert layout([]) == []
