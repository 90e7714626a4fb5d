"""sitemap.xml: every public page, in every language, with its alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from goodpractices.models import GoodPractice
from potentials.models import Potential
from regions.models import Partner, PolicyInstrument, Project, Publication, Region


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


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

    def location(self, item):
        return reverse(item)


class PublishedSitemap(PortalSitemap):
    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PotentialSitemap(PublishedSitemap):
    model = Potential


class GoodPracticeSitemap(PublishedSitemap):
    model = GoodPractice


class NetworkSitemap(PortalSitemap):
    model = None

    def items(self):
        return self.model.objects.order_by("pk")


class RegionSitemap(NetworkSitemap):
    model = Region


class PartnerSitemap(NetworkSitemap):
    model = Partner


class ProjectSitemap(NetworkSitemap):
    model = Project


class PublicationSitemap(NetworkSitemap):
    model = Publication


class PolicyInstrumentSitemap(NetworkSitemap):
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
