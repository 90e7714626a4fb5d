"""The maps in a real headless Chromium, with every tile refused.

Uses the seed content and the browser of tests/browser/test_browser.py.
"""

from __future__ import annotations

import json

import pytest

from goodpractices.models import GoodPractice
from potentials.models import Potential
from regions.models import Region
from tests.browser import test_browser
from tests.browser.test_browser import TILE_HOST

# The Chromium, the live server and the tabs of the portal's browser tests.
browser = test_browser.browser
live_url = test_browser.live_url
visit = test_browser.visit

pytestmark = pytest.mark.django_db


def test_map_without_tiles_shows_europe_clusters_and_links_its_records(visit):
    v = visit(width=1366)
    v.goto("/en/")
    page = v.page
    germany = page.locator(".home-map .map-outline-DE")
    # The first request for the outlines computes them: a few seconds.
    germany.wait_for()
    assert any(TILE_HOST in url for url in v.outside)

    # The outlines are drawn, under the markers, Germany at the size of a country.
    assert page.locator(".home-map path.map-outline").count() > 40
    z_index = "pane => Number(getComputedStyle(pane).zIndex)"
    outlines_z = page.locator(".home-map .leaflet-outlines-pane").evaluate(z_index)
    tiles_z = page.locator(".home-map .leaflet-tile-pane").evaluate(z_index)
    markers_z = page.locator(".home-map .leaflet-marker-pane").evaluate(z_index)
    assert outlines_z < tiles_z < markers_z
    map_box = page.locator(".home-map .map").bounding_box()
    box = germany.bounding_box()
    assert 15 < box["width"] < 200 and 20 < box["height"] < 250
    assert map_box["x"] < box["x"] and box["x"] + box["width"] < map_box["x"] + 1366
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()

    # Where markers crowd they are clusters, which together hold every place.
    points = json.loads(page.locator(".home-map script.map-points").text_content())
    clusters = page.locator(".home-map .map-cluster")
    assert clusters.count() >= 3
    singles = page.locator(".home-map .map-marker").count()
    clustered = sum(
        int(text) for text in clusters.locator("span[aria-hidden]").all_inner_texts()
    )
    assert singles + clustered == len(points)
    assert len(points) == Region.objects.filter(latitude__isnull=False).count() + (
        Potential.objects.published().filter(latitude__isnull=False).count()
        + GoodPractice.objects.published().filter(latitude__isnull=False).count()
    )
    assert clustered > singles

    # A marker is a button the keyboard reaches, with a visible focus ring; Enter
    # opens its popup and takes the focus to the link to its record.
    marker = page.locator(".home-map .map-marker").first
    marker.focus()
    assert marker.get_attribute("tabindex") == "0"
    assert marker.get_attribute("role") == "button"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == (
        "solid"
    )
    page.keyboard.press("Enter")
    link = page.locator(".home-map .leaflet-popup-content a")
    link.wait_for()
    assert page.evaluate("document.activeElement.tagName") == "A"
    by_url = {point["url"]: point["title"] for point in points}
    assert by_url[link.get_attribute("href")] == link.inner_text()
    assert marker.inner_text() == link.inner_text()
    page.keyboard.press("Escape")
    link.wait_for(state="detached")
    assert page.evaluate("document.activeElement.classList.contains('map-marker')")

    # A cluster chosen with the keyboard zooms in (and so is gone, split into
    # what it held), and the focus stays in the map.
    cluster = page.locator(".home-map .map-cluster").first.element_handle()
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("cluster => !cluster.isConnected", arg=cluster)
    assert page.evaluate("document.activeElement.classList.contains('map')")
