"""Pages that work in every language and width, measured in a real Chromium.

Uses the seed content and the browser of tests/browser/test_browser.py. Each page
is measured by one script run in it, not by screenshots.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from tests.browser import test_browser
from tests.browser.test_browser import PAGE_KINDS

browser = test_browser.browser
live_url = test_browser.live_url
visit = test_browser.visit

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DETAIL_KINDS = [
    "potential",
    "good practice",
    "region",
    "partner",
    "project",
    "publication",
    "policy instrument",
]

# What a page measures of itself: how wide it scrolls, and each fact box value
# narrower than 8 characters of its own font (an `8ch` probe put inside it).
MEASURE = """() => {
  const narrow = [];
  for (const dd of document.querySelectorAll("dl.facts dd")) {
    if (!dd.getClientRects().length) continue;
    const probe = document.createElement("span");
    probe.style.cssText = "display:inline-block;width:8ch;padding:0;border:0;margin:0";
    dd.appendChild(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    const width = dd.getBoundingClientRect().width;
    if (width + 0.5 < needed) {
      const label = (dd.previousElementSibling || {}).innerText;
      narrow.push(`${label}: ${Math.round(width)}px < ${Math.round(needed)}px`);
    }
  }
  const matrix = document.querySelector(".matrix-wide");
  return {
    matrix: matrix ? [matrix.scrollWidth, matrix.clientWidth] : null,
    values: document.querySelectorAll("dl.facts dd").length,
    narrow: narrow,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  };
}"""


def _framable(route):
    """The portal's pages may not be framed (X-Frame-Options, the CSP's
    frame-ancestors): here they may, and the frames are measured by scripts of
    the test's own, which the CSP would refuse (test_content_security_policy.py
    checks the pages under it)."""
    try:
        response = route.fetch()
    except PlaywrightError:
        # The tab closed while a frame's request was in flight: nothing to answer.
        return
    headers = {
        name: value
        for name, value in response.headers.items()
        if name.lower() not in {"x-frame-options", "content-security-policy"}
    }
    route.fulfill(response=response, headers=headers)


def measured_side_by_side(v, paths: list[str], width: int) -> list[dict]:
    """The pages loaded at once, each in a frame `width` wide, and measured: the
    server renders them in parallel, which keeps this test short."""
    frames = "".join(
        f'<iframe src="{path}" style="width:{width}px;height:900px;border:0"></iframe>'
        for path in paths
    )
    v.page.route(v.base_url + "/**", _framable)
    # The frames' parent is a page of the test server, served without the CSP.
    v.page.goto(v.base_url + "/robots.txt")
    v.page.set_content(f"<!DOCTYPE html><html><body>{frames}</body></html>")
    # Deferred scripts wait for the stylesheets: styled once the DOM is loaded.
    v.page.wait_for_function(
        "[...document.querySelectorAll('iframe')].every(f => f.contentDocument"
        " && f.contentDocument.URL !== 'about:blank'"
        " && f.contentDocument.readyState !== 'loading')"
    )
    measured = [
        frame.evaluate(MEASURE)
        for path in paths
        for frame in v.page.frames
        if frame.url == v.base_url + path
    ]
    # Requests the frames still make (a map's outlines) go on unchanged, and none
    # is left in the handler when the tab closes.
    v.page.unroute_all(behavior="wait")
    return measured


def test_fact_box_values_are_at_least_eight_characters_wide_in_every_language(visit):
    v = visit(width=1366)
    v.goto("/robots.txt")  # the portal's origin, so that its frames can be read
    for kind in DETAIL_KINDS:
        path = PAGE_KINDS[kind]()
        pages = measured_side_by_side(v, [f"/{code}{path}" for code in LANGUAGES], 1366)
        for language, page in zip(LANGUAGES, pages, strict=True):
            # A page that was not found has no fact box.
            assert page["values"] >= 1, (language, kind)
            assert page["narrow"] == [], (language, kind)
            assert page["clientWidth"] == 1366


def test_no_page_kind_scrolls_sideways_on_a_phone(visit):
    v = visit(width=360)
    v.goto("/robots.txt")
    # German has the longest words of the portal's languages.
    paths = [f"/de{path()}" for path in PAGE_KINDS.values()]
    pages = measured_side_by_side(v, paths, 360)
    for kind, page in zip(PAGE_KINDS, pages, strict=True):
        assert page["clientWidth"] == 360
        assert page["scrollWidth"] <= page["clientWidth"], kind
        assert page["narrow"] == [], kind


def test_list_filters_wait_behind_a_button_on_a_phone(visit):
    phone = visit(width=360)
    phone.goto("/pl/potentials/")
    toggle = phone.page.locator(".filters-toggle")
    assert toggle.is_visible()
    assert not phone.page.locator(".facet").first.is_visible()
    # The count and the first result are on the first screen.
    assert phone.page.locator("#result-count").bounding_box()["y"] < 600
    assert phone.page.locator(".cards > li").first.bounding_box()["y"] < 700
    toggle.click()
    assert phone.page.locator(".facet").first.is_visible()

    wide = visit(width=1366)
    wide.goto("/pl/potentials/")
    assert not wide.page.locator(".filters-toggle").is_visible()
    assert wide.page.locator(".facet").first.is_visible()
    assert wide.page.locator("#browse-search").is_visible()


def test_matrix_fits_a_desktop_in_every_language_and_a_phone_as_cards(visit):
    wide = visit(width=1366)
    wide.goto("/robots.txt")
    paths = [f"/{code}/utilisation-matrix/" for code in LANGUAGES]
    pages = measured_side_by_side(wide, paths, 1366)
    for language, page in zip(LANGUAGES, pages, strict=True):
        scroll_width, client_width = page["matrix"]
        assert scroll_width <= client_width, language
        assert page["scrollWidth"] <= 1366, language
    wide.goto("/en/utilisation-matrix/")

    phone = visit(width=360)
    phone.goto("/en/utilisation-matrix/")
    assert not phone.page.locator(".matrix-wide").is_visible()
    cards = phone.page.locator(".matrix-cards > li")
    assert cards.count() == wide.page.locator(".matrix thead th[scope=col]").count()
    assert cards.first.is_visible()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    # A count of none is muted, not shown like a link.
    muted = phone.page.evaluate(
        "() => [...document.querySelectorAll('.matrix-cards .zero')]"
        ".map(e => getComputedStyle(e).color)"
    )
    assert muted and set(muted) == {"rgb(74, 85, 96)"}
