"""The portal in figures: counts of the public content, each a link to its list.

The counts come from six aggregate queries (GROUP BY in PostgreSQL) over the
published records, one pass over each table they count; the taxonomies the bars
are named after are read once each. The page costs the same nine queries at a
hundred records as at a hundred thousand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from core.languages import fallback_language
from editorial.models import Status
from goodpractices.models import GoodPractice
from portal.charts import Bar, Chart
from potentials.models import Potential, Theme
from regions.models import LegacyType, Region, RegionLegacy


def _list_url(name: str, **filters: str | int) -> str:
    return f"{reverse(name)}?{urlencode(filters)}"


def _counts(rows, key: str) -> dict:
    return {row[key]: row["count"] for row in rows}


def _bar(obj, count: int, url: str) -> Bar:
    return Bar(str(obj), count, url, fallback_language(obj, "name"))


def _describe(chart: Chart, what: str) -> Chart:
    """A description that says what the bars show and which is largest."""
    largest = chart.largest
    if largest is None or not largest.count:
        chart.description = _("%(what)s. There is nothing to count yet.") % {
            "what": what
        }
        return chart
    chart.description = _(
        "%(what)s, as a horizontal bar for each of %(bars)s values. The largest is "
        "%(label)s with %(count)s. The table after the chart gives every figure."
    ) % {
        "what": what,
        "bars": len(chart.bars),
        "label": largest.label,
        "count": largest.count,
    }
    return chart


@dataclass
class Section:
    slug: str
    heading: str
    charts: list[Chart]


def potential_charts() -> list[Chart]:
    """Published potentials by theme, category, development stage and country."""
    # One pass over the potentials: a row per category, stage and country, summed
    # here three ways (at most categories × stages × countries rows).
    rows = (
        Potential.objects.published()
        .order_by()
        .values("category_id", "stage", "region__country")
        .annotate(count=Count("pk"))
    )
    by_category: Counter = Counter()
    by_stage: Counter = Counter()
    by_country: Counter = Counter()
    for row in rows:
        by_category[row["category_id"]] += row["count"]
        by_stage[row["stage"]] += row["count"]
        if row["region__country"]:
            by_country[row["region__country"]] += row["count"]
    themes = list(Theme.objects.prefetch_related("categories"))
    url = "potentials:potential-list"
    theme_bars, category_bars = [], []
    for theme in themes:
        categories = list(theme.categories.all())
        theme_count = sum(by_category.get(category.pk, 0) for category in categories)
        theme_bars.append(_bar(theme, theme_count, _list_url(url, theme=theme.slug)))
        category_bars += [
            _bar(
                category,
                by_category.get(category.pk, 0),
                _list_url(url, category=category.slug),
            )
            for category in categories
        ]
    stage_bars = [
        Bar(str(label), by_stage.get(value, 0), _list_url(url, stage=value))
        for value, label in Potential.Stage.choices
    ]
    country_bars = sorted(
        (
            Bar(countries.name(code) or code, count, _list_url(url, country=code))
            for code, count in by_country.items()
        ),
        key=lambda bar: (-bar.count, bar.label),
    )
    potentials = _("Potentials")
    total = sum(by_category.values())
    unplaced = total - sum(by_country.values())
    country_notes = []
    if unplaced:
        country_notes.append(
            ngettext(
                "%(count)s potential is not tied to one region and is not counted "
                "here.",
                "%(count)s potentials are not tied to one region and are not "
                "counted here.",
                unplaced,
            )
            % {"count": unplaced}
        )
    return [
        _describe(
            Chart(
                "theme",
                _("Potentials by theme"),
                "",
                _("Theme"),
                potentials,
                theme_bars,
            ),
            _("Published potentials by theme"),
        ),
        _describe(
            Chart(
                "category",
                _("Potentials by category"),
                "",
                _("Category"),
                potentials,
                category_bars,
            ),
            _("Published potentials by category, grouped by theme"),
        ),
        _describe(
            Chart(
                "stage",
                _("Potentials by development stage"),
                "",
                _("Development stage"),
                potentials,
                stage_bars,
            ),
            _(
                "Published potentials by development stage, from identified to "
                "implemented"
            ),
        ),
        _describe(
            Chart(
                "country",
                _("Potentials by country"),
                "",
                _("Country"),
                potentials,
                country_bars,
                country_notes,
            ),
            _("Published potentials by the country of their region"),
        ),
    ]


def legacy_charts() -> list[Chart]:
    """How many regions have each kind of mining legacy, and how many published
    potentials put it to use."""
    legacy_types = list(LegacyType.objects.all())
    regions = _counts(
        RegionLegacy.objects.order_by()
        .values("legacy_type_id")
        .annotate(count=Count("region_id")),
        "legacy_type_id",
    )
    potentials = _counts(
        Potential.legacy_types.through.objects.filter(
            potential__status=Status.PUBLISHED
        )
        .order_by()
        .values("legacytype_id")
        .annotate(count=Count("potential_id")),
        "legacytype_id",
    )
    region_bars = [
        _bar(
            legacy,
            regions.get(legacy.pk, 0),
            _list_url("regions:region-list", legacy_type=legacy.slug),
        )
        for legacy in legacy_types
    ]
    potential_bars = [
        _bar(
            legacy,
            potentials.get(legacy.pk, 0),
            _list_url("potentials:potential-list", legacy_type=legacy.slug),
        )
        for legacy in legacy_types
    ]
    return [
        _describe(
            Chart(
                "legacy-regions",
                _("Regions by mining legacy"),
                "",
                _("Legacy type"),
                _("Regions"),
                region_bars,
            ),
            _(
                "Regions that record each kind of mining legacy (a region may "
                "record several)"
            ),
        ),
        _describe(
            Chart(
                "legacy-potentials",
                _("Potentials by mining legacy"),
                "",
                _("Legacy type"),
                _("Potentials"),
                potential_bars,
            ),
            _(
                "Published potentials that use each kind of mining legacy (a "
                "potential may use several)"
            ),
        ),
    ]


def mining_end_chart() -> Chart:
    """Regions by the decade mining ended in them."""
    rows = (
        Region.objects.order_by()
        .annotate(decade=F("mining_ended_year") / 10 * 10)
        .values("decade")
        .annotate(count=Count("pk"))
    )
    by_decade = _counts(rows, "decade")
    without = by_decade.pop(None, 0)
    bars = [
        Bar(
            _("%(start)s–%(end)s") % {"start": decade, "end": decade + 9},
            count,
            _list_url(
                "regions:region-list",
                mining_ended_min=decade,
                mining_ended_max=decade + 9,
            ),
        )
        for decade, count in sorted(by_decade.items())
    ]
    notes = []
    if without:
        notes.append(
            ngettext(
                "%(count)s region gives no year mining ended (mining goes on there, "
                "or the year is not recorded).",
                "%(count)s regions give no year mining ended (mining goes on there, "
                "or the year is not recorded).",
                without,
            )
            % {"count": without}
        )
    return _describe(
        Chart(
            "mining-ended",
            _("When mining ended"),
            "",
            _("Decade"),
            _("Regions"),
            bars,
            notes,
        ),
        _("Regions by the decade in which mining ended there, oldest first"),
    )


def good_practice_charts() -> list[Chart]:
    """Published good practices by kind and by the year they started."""
    published = GoodPractice.objects.published().order_by()
    by_kind = _counts(published.values("kind").annotate(count=Count("pk")), "kind")
    by_year = _counts(
        published.annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(count=Count("pk")),
        "year",
    )
    url = "goodpractices:goodpractice-list"
    without = by_year.pop(None, 0)
    kind_bars = [
        Bar(str(label), by_kind.get(value, 0), _list_url(url, kind=value))
        for value, label in GoodPractice.Kind.choices
    ]
    year_bars = [
        Bar(
            str(year),
            count,
            _list_url(url, start_year_min=year, start_year_max=year),
        )
        for year, count in sorted(by_year.items())
    ]
    notes = []
    if without:
        notes.append(
            ngettext(
                "%(count)s good practice gives no start date.",
                "%(count)s good practices give no start date.",
                without,
            )
            % {"count": without}
        )
    practices = _("Good practices")
    return [
        _describe(
            Chart(
                "practice-kind",
                _("Good practices by kind"),
                "",
                _("Kind"),
                practices,
                kind_bars,
            ),
            _("Published good practices by kind"),
        ),
        _describe(
            Chart(
                "practice-year",
                _("Good practices by start year"),
                "",
                _("Start year"),
                practices,
                year_bars,
                notes,
            ),
            _("Published good practices by the year they started, oldest first"),
        ),
    ]


def portal_figures() -> list[Section]:
    """Every figure of the statistics page, in sections."""
    return [
        Section("potentials", _("Potentials"), potential_charts()),
        Section("legacy", _("Mining legacy"), legacy_charts()),
        Section("mining-ended", _("The end of mining"), [mining_end_chart()]),
        Section("good-practices", _("Good practices"), good_practice_charts()),
    ]
