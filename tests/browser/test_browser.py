"""The portal in a real headless Chromium: accessibility (axe-core), keyboard, phones.

Needs Debian's `chromium` (driven by Playwright from PyPI; Playwright's own browser
downloads are not used). Without it these tests are skipped with a message, unless
REQUIRE_BROWSER=1, which makes them fail instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from goodpractices.models import GoodPractice
from potentials.models import Potential
from regions.models import Partner, PolicyInstrument, Project, Publication, Region

TILE_HOST = "tile.openstreetmap.org"


# Module-scoped names for the package's one server and one Chromium
# (tests/browser/conftest.py): every browser module takes these three fixtures
# from here.
@pytest.fixture(scope="module")
def live_url(package_live_url):
    return package_live_url


@pytest.fixture(scope="module")
def browser(package_browser):
    return package_browser


# Each test reads the records it looks for in a transaction of its own, which is
# idle while the browser asks the server thread, which reads the committed seed.
pytestmark = pytest.mark.django_db


class Visit:
    """A browser tab that keeps every request on the test server.

    Requests elsewhere are refused and remembered: only map tiles may try to leave,
    and a refused tile is also how a page without tiles is tested.
    """

    def __init__(self, browser, base_url: str, width: int = 1280, **options):
        self.base_url = base_url
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, **options
        )
        self.outside: list[str] = []
        self.inside: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url):
            self.inside.append(url)
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("load")
        return response

    def close(self):
        self.context.close()
        hosts = {urlsplit(url).hostname for url in self.outside}
        assert hosts <= {TILE_HOST}, f"requests left for {hosts - {TILE_HOST}}"


@pytest.fixture
def visit(browser, live_url):
    visits = []

    def open_visit(**options) -> Visit:
        v = Visit(browser, live_url, **options)
        visits.append(v)
        return v

    yield open_visit
    for v in visits:
        v.close()


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
            },
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'])})"
        for v in results.response["violations"]
    ]


PAGE_KINDS = {
    "home": lambda: "/",
    "potentials": lambda: "/potentials/?theme=cultural-potentials",
    "matrix": lambda: "/utilisation-matrix/",
    "potential": lambda: Potential.objects.get(
        slug="lusatian-lake-district"
    ).get_absolute_url()[3:],
    "good practices": lambda: "/good-practices/",
    "good practice": lambda: GoodPractice.objects.get(
        main_institution__slug="regional-council-of-lapland"
    ).get_absolute_url()[3:],
    "regions": lambda: "/regions/",
    "region": lambda: Region.objects.get(slug="lower-lusatia").get_absolute_url()[3:],
    "regions like mine": lambda: (
        "/regions/match/?legacy_type=open-pits-and-lakes&commodity=lignite"
        "&goal=tourism-and-culture&mining_ended=1995&country=de"
    ),
    "regions like mine, bad input": lambda: "/regions/match/?goal=no&mining_ended=x",
    "partner": lambda: Partner.objects.first().get_absolute_url()[3:],
    "project": lambda: Project.objects.get(slug="resource").get_absolute_url()[3:],
    "publications": lambda: "/publications/",
    "publication": lambda: Publication.objects.first().get_absolute_url()[3:],
    "policy instruments": lambda: "/policy-instruments/",
    "policy instrument": lambda: (
        PolicyInstrument.objects.order_by("slug").first().get_absolute_url()[3:]
    ),
    "about": lambda: "/about/",
    "search results": lambda: "/search/?q=mine+water",
    "propose": lambda: "/propose/",
    "statistics": lambda: "/statistics/",
    # The four site pages share one template; the longest stands for them.
    "privacy notice": lambda: "/privacy/",
    "not found": lambda: "/potentials/no-such-potential/",
}


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_no_accessibility_violations_in_two_languages(visit, kind):
    v = visit()
    for language in ("en", "de"):
        response = v.goto(f"/{language}{PAGE_KINDS[kind]()}")
        assert response.status == (404 if kind == "not found" else 200)
        assert v.page.locator("html").get_attribute("lang") == language
        assert axe_violations(v.page) == [], language


def test_skip_link_is_the_first_stop_and_leads_to_the_content(visit):
    v = visit()
    v.goto("/en/potentials/")
    v.page.keyboard.press("Tab")
    focused = v.page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = v.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    box = v.page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0
    v.page.keyboard.press("Enter")
    assert v.page.evaluate("document.activeElement.id") == "content"


def test_facets_work_from_the_keyboard_without_a_reload(visit):
    cultural = (
        Potential.objects.published()
        .filter(category__theme__slug="cultural-potentials")
        .count()
    )
    v = visit()
    v.goto("/en/potentials/")
    v.page.evaluate("window.notReloaded = true")
    checkbox = v.page.locator('input[name="theme"][value="cultural-potentials"]')
    checkbox.focus()
    with v.page.expect_response(lambda r: "theme=cultural-potentials" in r.url):
        v.page.keyboard.press("Space")
    v.page.wait_for_url(
        lambda url: url.endswith("/en/potentials/?theme=cultural-potentials&sort=title")
    )
    v.page.locator("#result-count", has_text=f"{cultural} results").wait_for()
    assert v.page.evaluate("window.notReloaded") is True
    # Focus stays where the reader was, and the status tells the new count.
    assert v.page.evaluate("document.activeElement.value") == "cultural-potentials"
    assert str(cultural) in v.page.locator("#browse-status").text_content()
    # The map was replaced too: it asks for the new selection's markers.
    v.page.locator(".map .leaflet-marker-icon").first.wait_for()
    map_url = v.page.locator(".map").get_attribute("data-markers-url")
    assert "theme=cultural-potentials" in map_url


def test_a_facet_search_finds_values_beyond_the_first_ten_as_one_types(visit):
    from django.http import QueryDict

    from potentials.filters import PotentialFilter
    from regions.models import Region

    counts = PotentialFilter(
        QueryDict(), queryset=Potential.objects.published()
    ).facet_counts()["region"]
    assert len(counts) > 10
    slug = list(counts)[-1]  # The fewest potentials: not among the first ten.
    name = Region.objects.get(slug=slug).name_en
    v = visit()
    v.goto("/en/potentials/")
    option = v.page.locator(f'input[name="region"][value="{slug}"]')
    assert option.count() == 0
    v.page.evaluate("window.notReloaded = true")
    v.page.locator("summary", has_text="Region").click()
    v.page.locator("#facet-region-search").fill(name)
    option.wait_for()
    status = v.page.locator("#facet-region-status").text_content()
    assert "match" in status
    with v.page.expect_response(lambda r: f"region={slug}" in r.url):
        option.check()
    v.page.locator("#result-count", has_text=f"{counts[slug]} result").wait_for()
    assert v.page.evaluate("window.notReloaded") is True


def test_filters_work_with_javascript_off(visit):
    implemented = Potential.objects.published().filter(stage="implemented").count()
    v = visit(java_script_enabled=False)
    v.goto("/en/potentials/")
    v.page.locator("summary", has_text="Development stage").click()
    v.page.locator('input[name="stage"][value="implemented"]').check()
    v.page.get_by_role("button", name="Apply filters").click()
    v.page.wait_for_url(lambda url: "stage=implemented" in url)
    assert f"{implemented} results" in v.page.locator("#result-count").text_content()


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/de/potentials/",
        "/en/utilisation-matrix/",
        "/en/projects/resource/",
        "/en/regions/lower-lusatia/",
        "/en/policy-instruments/",
        "/en/regions/district-of-zwickau/",
        "/en/regions/match/?legacy_type=mine-water&goal=land-reuse&country=pl",
        "/de/statistics/",
    ],
)
def test_pages_fit_a_phone_screen(visit, path):
    v = visit(width=360)
    v.goto(path)
    assert v.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_map_is_beside_the_list_on_a_wide_screen_and_below_it_on_a_phone(visit):
    wide = visit(width=1280)
    wide.goto("/en/potentials/")
    results = wide.page.locator(".browse-results").bounding_box()
    map_box = wide.page.locator(".browse-map").bounding_box()
    assert map_box["x"] > results["x"]
    assert abs(map_box["y"] - results["y"]) < 5
    phone = visit(width=360)
    phone.goto("/en/potentials/")
    results = phone.page.locator(".browse-results").bounding_box()
    map_box = phone.page.locator(".browse-map").bounding_box()
    assert map_box["y"] > results["y"] + results["height"] - 1


def test_language_switcher_keeps_the_page(visit):
    v = visit()
    v.goto("/en/regions/lapland/")
    v.page.locator(".language-switcher summary").click()
    v.page.locator('.language-switcher a[hreflang="fi"]').click()
    v.page.wait_for_url("**/fi/regions/lapland/")
    assert v.page.locator("html").get_attribute("lang") == "fi"
