"""Every Atom feed of the portal sends its summaries as plain text."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.syndication.views import Feed
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db


def feed_names(patterns=None, namespace: str = "") -> list[str]:
    """The URL names of every feed view the portal routes."""
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            prefix = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            names += feed_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and isinstance(pattern.callback, Feed):
            names.append(f"{namespace}{pattern.name}")
    return names


def test_every_feed_sends_summaries_as_text_not_html(client, seeded):
    names = feed_names()
    # The newest potentials and good practices, and each list page's selection.
    assert len(names) >= 9, names
    summaries = 0
    for name in names:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert b'type="html"' not in response.content, name
        feed = ET.fromstring(response.content)
        for summary in feed.iter(f"{ATOM}summary"):
            assert summary.get("type") == "text", name
            summaries += 1
    assert summaries > 0
