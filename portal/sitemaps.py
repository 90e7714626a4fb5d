"""The sitemaps: every public page, in every language, with its alternates.

/sitemap.xml is an index (`sitemap_index`) of the sections' pages,
/sitemap-<section>.xml?p=<n>, each drawn by Django's own `sitemap` view.

A page holds the public records whose primary key falls in one range of
`RECORDS_PER_PAGE` keys, so it reads only its own rows (a range of the
primary-key index, never an OFFSET past the pages before it), and a record keeps
its page for life: adding records changes only the last page, and a page's
address always means the same records. The index lists the pages that hold a
public record (one query per section, reading a row per page); the others
answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import quote

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import F, QuerySet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from goodpractices.models import GoodPractice
from potentials.models import Potential
from regions.models import Partner, PolicyInstrument, Project, Publication, Region

# How many records a page holds. The protocol (sitemaps.org) allows a sitemap
# 50,000 <loc>s and 50 MB (52,428,800 bytes) uncompressed, an index 50,000 sitemaps.
#
# A record gives one <url> per language (7), each with its <loc> and an
# xhtml:link alternate per language plus x-default: 9 addresses. The longest
# address: "https://" (8) + a host of at most 253 characters + "/xx/" (4) +
# "policy-instruments/" (19, the longest prefix) + a slug of at most 200 ASCII
# characters (SlugField, so nothing needs percent-encoding) + "/" = 485. Around
# them a <url> has 459 bytes of markup (its lastmod included), so at most
# 459 + 9 × 485 = 4,824 bytes, and a record at most 7 × 4,824 = 33,768 bytes.
#
# 250 records: 1,750 <loc>s (3.5 % of 50,000) and at most 8.4 MB (16 % of
# 50 MB) with the longest host and slugs; with the portal's own addresses about
# 930 bytes a <url>, 1.6 MB a page. The protocol would allow 1,552 records; the
# page is smaller so that building one uncached stays in the tens of
# milliseconds (about 13 µs a <url>) and a worker's memory holds one small page.
# The index stays within its limit up to 50,000 × 250 = 12.5 million records.
RECORDS_PER_PAGE = 250

XML = "application/xml"

# Stands for a slug while a detail address is resolved once per language.
SLUG_PLACEHOLDER = "sitemap-slug-placeholder"


ALTERNATE = '<xhtml:link rel="alternate" hreflang="{}" href="{}"/>'


@dataclass(frozen=True)
class ItemsPage:
    object_list: list


class RecordPages:
    """A sitemap's pages by primary-key range, in the shape of a Paginator's
    `page()`: page n holds the records whose key is in ((n - 1) × size, n × size]."""

    def __init__(self, records: QuerySet, per_page: int):
        self.records = records
        self.per_page = per_page

    def page(self, number) -> ItemsPage:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(number) from error
        # Beyond the largest key a bigint holds, no record can be on the page.
        if not 1 <= number <= (2**63 - 1) // self.per_page:
            raise EmptyPage(number)
        records = list(
            self.records.filter(
                pk__gt=(number - 1) * self.per_page, pk__lte=number * self.per_page
            ).order_by("pk")
        )
        if not records:
            raise EmptyPage(number)
        return ItemsPage(records)

    def numbers(self) -> list[int]:
        """The pages that hold a record, in one query that steps from each page
        to the next record's (a recursive "loose index scan"): as many steps
        down the primary key's index as there are pages, never every row."""
        keys = self.records.order_by().values(key=F("pk"))
        sql, params = keys.query.sql_with_params()
        with connections[keys.db].cursor() as cursor:
            cursor.execute(
                f"""
                WITH RECURSIVE pages(page) AS (
                    SELECT (SELECT (min(key) - 1) / %s + 1 FROM ({sql}) AS records)
                    UNION ALL
                    SELECT (
                        SELECT (min(key) - 1) / %s + 1 FROM ({sql}) AS records
                        WHERE key > pages.page * %s
                    )
                    FROM pages WHERE pages.page IS NOT NULL
                )
                SELECT page FROM pages WHERE page IS NOT NULL
                """,
                [self.per_page, *params, self.per_page, *params, self.per_page],
            )
            return [page for (page,) in cursor.fetchall()]


class PortalSitemap(Sitemap):
    """A section of the sitemap: its items' pages in every language, each with
    its alternates.

    Django's `Sitemap.get_urls` resolves nine addresses (the page and its
    alternates) for every language of every item, and its template renders
    every alternate of every <url> through the template engine: 25 µs and more
    for each <url>, most of a page's time. Here an item's addresses are worked
    out once and its <url>s written out here, once each; the template
    (portal/sitemap.xml) only puts them one after the other.
    """

    i18n = True
    alternates = True
    x_default = True
    changefreq = None

    @property
    def paginator(self) -> Paginator:
        # Of the items, not of (item, language) pairs as Django's: get_urls
        # gives each item its languages.
        return Paginator(self.items(), self.limit)

    def paths(self, item, languages: list[str]) -> dict[str, str]:
        """The item's address in each language, without scheme and host,
        escaped for XML."""
        raise NotImplementedError

    def lastmod(self, item) -> datetime | None:
        return None

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """Django's list of URLs, each also written out as its <url> element."""
        root = escape(f"{self.get_protocol(protocol)}://{self.get_domain(site)}")
        languages = self._languages()
        changefreq = (
            f"<changefreq>{self.changefreq}</changefreq>" if self.changefreq else ""
        )
        urls = []
        lastmods = []
        for item in self.paginator.page(page).object_list:
            addresses = {
                language: root + path
                for language, path in self.paths(item, languages).items()
            }
            links = [
                ALTERNATE.format(language, address)
                for language, address in addresses.items()
            ]
            if self.x_default and settings.LANGUAGE_CODE in addresses:
                default = addresses[settings.LANGUAGE_CODE]
                without_prefix = default.replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
                links.append(ALTERNATE.format("x-default", without_prefix))
            lastmod = self.lastmod(item)
            lastmods.append(lastmod)
            day = (
                f"<lastmod>{timezone.localtime(lastmod).date().isoformat()}</lastmod>"
                if lastmod
                else ""
            )
            tail = f"{day}{changefreq}{''.join(links)}</url>\n"
            urls.extend(
                {
                    "item": (item, language),
                    "location": address,
                    "lastmod": lastmod,
                    # Escaped above: addresses are the only text in it.
                    "xml": SafeString(f"<url><loc>{address}</loc>{tail}"),
                }
                for language, address in addresses.items()
            )
        if lastmods and None not in lastmods:
            # The Last-Modified of Django's view, as its own get_urls leaves it.
            self.latest_lastmod = max(lastmods)
        return urls

    def index_pages(self) -> list[int]:
        """The numbers of the pages the index lists."""
        return list(self.paginator.page_range)


class PagesSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "about",
            "potentials:potential-list",
            "potentials:utilisation-matrix",
            "goodpractices:goodpractice-list",
            "regions:region-list",
            "regions:partner-list",
            "regions:project-list",
            "regions:publication-list",
            "regions:policyinstrument-list",
            "statistics",
            "imprint",
            "privacy",
            "accessibility",
            "contact",
        ]

    def paths(self, item, languages: list[str]) -> dict[str, str]:
        paths = {}
        for language in languages:
            with translation.override(language):
                paths[language] = escape(reverse(item))
        return paths


class RecordSitemap(PortalSitemap):
    """The detail pages of one model's public records, a page at a time."""

    model = None
    # All a page reads of a record, as a row rather than a model instance, which
    # would cost more than the rest of its seven <url>s: its address needs the
    # slug only (`get_absolute_url` of every record model).
    fields = ("pk", "slug")
    records_per_page = RECORDS_PER_PAGE

    def items(self) -> QuerySet:
        return self.model.objects.all()

    @property
    def paginator(self) -> RecordPages:
        # Django's own paginator would list every record in every language
        # before cutting out a page (Sitemap._items()): memory and time growing
        # with the data, on every page and in the index.
        rows = self.items().values_list(*self.fields, named=True)
        return RecordPages(rows, self.records_per_page)

    def index_pages(self) -> list[int]:
        return self.paginator.numbers()

    def paths(self, item, languages: list[str]) -> dict[str, str]:
        # Percent-encoded, so nothing in it needs escaping for XML.
        slug = quote(item.slug)
        return {
            language: f"{before}{slug}{after}"
            for language, (before, after) in self._around_slug(languages).items()
        }

    def _around_slug(self, languages: list[str]) -> dict[str, tuple[str, str]]:
        """Each language's detail address around the slug, resolved once per
        sitemap: {"de": ("/de/regions/", "/"), …}."""
        key = tuple(languages)
        if getattr(self, "_around_key", None) != key:
            record = self.model(slug=SLUG_PLACEHOLDER)
            around = {}
            for language in languages:
                with translation.override(language):
                    address = record.get_absolute_url()
                before, after = address.split(SLUG_PLACEHOLDER)
                around[language] = (escape(before), escape(after))
            self._around_key, self._around = key, around
        return self._around


class PublishedSitemap(RecordSitemap):
    fields = ("pk", "slug", "updated_at")

    def items(self) -> QuerySet:
        return self.model.objects.published()

    def lastmod(self, item) -> datetime:
        return item.updated_at


class PotentialSitemap(PublishedSitemap):
    model = Potential


class GoodPracticeSitemap(PublishedSitemap):
    model = GoodPractice


class RegionSitemap(RecordSitemap):
    model = Region


class PartnerSitemap(RecordSitemap):
    model = Partner


class ProjectSitemap(RecordSitemap):
    model = Project


class PublicationSitemap(RecordSitemap):
    model = Publication


class PolicyInstrumentSitemap(RecordSitemap):
    model = PolicyInstrument


SITEMAPS = {
    "pages": PagesSitemap,
    "potentials": PotentialSitemap,
    "good-practices": GoodPracticeSitemap,
    "regions": RegionSitemap,
    "partners": PartnerSitemap,
    "projects": ProjectSitemap,
    "publications": PublicationSitemap,
    "policy-instruments": PolicyInstrumentSitemap,
}


@require_safe
@x_robots_tag
def sitemap_index(request):
    """/sitemap.xml: every page of every section, one query per section.

    Django's own `index` view counts a section's pages by listing all its
    records in all languages, and its lastmod by reading every record. Its
    template drew each entry through the template engine: 15 µs an entry, most
    of the index's time with the 550 pages of 100,000 records; the entries are
    written out here, as the sections' <url>s are, and the template
    (portal/sitemap_index.xml) puts them in place.
    """
    root = f"{request.scheme}://{get_current_site(request).domain}"
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        address = escape(
            root
            + reverse(
                "django.contrib.sitemaps.views.sitemap", kwargs={"section": section}
            )
        )
        entries += [
            f"<sitemap><loc>{address if page == 1 else f'{address}?p={page}'}</loc>"
            "</sitemap>\n"
            for page in sitemap_class().index_pages()
        ]
    return TemplateResponse(
        request,
        "portal/sitemap_index.xml",
        # Every part escaped above; a page number is an int.
        {"sitemaps": SafeString("".join(entries))},
        content_type=XML,
    )
