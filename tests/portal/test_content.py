"""The content grown from sources (issue 12): how much of it there is, that every
fact from outside the seed documents names its source, that places lie where they
should, and that no page speaks of the portal's internals."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse

from core.models import Link
from goodpractices.models import GoodPractice
from potentials.models import Category, Potential, Theme
from regions.models import Membership, Partner, Project, Publication, Region
from tests.portal.test_pages import page_urls

pytestmark = pytest.mark.django_db

# Records the seed documents themselves state (shared/seeds/): they need no source
# link. Everything else in the seed files must carry one.
SEED_POTENTIALS = {
    "biomass-on-mining-dumps",
    "wind-parks-on-mining-dumps",
    "geothermal-energy-from-mine-water",
    "conveyor-bridges-as-event-backdrops",
    "mining-heritage-and-change-of-mentality",
    "tourist-routes-through-mining-heritage",
}
SEED_PRACTICES = {
    "systematic-thematic-development-of-mining-metallurgy-and-raw-materials"
}
SEED_PARTNERS = {
    "district-of-zwickau",
    "iba-fuerst-pueckler-land",
    "educational-institution-employers-saxony-anhalt",
    "styrian-iron-route-association",
    "microregion-sokolov-east",
    "town-of-salgotarjan",
    "regional-development-centre-zagorje",
    "ioer",
    "university-of-graz",
    "urban-planning-institute-slovenia",
    "regional-council-of-lapland",
}
SEED_PUBLICATIONS = {
    "resource-thematic-reports",
    "resource-internet-database",
    "resource-handbook",
    "resource-policy-paper",
    "mireu-slo-guidelines",
    "mireu-slo-toolkit",
    "ioer-paper-turning-problems-into-potentials",
}

# Rough rectangles (west, south, east, north) around each country's European
# territory, padded by about 0.3°: they catch a point in the wrong country, a
# swapped latitude and longitude or a dropped sign, not a point a few kilometres
# across a border. Drawn from the countries' extreme points.
COUNTRY_BOXES = {
    "AT": (9.2, 46.1, 17.5, 49.3),
    "BE": (2.2, 49.2, 6.7, 51.8),
    "CZ": (11.8, 48.3, 19.2, 51.4),
    "DE": (5.5, 47.0, 15.4, 55.4),
    "EE": (21.4, 57.2, 28.5, 60.0),
    "ES": (-9.6, 35.7, 3.6, 44.1),
    "FI": (20.2, 59.5, 31.9, 70.4),
    "FR": (-5.5, 41.0, 8.6, 51.4),
    "GB": (-8.9, 49.6, 2.1, 61.2),
    "GR": (19.1, 34.5, 29.9, 42.0),
    "HU": (15.8, 45.4, 23.2, 48.9),
    "NL": (3.0, 50.4, 7.5, 53.9),
    "PL": (13.8, 48.7, 24.5, 55.1),
    "PT": (-9.9, 36.7, -5.9, 42.5),
    "RO": (19.9, 43.3, 30.0, 48.6),
    "SE": (10.6, 55.0, 24.5, 69.4),
    "SI": (13.1, 45.1, 16.9, 47.2),
    "SK": (16.5, 47.4, 22.9, 49.9),
}


def inside(country: str, latitude, longitude) -> bool:
    west, south, east, north = COUNTRY_BOXES[country]
    return west <= float(longitude) <= east and south <= float(latitude) <= north


def with_source(model) -> set[int]:
    """The ids of the model's records that have a source link."""
    return set(
        Link.objects.filter(
            content_type=ContentType.objects.get_for_model(model), kind="source"
        ).values_list("object_id", flat=True)
    )


# --- how much there is --------------------------------------------------------------


def test_at_least_sixty_potentials_with_coordinates_in_fifteen_regions(seeded):
    located = Potential.objects.published().exclude(latitude=None)
    assert located.count() >= 60
    assert (
        Region.objects.filter(potentials__in=Potential.objects.published())
        .distinct()
        .count()
        >= 15
    )


def test_potentials_cover_all_twelve_categories_and_three_themes(seeded):
    published = Potential.objects.published()
    assert Category.objects.count() == 12
    assert set(published.values_list("category__slug", flat=True)) == set(
        Category.objects.values_list("slug", flat=True)
    )
    assert set(published.values_list("category__theme__slug", flat=True)) == set(
        Theme.objects.values_list("slug", flat=True)
    )
    # Integrative approaches had none before issue 12.
    assert published.filter(category__theme__slug="integrative-approaches").count()


def test_at_least_fifteen_good_practices_thirty_regions_and_twelve_publications(
    seeded,
):
    assert GoodPractice.objects.published().count() >= 15
    assert Region.objects.count() >= 30
    documented = Publication.objects.exclude(year=None).filter(
        ~Q(url="") | Q(links__isnull=False)
    )
    assert documented.distinct().count() >= 12


def test_practices_have_kind_dates_place_and_main_institution(seeded):
    for practice in GoodPractice.objects.published():
        assert practice.kind and practice.main_institution_id, practice
        assert practice.region_id or practice.slug in {
            # A national plan and a cross-border cooperation: no one region.
            "austrian-mineral-resources-plan",
            "mining-heritage-czech-polish-cross-border-tourism",
            "cornwall-saxony-mining-heritage-twinning",
            "mireu-seminar-cultural-industrial-world-heritage-mining",
            "resource-resolution-proactive-development-former-mining-regions",
        }, practice


def test_remix_and_mireu_counts_come_from_named_members_only(seeded):
    remix = Project.objects.get(slug="remix").headline_counts()
    assert remix.partners == 10
    assert remix.by_role["advisory"] == 1
    mireu = Project.objects.get(slug="mireu").headline_counts()
    # Nine of the thirty stated partners are named by public pages.
    assert 0 < mireu.partners <= 30
    assert mireu.by_role["lead"] == 1


# --- sources ------------------------------------------------------------------------


def test_every_record_from_outside_the_seeds_carries_a_source_link(seeded):
    checks = [
        (Potential, Potential.objects.exclude(slug__in=SEED_POTENTIALS)),
        (GoodPractice, GoodPractice.objects.exclude(slug__in=SEED_PRACTICES)),
        (Region, Region.objects.all()),
        (Partner, Partner.objects.exclude(slug__in=SEED_PARTNERS)),
        (Publication, Publication.objects.exclude(slug__in=SEED_PUBLICATIONS)),
        (
            Membership,
            Membership.objects.exclude(project__slug="resource").exclude(
                project__slug="remix", role="lead"
            ),
        ),
    ]
    for model, records in checks:
        sourced = with_source(model)
        missing = [str(record) for record in records if record.pk not in sourced]
        assert not missing, (model.__name__, missing)


def test_sources_cite_wikipedia_articles_not_their_mirrors(seeded):
    mirrors = re.compile(
        r"wikiwand|kiwix|piglix|askwikinow|php-proxy|wiki\.li/|nearbywiki|"
        r"wikipedia-on-ipfs|de-academic|zxc\.wiki|frwiki\.wiki|dichtienghoa|"
        r"clateway|ixistenz|lescigales|710302|gateway\.ipfs|czwiki"
    )
    cited = [
        url for url in Link.objects.values_list("url", flat=True) if mirrors.search(url)
    ]
    assert not cited


# --- places -------------------------------------------------------------------------


def test_every_potential_with_a_region_lies_inside_its_country(seeded):
    located = Potential.objects.exclude(latitude=None).exclude(region=None)
    assert located.count() >= 60
    outside = [
        (potential.slug, potential.region.country.code)
        for potential in located.select_related("region")
        if not inside(
            potential.region.country.code, potential.latitude, potential.longitude
        )
    ]
    assert not outside


def test_regions_and_practices_lie_inside_their_countries(seeded):
    for region in Region.objects.exclude(latitude=None):
        assert inside(region.country.code, region.latitude, region.longitude), region
    for practice in GoodPractice.objects.exclude(latitude=None).exclude(region=None):
        assert inside(
            practice.region.country.code, practice.latitude, practice.longitude
        ), practice


def test_a_point_in_the_wrong_country_is_caught():
    # Lichterfeld's F60 with latitude and longitude swapped, and Geevor (Cornwall)
    # placed in France.
    assert not inside("DE", 13.7772, 51.5870)
    assert not inside("FR", 50.1525, -5.6758)
    assert inside("DE", 51.5870, 13.7772)


# --- no internal words on public pages ----------------------------------------------


class _VisibleText(HTMLParser):
    """The text a reader sees: no markup, no scripts, no styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def public_urls() -> list[str]:
    """One page of every kind, and every page the seed documents' facts appear on."""
    return [
        *page_urls(),
        reverse("search") + "?q=mine",
        reverse("potentials:potential-list") + "?region=lower-lusatia",
        *(project.get_absolute_url() for project in Project.objects.all()),
        *(
            partner.get_absolute_url()
            for partner in Partner.objects.filter(slug__in=SEED_PARTNERS)
        ),
        *(
            publication.get_absolute_url()
            for publication in Publication.objects.filter(slug__in=SEED_PUBLICATIONS)
        ),
        *(
            potential.get_absolute_url()
            for potential in Potential.objects.filter(slug__in=SEED_POTENTIALS)
        ),
        *(
            region.get_absolute_url()
            for region in Region.objects.filter(partners__slug__in=SEED_PARTNERS)
        ),
        GoodPractice.objects.get(slug__in=SEED_PRACTICES).get_absolute_url(),
    ]


@pytest.mark.parametrize("language", ["en", "de"])
def test_no_public_page_speaks_of_seeds(seeded, client, language):
    for url in public_urls():
        url = url.replace("/en/", f"/{language}/", 1)
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert "seed" not in text.lower(), (
            url,
            re.findall(r".{40}seed.{40}", text, re.I),
        )


def test_visible_text_leaves_out_markup_and_scripts():
    html = "<p>One <b>two</b></p><script>var seed = 1;</script><style>.x{}</style>"
    assert visible_text(html).split() == ["One", "two"]
