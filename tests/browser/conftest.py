"""One Chromium and one live server for all the browser tests a test process runs.

Starting them per module cost a second or more each time. They are package-scoped,
so both stop when the process moves on to tests outside tests/browser/ (Playwright's
event loop would otherwise stay beside the database tests). Each module still names
them through test_browser.browser/live_url, which hand these on.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connections

from tests.helpers import served_portal, unavailable

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    unavailable(reason, "browser")


@pytest.fixture(scope="package")
def package_live_url(django_db_setup, django_db_blocker):
    """The portal served by a thread of this process, over the test database as
    the session left it: the seed content, committed. The browser only reads, so
    every test shares it; pytest-django's `live_server` would empty the database
    after each test and each would load the seed again."""
    with django_db_blocker.unblock():
        with served_portal("localhost") as port:
            yield f"http://localhost:{port}"
        # The tests reached the database from inside Playwright's event loop,
        # through connections of that context: close them there, or the test
        # database could not be dropped at the end.
        connections.close_all()


@pytest.fixture(scope="package")
def package_browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _unavailable(f"No Chromium at {CHROMIUM} (install Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django refuses
    # database work beside a running loop unless told it is safe, as it is here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
