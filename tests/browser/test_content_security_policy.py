"""The public pages, the admin and the API docs work in Chromium under the portal's
Content-Security-Policy, with not one violation or script error.

Uses the browser and live server of tests/browser/test_browser.py; the live server
runs the test settings, DEBUG off, so with the CSP middleware of production.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from potentials.models import Potential
from tests.browser import test_browser

browser = test_browser.browser
live_url = test_browser.live_url
visit = test_browser.visit

pytestmark = pytest.mark.django_db

USERNAME, PASSWORD = "csp-browser-admin", "csp-browser-password"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} `
    + `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


@pytest.fixture(scope="module")
def administrator(django_db_setup, django_db_blocker):
    """A superuser the live server's thread can see: committed, removed after."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(
            USERNAME, "csp@example.org", PASSWORD
        )
        yield user
        user.delete()


def test_pages_admin_and_docs_run_without_a_policy_violation(visit, administrator):
    potential = Potential.objects.published().get(slug="lusatian-lake-district")
    tab = visit()
    tab.page.add_init_script(REPORT_VIOLATIONS)
    problems: list[str] = []

    def on_console(message):
        # Map tiles are refused by the test (Visit), and say so.
        if test_browser.TILE_HOST in message.location.get("url", ""):
            return
        text = message.text
        if message.type == "error" or "Policy" in text or "policy" in text:
            problems.append(f"{tab.page.url}: {message.type}: {text}")

    tab.page.on("console", on_console)
    tab.page.on("pageerror", lambda error: problems.append(f"{tab.page.url}: {error}"))

    def check(path: str) -> None:
        response = tab.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        tab.page.wait_for_load_state("networkidle")

    check("/en/")
    assert tab.page.locator(".map .leaflet-marker-icon").count() >= 1
    check("/en/potentials/")
    # A filter reloads the results through htmx, without eval.
    with tab.page.expect_response(lambda r: "theme=cultural-potentials" in r.url):
        tab.page.locator('input[name="theme"][value="cultural-potentials"]').check()
    tab.page.wait_for_url(lambda url: "theme=cultural-potentials" in url)
    check(potential.get_absolute_url())
    check("/en/search/?q=mine+water")
    check("/api/v1/docs/")
    tab.page.locator(".swagger-ui .info").wait_for()

    check("/admin/login/")
    tab.page.fill("#id_username", USERNAME)
    tab.page.fill("#id_password", PASSWORD)
    tab.page.click("input[type=submit]")
    tab.page.wait_for_url(lambda url: url.endswith("/admin/"))
    check(f"/admin/potentials/potential/{potential.pk}/change/")
    # modeltranslation's tabs and the map picker are drawn by their scripts.
    assert tab.page.locator(".ui-tabs-nav").count() >= 1
    assert tab.page.locator(".map-picker-map").count() == 1
    # django-import-export's one inline handler, admitted by its hash.
    check("/admin/potentials/potential/export/")
    toggle = tab.page.locator("input.select-toggle").first
    toggle.uncheck()
    assert tab.page.locator("input[type=checkbox]:checked").count() == 0
    assert problems == []
