"""The proposal form in a real headless Chromium: after an error, the focus is
on the summary of what to correct, whose links lead into the fields.

Uses the browser of tests/browser/test_browser.py (its axe run covers the empty
form; the error state is checked here).
"""

from __future__ import annotations

import pytest

from tests.browser import test_browser
from tests.browser.test_browser import axe_violations

browser = test_browser.browser
live_url = test_browser.live_url
visit = test_browser.visit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "width", "javascript"), [("de", 360, True), ("en", 1366, False)]
)
def test_after_an_error_the_focus_is_on_the_summary(visit, language, width, javascript):
    v = visit(width=width, java_script_enabled=javascript)
    v.goto(f"/{language}/propose/")
    v.page.fill("#id_title", "Kurz")
    with v.page.expect_navigation():
        v.page.locator(".proposal-form button[type=submit]").click()
    v.page.wait_for_load_state("load")
    summary = v.page.locator("#error-summary")
    assert summary.is_visible()
    assert v.page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.locator("a").first.get_attribute("href") == "#id_title"
    assert v.page.evaluate("document.documentElement.scrollWidth") <= width
    if javascript:
        summary.locator("a").first.click()
        assert v.page.evaluate("document.activeElement.id") == "id_title"
        assert axe_violations(v.page) == []
