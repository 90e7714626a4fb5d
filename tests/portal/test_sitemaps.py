"""The sitemap index and its sitemaps, within the protocol's limits at any size."""

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from xml.parsers import expat

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from editorial.models import Status
from goodpractices.models import GoodPractice
from portal.sitemaps import RECORDS_PER_PAGE, SITEMAPS
from potentials.models import Potential
from regions.models import Partner, PolicyInstrument, Project, Publication, Region
from tests.factories import (
    GoodPracticeFactory,
    PartnerFactory,
    PotentialFactory,
    ProjectFactory,
    PublicationFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
# The protocol's limits (sitemaps.org), for a sitemap and for an index.
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
LANGUAGES = [code for code, _name in settings.LANGUAGES]
LOC = re.compile(rb"<loc>([^<]*)</loc>")

# 60,000 records: seven URLs each, 420,000 in all, where one file may hold 50,000.
GENERATED = {
    Potential: 30_000,
    GoodPractice: 10_000,
    Region: 6_000,
    Partner: 8_000,
    Project: 2_000,
    Publication: 2_000,
    PolicyInstrument: 2_000,
}
# Of the potentials and good practices, one in ten a draft, one in ten archived.
STATUS = (
    f"CASE n %% 10 WHEN 0 THEN '{Status.DRAFT}' WHEN 5 THEN '{Status.ARCHIVED}' "
    f"ELSE '{Status.PUBLISHED}' END"
)


def copies(record, count: int, **columns: str) -> None:
    """`count` copies of `record`, their slugs numbered, by INSERT … SELECT in
    statements of 5,000 rows (each within the database's answer timeout)."""
    model = type(record)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    values = {
        field.column: quote(field.column)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }
    values |= {"slug": "slug || '-' || n", **columns}
    with connection.cursor() as cursor:
        for first in range(1, count + 1, 5_000):
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(map(quote, values))}) "
                f"SELECT {', '.join(values.values())} "
                f"FROM {table}, generate_series(%s, %s) AS n WHERE id = %s",
                [first, min(first + 4_999, count), record.pk],
            )


def drop_search_indexes(models) -> None:
    """Within the fixture's transaction, which puts them back: they are most of
    an insert's cost, and sitemaps never search."""
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexdef LIKE '%%USING gin%%'",
            [tables],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")


@pytest.fixture(scope="module")
def sixty_thousand(django_db_setup, django_db_blocker):
    """60,000 generated records besides the seed, for this module's tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        region = RegionFactory(slug="generated-region")
        partner = PartnerFactory(slug="generated-partner", region=region)
        project = ProjectFactory(slug="generated-project")
        instrument = PolicyInstrument.objects.create(
            name="Generated instrument",
            slug="generated-instrument",
            kind=PolicyInstrument.Kind.choices[0][0],
            region=region,
        )
        templates = {
            Potential: PotentialFactory(
                slug="generated-potential", region=region, owner=partner
            ),
            GoodPractice: GoodPracticeFactory(
                slug="generated-practice", region=region, main_institution=partner
            ),
            Region: region,
            Partner: partner,
            Project: project,
            Publication: PublicationFactory(slug="generated", project=project),
            PolicyInstrument: instrument,
        }
        drop_search_indexes(GENERATED)
        with connection.cursor() as cursor:
            # Foreign keys checked as each statement ends, not all at once by
            # the first test's check of the deferred ones, which would outlast
            # the statement timeout.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, count in GENERATED.items():
            columns = {}
            if model in (Potential, GoodPractice):
                columns["status"] = STATUS
            if model is Project:
                columns["acronym"] = "acronym || '-' || n"
            copies(templates[model], count - 1, **columns)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # As autovacuum would after a large import: the planner then knows
            # how many rows a range of keys holds.
            for model in GENERATED:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        yield
        transaction.set_rollback(True)


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml", url
    return response.content


def index_locations(client) -> list[str]:
    index = fetch(client, "/sitemap.xml")
    root = ET.fromstring(index)
    assert root.tag == f"{SITEMAP}sitemapindex"
    assert len(index) <= MAX_BYTES
    locations = [entry.find(f"{SITEMAP}loc").text for entry in root]
    assert 0 < len(locations) <= MAX_URLS
    return locations


def path_of(location: str) -> str:
    return location.removeprefix("http://testserver")


def public_records() -> dict:
    return {
        "potentials": Potential.objects.published(),
        "good-practices": GoodPractice.objects.published(),
        "regions": Region.objects.all(),
        "partners": Partner.objects.all(),
        "projects": Project.objects.all(),
        "publications": Publication.objects.all(),
        "policy-instruments": PolicyInstrument.objects.all(),
    }


def test_the_index_and_each_sitemap_stay_within_the_protocols_limits(
    sixty_thousand, client
):
    """Every public record once in each language, drafts never, in sitemaps of
    at most 50,000 URLs and 50 MB each."""
    listed = defaultdict(list)
    for location in index_locations(client):
        body = fetch(client, path_of(location))
        assert len(body) <= MAX_BYTES, location
        # Well-formed, read by the C parser alone: ElementTree would take half a
        # minute to build trees of 420,000 URLs.
        expat.ParserCreate(namespace_separator=" ").Parse(body, True)
        locations = LOC.findall(body)
        assert 0 < len(locations) <= RECORDS_PER_PAGE * len(LANGUAGES), location
        assert len(locations) <= MAX_URLS
        listed[re.search(r"sitemap-([a-z-]+)\.xml", location)[1]] += locations

    assert set(listed) == set(SITEMAPS)
    # http://testserver/<language>/<kind>/<slug>/
    parts = {
        section: [location.decode().split("/") for location in locations]
        for section, locations in listed.items()
    }
    assert len(listed["pages"]) == len(set(listed["pages"])) == 15 * len(LANGUAGES)
    for section, records in public_records().items():
        locations = listed[section]
        assert len(locations) == len(set(locations)), section
        slugs = set(records.values_list("slug", flat=True))
        assert {part[5] for part in parts[section]} == slugs, section
        assert Counter(part[3] for part in parts[section]) == dict.fromkeys(
            LANGUAGES, len(slugs)
        )
    assert len(listed["potentials"]) > 20_000 * len(LANGUAGES)
    for section, model in (("potentials", Potential), ("good-practices", GoodPractice)):
        hidden = set(
            model.objects.exclude(status=Status.PUBLISHED).values_list(
                "slug", flat=True
            )
        )
        assert len(hidden) > 1_000
        assert not hidden & {part[5] for part in parts[section]}


def page_of(record) -> int:
    return (record.pk - 1) // RECORDS_PER_PAGE + 1


def test_a_sitemap_page_lists_each_record_in_every_language_with_alternates(
    sixty_thousand, client
):
    page = page_of(Potential.objects.get(slug="generated-potential-1000"))
    body = fetch(client, f"/sitemap-potentials.xml?p={page}")
    root = ET.fromstring(body)
    assert root.tag == f"{SITEMAP}urlset"
    urls = list(root)
    records = list(
        Potential.objects.published()
        .filter(pk__gt=(page - 1) * RECORDS_PER_PAGE, pk__lte=page * RECORDS_PER_PAGE)
        .order_by("pk")
    )
    assert len(urls) == len(LANGUAGES) * len(records) > 0
    first = urls[0]
    record = records[0]
    assert first.find(f"{SITEMAP}loc").text == (
        f"http://testserver{record.get_absolute_url()}"
    )
    assert first.find(f"{SITEMAP}lastmod").text == (
        timezone.localtime(record.updated_at).date().isoformat()
    )
    alternates = {
        link.get("hreflang"): link.get("href") for link in first.iter(f"{XHTML}link")
    }
    assert set(alternates) == {*LANGUAGES, "x-default"}
    assert alternates["x-default"] == (f"http://testserver/potentials/{record.slug}/")
    for language in LANGUAGES:
        with translation.override(language):
            assert alternates[language] == (
                f"http://testserver{record.get_absolute_url()}"
            )


def explain_rows(sql: str) -> int:
    """The rows the statement's scans read (EXPLAIN ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def scanned(node) -> int:
        own = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        own = own if "Scan" in node["Node Type"] else 0
        return own + sum(scanned(child) for child in node.get("Plans", []))

    return scanned(plan[0]["Plan"])


@override_settings(PAGE_CACHE=False)
def test_each_sitemap_page_makes_the_same_few_queries_and_reads_only_its_rows(
    sixty_thousand, client
):
    pages = [
        f"/sitemap-{section}.xml?p={page_of(model.objects.get(slug=slug))}"
        for section, model, slug in [
            ("potentials", Potential, "generated-potential-1"),
            ("potentials", Potential, "generated-potential-12001"),
            ("potentials", Potential, "generated-potential-29001"),
            ("good-practices", GoodPractice, "generated-practice-7001"),
            ("partners", Partner, "generated-partner-5001"),
        ]
    ]
    client.get(pages[0])
    counts = set()
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            fetch(client, url)
        counts.add(len(queries))
        for query in queries.captured_queries:
            if query["sql"].startswith("SELECT") and "slug" in query["sql"]:
                assert explain_rows(query["sql"]) <= RECORDS_PER_PAGE, url
    assert len(counts) == 1, counts
    with CaptureQueriesContext(connection) as queries:
        index_locations(client)
    # One query for each section of records, whatever their number.
    assert len(queries) <= len(SITEMAPS) + 3


def test_sitemaps_send_the_same_answer_to_everyone(seeded, client):
    """Nothing per request (the page cache keeps them): no cookie, the same bytes."""
    for url in ("/sitemap.xml", "/sitemap-potentials.xml", "/sitemap-pages.xml"):
        first, second = client.get(url), client.get(url)
        assert first.status_code == 200, url
        assert not first.cookies and "Set-Cookie" not in first, url
        assert first.content == second.content, url
        assert first["X-Robots-Tag"] == "noindex, noodp, noarchive"


@pytest.mark.parametrize(
    "query", ["p=abc", "p=0", "p=-1", "p=1.5", "p=99999999999999999999", "p=%00"]
)
def test_a_page_that_is_not_there_is_a_404(seeded, client, query):
    assert client.get(f"/sitemap-potentials.xml?{query}").status_code == 404


def test_pages_without_a_public_record_are_left_out_of_the_index(seeded, client):
    last = Potential.objects.order_by("pk").last()
    draft = PotentialFactory(status=Status.DRAFT, pk=last.pk + 3 * RECORDS_PER_PAGE)
    after = PotentialFactory(pk=last.pk + 6 * RECORDS_PER_PAGE)
    empty = page_of(draft)
    assert client.get(f"/sitemap-potentials.xml?p={empty}").status_code == 404
    assert (
        f"sitemap-potentials.xml?p={page_of(after)}<"
        in client.get("/sitemap.xml").content.decode()
    )
    assert (
        f"sitemap-potentials.xml?p={empty}<"
        not in client.get("/sitemap.xml").content.decode()
    )
    assert client.get("/sitemap-nothing.xml").status_code == 404
