"""What the portal offers machines: sitemap, robots.txt, feeds, Open Graph, JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from goodpractices.models import GoodPractice
from potentials.feeds import FEED_LENGTH
from potentials.models import Potential
from regions.models import Project
from tests.helpers import sitemaps

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_sitemap_lists_every_public_page_in_every_language_with_alternates(
    seeded, client
):
    urls = [
        url
        for body in sitemaps(client).values()
        for url in ET.fromstring(body).iter(f"{SITEMAP}url")
    ]
    locations = {url.find(f"{SITEMAP}loc").text for url in urls}
    potential = Potential.objects.published().first()
    for language in ("en", "de", "pl", "cs", "hu", "sl", "fi"):
        assert f"http://testserver/{language}/potentials/{potential.slug}/" in locations
        assert f"http://testserver/{language}/utilisation-matrix/" in locations
    assert "http://testserver/en/projects/resource/" in locations
    first = urls[0]
    hreflangs = {link.get("hreflang") for link in first.iter(f"{XHTML}link")}
    assert hreflangs == {"en", "de", "pl", "cs", "hu", "sl", "fi", "x-default"}


def test_robots_txt_points_at_the_sitemap_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.parametrize(
    ("url", "model"),
    [("/de/feeds/potentials/", Potential), ("/en/feeds/good-practices/", GoodPractice)],
)
def test_atom_feeds_carry_newly_published_records(seeded, client, url, model):
    Potential.objects.update(published_at="2024-05-01T10:00:00Z")
    count = min(model.objects.published().count(), FEED_LENGTH)
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == count
    language = url.split("/")[1]
    assert (
        entries[0]
        .find(f"{ATOM}link")
        .get("href")
        .startswith(f"http://testserver/{language}/")
    )


def test_german_feed_uses_german_titles(seeded, client):
    # The Styrian Iron Route, the newest.
    Potential.objects.filter(slug="styrian-iron-route-heritage-route").update(
        published_at=timezone.now()
    )
    feed = client.get("/de/feeds/potentials/").content.decode()
    assert "Steirische Eisenstraße" in feed


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_detail_pages_describe_themselves_in_json_ld_and_open_graph(seeded, client):
    potential = Potential.objects.published().filter(latitude__isnull=False).first()
    html = client.get(potential.get_absolute_url()).content.decode()
    data = json_ld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Place"
    assert data["name"] == potential.title
    assert data["geo"]["latitude"] == float(potential.latitude)
    assert f'<meta property="og:title" content="{potential.title}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="en">' in html

    project = Project.objects.get(slug="resource")
    data = json_ld(client.get(project.get_absolute_url()).content.decode())
    assert data["@type"] == "Project"
    assert len(data["member"]) == project.memberships.count()


def test_json_ld_cannot_end_its_script_early(seeded, client):
    potential = Potential.objects.published().first()
    potential.summary = "</script><script>alert(1)</script>"
    potential.save()
    html = client.get(potential.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["description"] == potential.summary
