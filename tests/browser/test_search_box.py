"""The search box and the results page in a real headless Chromium.

Uses the seed content and the browser of tests/browser/test_browser.py.
"""

from __future__ import annotations

import pytest

from potentials.models import Potential
from regions.models import Region
from tests.browser import test_browser

# The Chromium, the live server and the tabs of the portal's browser tests.
browser = test_browser.browser
live_url = test_browser.live_url
visit = test_browser.visit

pytestmark = pytest.mark.django_db

BOX = "#site-search"
OPTIONS = "#site-search-listbox [role=option]"


def test_suggestions_are_a_combobox_whose_options_open_their_record(visit):
    lake = Potential.objects.get(slug="lusatian-lake-district").get_absolute_url()
    v = visit()
    v.goto("/en/about/")
    box = v.page.locator(BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("lusat")
    v.page.locator(OPTIONS).first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-autocomplete") == "list"
    texts = v.page.locator(OPTIONS).all_inner_texts()
    assert texts[0].startswith("Lusatian Lake District")
    status = v.page.locator(".header-search [role=status]")
    assert status.text_content().startswith("2 suggestions.")
    # Escape closes, ArrowDown opens again on the first option.
    v.page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "lusat"
    v.page.keyboard.press("ArrowDown")
    first = v.page.locator(OPTIONS).first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    v.page.keyboard.press("Enter")
    v.page.wait_for_url(f"**{lake}")


def test_a_tapped_suggestion_opens_its_record_on_a_phone(visit):
    region = Region.objects.get(slug="lower-lusatia").get_absolute_url()
    v = visit(width=360, has_touch=True, is_mobile=True)
    v.goto("/en/")
    v.page.locator(BOX).press_sequentially("lower lus")
    option = v.page.locator(OPTIONS, has_text="Lower Lusatia")
    option.wait_for()
    box = option.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert v.page.evaluate("document.documentElement.scrollWidth") <= 360
    option.tap()
    v.page.wait_for_url(f"**{region}")


def test_enter_searches_and_the_kind_facet_narrows_the_results(visit):
    v = visit(width=360)
    v.goto("/en/")
    v.page.locator(BOX).press_sequentially("lusatia")
    v.page.locator(OPTIONS).first.wait_for()
    v.page.keyboard.press("Enter")
    v.page.wait_for_url("**/en/search/?q=lusatia")
    assert v.page.evaluate("document.documentElement.scrollWidth") <= 360
    kinds = set(v.page.locator(".search-hit .kind-tag").all_inner_texts())
    assert {"Potential", "Region"} <= kinds
    current = v.page.locator(".kind-facets a[aria-current=page]")
    assert current.inner_text().startswith("All kinds")
    v.page.locator(".kind-facets a", has_text="Potentials").click()
    v.page.wait_for_url("**/en/search/?q=lusatia&kind=potential")
    assert current.inner_text().startswith("Potentials")
    assert set(v.page.locator(".search-hit .kind-tag").all_inner_texts()) == {
        "Potential"
    }
    # The way back to every kind.
    v.page.locator(".kind-facets a", has_text="All kinds").click()
    v.page.wait_for_url("**/en/search/?q=lusatia")
