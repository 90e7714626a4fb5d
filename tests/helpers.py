"""Helpers shared by tests."""

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db.models import Model
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from core.models import Link
from goodpractices.models import GoodPractice
from potentials.models import Category, Potential, Theme
from regions.models import (
    Commodity,
    DevelopmentGoal,
    LegacyType,
    Partner,
    PolicyInstrument,
    Project,
    Publication,
    Region,
)
from search.models import SearchWord

BASE_DIR = Path(__file__).resolve().parents[1]


def unavailable(reason: str, tests: str) -> None:
    """A program these tests drive is missing: they skip, or fail where
    REQUIRE_BROWSER=1 (CI) says they must run."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and REQUIRE_BROWSER=1: failing.")
    pytest.skip(f"{reason}: the {tests} tests are SKIPPED.")


@contextmanager
def served_portal(host: str = "127.0.0.1") -> Iterator[int]:
    """The portal served by a thread of this process (Django's live server, with
    the static files), over the test database as it is: its port. The caller
    unblocks the database and closes the thread's connections after."""
    thread = LiveServerThread(host, _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield thread.port
    finally:
        thread.terminate()


def portal_process(
    args: list[str], settings: str = "resource_portal.settings", **environment
) -> dict:
    """What `subprocess.run` or `Popen` needs to run `python <args>` in the project
    as a fresh process would: the environment holds nothing of this test run's but
    PATH, so the settings see only `environment`."""
    return {
        "args": [sys.executable, *args],
        "cwd": BASE_DIR,
        "env": {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": settings,
            **environment,
        },
    }


def run_portal(
    args: list[str], settings: str = "resource_portal.settings", **environment
) -> subprocess.CompletedProcess:
    """`python <args>` in the project, in a fresh environment, its output as text."""
    return subprocess.run(
        **portal_process(args, settings, **environment),
        capture_output=True,
        text=True,
        timeout=120,
    )


def admin_form_data(response) -> dict:
    """The POST data an admin change form would send back unchanged.

    Built from the rendered form and its inline formsets, management forms included,
    so a test can change one value and submit the rest as the browser would.
    """
    context = response.context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [
                    str(item.pk if isinstance(item, Model) else item) for item in value
                ]
            else:
                data[bound.html_name] = str(
                    value.pk if isinstance(value, Model) else value
                )
    # The version the form was opened on (core.admin.StaleSaveMixin).
    if context.get("version_token"):
        data[context["version_field"]] = context["version_token"]
    return data


def seed_content_delete() -> None:
    """Empty the database of the seed content (inside a test's transaction, so it
    comes back after the test): the state of a database that never had it."""
    for model in (
        GoodPractice,
        Potential,
        Publication,
        PolicyInstrument,
        Project,
        Partner,
        Region,
        Commodity,
        Category,
        Theme,
        LegacyType,
        DevelopmentGoal,
        Link,
    ):
        model._base_manager.all().delete()
    # One statement: the collector would delete the tens of thousands of words
    # a hundred at a time.
    SearchWord.objects.all()._raw_delete(SearchWord.objects.db)


def sitemaps(client) -> dict[str, bytes]:
    """Every sitemap the index at /sitemap.xml lists, by address."""
    import xml.etree.ElementTree as ET

    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    addresses = [
        loc.text.removeprefix("http://testserver")
        for loc in ET.fromstring(index.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    pages = {address: client.get(address) for address in addresses}
    assert all(page.status_code == 200 for page in pages.values()), pages
    return {address: page.content for address, page in pages.items()}


# The frame-stack measure of tests/core/test_stack.py and its users: a call that
# crosses a frame-stack chunk's edge maps a fresh chunk each time, and a fresh page
# faults on its first write.
REPEATED_CALLS = 60


def _descend(depth: int) -> int:
    return 0 if depth == 0 else 1 + _descend(depth - 1)


def calls_to_depth(depth: int) -> None:
    """What a request does: the same deep calls again and again."""
    for _ in range(REPEATED_CALLS):
        _descend(depth)


def most_page_faults_at_one_depth(run=calls_to_depth) -> int:
    """The page faults of `run(depth)` at the depth where they are most."""
    most = 0
    # A frame of _descend takes about 80 bytes: 400 of them reach past a 16 KB
    # chunk's edge from any depth a test starts at.
    for depth in range(400):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        run(depth)
        most = max(most, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return most
