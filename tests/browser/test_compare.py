"""The comparison in a real headless Chromium: chosen on a list, read on a phone.

Uses the seed content and the browser of tests/browser/test_browser.py.
"""

from __future__ import annotations

import pytest

from tests.browser import test_browser
from tests.browser.test_browser import axe_violations

# The Chromium, the live server and the tabs of the portal's browser tests.
browser = test_browser.browser
live_url = test_browser.live_url
visit = test_browser.visit

pytestmark = pytest.mark.django_db

COMPARE = "/en/regions/compare/?slug=lower-lusatia&slug=saxony-anhalt"
FOUR = COMPARE + "&slug=district-of-zwickau&slug=lapland"


@pytest.mark.parametrize("path", [COMPARE, FOUR])
def test_comparison_is_a_table_on_a_wide_screen_and_cards_on_a_phone(visit, path):
    wide = visit(width=1366)
    assert wide.goto(path).status == 200
    table = wide.page.locator(".compare-table")
    assert table.is_visible()
    assert not wide.page.locator(".compare-cards").is_visible()
    columns = table.locator("thead th[scope=col]").count() - 1
    assert columns == path.count("slug=")
    assert wide.page.evaluate("document.documentElement.scrollWidth") <= 1366

    phone = visit(width=360)
    assert phone.goto(path).status == 200
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not phone.page.locator(".compare-table").is_visible()
    cards = phone.page.locator(".compare-cards > li")
    assert cards.count() == path.count("slug=")
    assert cards.first.is_visible()
    # Each card has the attributes in the table's order.
    labels = cards.first.locator("dt").all_text_contents()
    assert labels[:3] == ["Country", "Kind", "NUTS code"]
    assert labels == cards.last.locator("dt").all_text_contents()


def test_shared_values_are_marked_in_words(visit):
    v = visit(width=1366)
    v.goto(COMPARE)
    row = v.page.locator(".compare-table tbody tr", has_text="Country")
    assert row.locator(".shared-tag").count() == 2
    # Read out as words: the tick is hidden from screen readers.
    assert row.locator(".shared-tag").first.inner_text().endswith("shared by all")


@pytest.mark.parametrize("javascript", [True, False])
def test_two_ticked_on_the_list_open_their_comparison(visit, javascript):
    v = visit(width=1366, java_script_enabled=javascript)
    v.goto("/en/regions/")
    v.page.get_by_label("Compare Lower Lusatia").check()
    v.page.get_by_label("Compare Lapland").check()
    # Ticking is not filtering: the list is not reloaded and keeps both ticks.
    v.page.wait_for_timeout(300)
    assert v.page.get_by_label("Compare Lower Lusatia").is_checked()
    v.page.get_by_role("button", name="Compare selected").click()
    v.page.wait_for_url("**/en/regions/compare/?slug=lapland&slug=lower-lusatia")
    header = v.page.locator(".compare-table thead")
    assert header.locator("a", has_text="Lapland").count() == 1
    assert header.locator("a", has_text="Lower Lusatia").count() == 1


def test_two_ticked_on_a_phone_open_their_comparison(visit):
    v = visit(width=360)
    v.goto("/en/potentials/")
    v.page.locator('input[name="slug"]').nth(0).check()
    v.page.locator('input[name="slug"]').nth(1).check()
    v.page.get_by_role("button", name="Compare selected").click()
    v.page.wait_for_url("**/en/potentials/compare/?slug=*&slug=*")
    assert v.page.locator(".compare-cards > li").count() == 2
    assert v.page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("width", [1366, 360])
def test_comparison_has_no_accessibility_violations(visit, width):
    v = visit(width=width)
    for language in ("en", "de"):
        v.goto(FOUR.replace("/en/", f"/{language}/"))
        assert axe_violations(v.page) == [], language
    v.goto("/en/regions/compare/?slug=lower-lusatia")
    assert axe_violations(v.page) == []
