"""The maps in a real headless Chromium, with every tile refused.

Uses the seed content and the browser of tests/browser/test_browser.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

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

    # The page holds no markers: they come from the API once the map has a view,
    # clusters where records share a cell of the grid, and together they hold
    # every place in view, which is every place.
    assert page.locator(".home-map script.map-points").count() == 0
    clusters = page.locator(".home-map .map-cluster")
    clusters.first.wait_for()
    assert [url for url in v.inside if "/api/v1/map-markers/" in url]
    assert clusters.count() >= 3
    singles = page.locator(".home-map .map-marker").count()
    clustered = sum(
        int(text) for text in clusters.locator("span[aria-hidden]").all_inner_texts()
    )
    assert singles + clustered == Region.objects.filter(
        latitude__isnull=False
    ).count() + (
        Potential.objects.published().filter(latitude__isnull=False).count()
        + GoodPractice.objects.published().filter(latitude__isnull=False).count()
    )
    assert clustered > singles
    label = clusters.first.locator(".visually-hidden").inner_text()
    assert label.startswith("Group of nearby places: ")

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
    assert marker.inner_text() == link.inner_text()
    href = link.get_attribute("href")
    page.keyboard.press("Escape")
    link.wait_for(state="detached")
    assert page.evaluate("document.activeElement.classList.contains('map-marker')")

    # A cluster chosen with the keyboard zooms to its records: the map asks for
    # the markers of the closer view, the cluster gives way to what it held, and
    # the focus stays in the map, on a marker.
    zoom = _asked_zoom(v)
    cluster = clusters.first.element_handle()
    cluster.focus()
    with page.expect_response(lambda r: "/api/v1/map-markers/" in r.url) as asked:
        page.keyboard.press("Enter")
    assert _zoom_of(asked.value.url) > zoom
    page.wait_for_function("cluster => !cluster.isConnected", arg=cluster)
    page.wait_for_function(
        "document.activeElement.matches('.home-map .leaflet-marker-icon')"
    )

    # The popup's link, followed with the keyboard, opens the record's page.
    page.locator(".home-map .map-marker").first.focus()
    page.keyboard.press("Enter")
    link.wait_for()
    href = link.get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == href


def _zoom_of(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["zoom"][0])


def _asked_zoom(v) -> int:
    return _zoom_of([url for url in v.inside if "/api/v1/map-markers/" in url][-1])


def test_a_cluster_clicked_zooms_in_and_a_filtered_list_maps_its_selection(visit):
    v = visit(width=1280)
    v.goto("/en/potentials/?theme=natural-potentials")
    page = v.page
    markers_url = page.locator(".browse-map .map").get_attribute("data-markers-url")
    assert (
        "records=potential" in markers_url and "theme=natural-potentials" in markers_url
    )
    cluster = page.locator(".browse-map .map-cluster").first
    cluster.wait_for()
    asked = [url for url in v.inside if "/api/v1/map-markers/" in url]
    assert all("theme=natural-potentials" in url for url in asked)
    # The area asked is snapped to the zoom's grid: its edges are whole cells.
    query = parse_qs(urlsplit(asked[-1]).query)
    cell = 90 / 2 ** int(query["zoom"][0])
    edges = [float(edge) for edge in query["bbox"][0].split(",")]
    assert all((edge / cell).is_integer() for edge in edges), edges
    zoom = _zoom_of(asked[-1])
    handle = cluster.element_handle()
    with page.expect_response(lambda r: "/api/v1/map-markers/" in r.url) as answer:
        cluster.click()
    assert _zoom_of(answer.value.url) > zoom
    page.wait_for_function("cluster => !cluster.isConnected", arg=handle)
