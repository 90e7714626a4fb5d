"""The admin's map picker in a real headless Chromium, with the tiles refused.

Uses the browser and live server of tests/browser/test_browser.py. The page is
the picker's markup as the admin renders it (tests/editorial/test_map_picker.py
checks the admin's side), with the script and Leaflet from the static files.
"""

from __future__ import annotations

import pytest

from tests.browser import test_browser

browser = test_browser.browser
live_url = test_browser.live_url
visit = test_browser.visit

pytestmark = pytest.mark.django_db

FORM = """<!DOCTYPE html><html lang="en"><head>
<link rel="stylesheet" href="{base}/static/leaflet/leaflet.css">
<script src="{base}/static/leaflet/leaflet.js"></script>
<script src="{base}/static/js/admin-map-picker.js"></script>
</head><body><form>
<div class="form-row">
<label for="id_latitude">Latitude</label>
<input type="number" step="0.000001" name="latitude" id="id_latitude"
  data-map-picker="latitude" data-tile-url="https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
  data-map-help="Click the map" data-map-label="Map of the location">
<label for="id_longitude">Longitude</label>
<input type="number" step="0.000001" name="longitude" id="id_longitude"
  data-map-picker="longitude">
</div></form></body></html>"""


def test_a_click_on_the_map_fills_the_boxes_and_typing_moves_the_marker(visit):
    tab = visit(width=1366)
    tab.goto("/static/js/admin-map-picker.js")
    tab.page.set_content(FORM.format(base=tab.base_url), wait_until="load")
    canvas = tab.page.locator(".map-picker-map")
    assert canvas.count() == 1
    # The boxes stay, and come before the map.
    assert tab.page.locator("#id_latitude").is_visible()
    box = canvas.bounding_box()
    tab.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    latitude = float(tab.page.input_value("#id_latitude"))
    longitude = float(tab.page.input_value("#id_longitude"))
    # The empty map shows Europe: a click in its middle is in Europe.
    assert 35 < latitude < 65 and -10 < longitude < 35
    marker = tab.page.locator(".leaflet-marker-icon")
    assert marker.count() == 1 and marker.is_visible()
    # Where the marker stands on the map itself (Leaflet's layer position): the
    # map then pans after it, which on screen brings it back to the middle, as
    # soon or as late as the animation goes.
    position = "element => element._leaflet_pos.y"
    before = marker.evaluate(position)
    tab.page.fill("#id_latitude", f"{latitude + 3:.6f}")
    after = marker.evaluate(position)
    assert after < before  # further north, higher up
    assert tab.outside, "the tiles were asked for, and refused"
