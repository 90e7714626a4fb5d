"""The public pages: every kind of page, in two languages, with the seed content."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.db import RELATED_PAGE_SIZE
from goodpractices.models import GoodPractice
from potentials.models import Category, Potential
from regions.models import Partner, Project, Publication, Region

pytestmark = pytest.mark.django_db


def page_urls() -> list[str]:
    """One page of every kind, as English URLs."""
    return [
        reverse("home"),
        reverse("about"),
        reverse("potentials:potential-list"),
        reverse("potentials:utilisation-matrix"),
        Potential.objects.published()
        .get(slug="lusatian-lake-district")
        .get_absolute_url(),
        reverse("goodpractices:goodpractice-list"),
        GoodPractice.objects.published().first().get_absolute_url(),
        reverse("regions:region-list"),
        Region.objects.get(slug="lower-lusatia").get_absolute_url(),
        reverse("regions:partner-list"),
        Partner.objects.get(slug="district-of-zwickau").get_absolute_url(),
        reverse("regions:project-list"),
        Project.objects.get(slug="resource").get_absolute_url(),
        reverse("regions:publication-list"),
        Publication.objects.first().get_absolute_url(),
    ]


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_page_kind_renders_in_its_language(seeded, client, language):
    for url in page_urls():
        localised = url.replace("/en/", f"/{language}/", 1)
        response = client.get(localised)
        assert response.status_code == 200, localised
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        assert 'hreflang="x-default"' in html
        assert "<h1" in html


def test_root_redirects_to_a_language(seeded, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302
    assert response["Location"] == "/de/"


def test_home_shows_computed_figures_themes_newest_and_a_map(seeded, client):
    response = client.get("/en/")
    assert response.context["potential_count"] == Potential.objects.published().count()
    assert response.context["potential_count"] >= 60
    assert (
        response.context["good_practice_count"]
        == GoodPractice.objects.published().count()
    )
    assert response.context["project_count"] == 4
    html = response.content.decode()
    assert "Natural potentials" in html
    assert "Geothermal energy" in html
    assert len(response.context["newest_potentials"]) == 4
    # The map loads its markers from the API; the page carries none.
    assert (
        'data-markers-url="/api/v1/map-markers/?records=potential&amp;'
        'records=goodpractice&amp;records=region&amp;lang=en"' in html
    )
    assert 'class="map-points"' not in html


def test_language_switcher_keeps_the_reader_on_the_same_page(seeded, client):
    response = client.get("/de/potentials/?theme=natural-potentials")
    html = response.content.decode()
    assert (
        'href="/pl/potentials/?theme=natural-potentials" hreflang="pl" lang="pl"'
        in html
    )
    assert (
        '<link rel="alternate" hreflang="fi" '
        'href="http://testserver/fi/potentials/?theme=natural-potentials">' in html
    )


def test_ui_and_content_follow_the_language_with_english_fallback(seeded, client):
    german = client.get("/de/potentials/").content.decode()
    assert "Geothermie" in german
    # The Lusatian potentials, on one page.
    german = client.get("/de/potentials/?region=lower-lusatia").content.decode()
    assert "Potenziale" in german or "Potentials" in german  # UI, once translated
    potential = Potential.objects.get(slug="lusatian-lake-district")
    assert potential.title_de
    assert (
        '<a href="/de/potentials/lusatian-lake-district/"><span lang="de" '
        f'class="unreviewed-translation">{potential.title_de}'
    ) in german
    # A text not translated into Czech is shown in English, marked as such.
    bridge = Potential.objects.get(slug="f60-conveyor-bridge-lichterfeld")
    assert bridge.description_en and not bridge.description_cs
    czech = client.get("/cs/potentials/f60-conveyor-bridge-lichterfeld/").content
    assert '<div lang="en"><p>' + bridge.description_en[:30] in czech.decode()


def test_content_written_in_polish_is_shown_to_polish_readers(seeded, client):
    practice = GoodPractice.objects.published().get(
        main_institution__slug="regional-council-of-lapland"
    )
    polish = client.get(f"/pl/good-practices/{practice.slug}/").content.decode()
    assert f"<h1>{practice.title_pl}</h1>" in polish
    german = client.get(f"/de/good-practices/{practice.slug}/").content.decode()
    assert (
        f'<h1><span lang="de" class="unreviewed-translation">{practice.title_de}'
        "</span></h1>"
    ) in german


def test_fallback_text_is_marked_with_its_language(seeded, client):
    potential = Potential.objects.get(slug="lusatian-lake-district")
    potential.title_de = ""
    potential.summary_de = "Eine Seenkette in gefluteten Tagebauen."
    potential.save()
    html = client.get("/de" + potential.get_absolute_url()[3:]).content.decode()
    assert f'<span lang="en">{potential.title_en}</span>' in html
    assert "Eine Seenkette in gefluteten Tagebauen." in html
    assert '<div lang="en"><p>Eine Seenkette' not in html


def test_potentials_facets_show_counts_and_filters_combine(seeded, client):
    response = client.get("/en/potentials/?theme=cultural-potentials&country=de")
    facets = {facet.name: facet for facet in response.context["facets"]}
    themes = {option.value: option for option in facets["theme"].options}
    assert themes["cultural-potentials"].selected
    assert themes["natural-potentials"].count > 0
    results = {potential.slug for potential in response.context["object_list"]}
    assert "f60-conveyor-bridge-lichterfeld" in results
    assert all(
        p.category.theme.slug == "cultural-potentials"
        for p in response.context["object_list"]
    )


def test_htmx_request_gets_only_the_browsing_part(seeded, client):
    response = client.get("/en/potentials/?stage=implemented", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<div id="browse"' in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_sorting_orders_the_list(seeded, client):
    response = client.get("/en/potentials/?sort=title")
    titles = [potential.title for potential in response.context["object_list"]]
    assert titles == sorted(titles, key=str.casefold)
    response = client.get("/en/potentials/?search=lake")
    assert response.context["sort"] == "relevance"


def test_pagination_keeps_the_filters(seeded, client, settings):
    response = client.get("/en/potentials/?stage=identified&page=1")
    assert response.status_code == 200
    response = client.get("/en/potentials/?page=999")
    assert response.status_code == 200
    # A page past the end shows the last one.
    page = response.context["page_obj"]
    assert page.number == page.paginator.num_pages > 1


def test_matrix_cells_count_and_link_to_the_filtered_list(seeded, client):
    response = client.get("/en/utilisation-matrix/")
    cells = {
        (row["legacy_type"].slug, cell["category"].slug): cell
        for row in response.context["rows"]
        for cell in row["cells"]
    }
    cell = cells[("mine-water", "geothermal-energy")]
    in_cell = Potential.objects.published().filter(
        legacy_types__slug="mine-water", category__slug="geothermal-energy"
    )
    assert cell["count"] == in_cell.count() > 1
    assert (
        cell["url"]
        == "/en/potentials/?legacy_type=mine-water&category=geothermal-energy"
    )
    listed = client.get(cell["url"]).context["object_list"]
    assert {potential.slug for potential in listed} == set(
        in_cell.values_list("slug", flat=True)
    )
    assert "geothermal-energy-from-mine-water" in {p.slug for p in listed}
    total = sum(cell["count"] for cell in cells.values())
    assert total >= 100
    # Most cells of the matrix now hold a potential.
    assert sum(1 for cell in cells.values() if cell["count"]) >= 40


def test_project_page_shows_computed_counts_and_stated_figures(seeded, client):
    project = Project.objects.get(slug="resource")
    response = client.get(project.get_absolute_url())
    counts = project.headline_counts()
    assert response.context["counts"] == counts
    html = response.content.decode()
    assert "As the project states" in html
    assert "Lead partner" in html
    assert len(response.context["members_by_role"]) >= 2


def test_project_list_cards_count_each_projects_partners(seeded, client):
    response = client.get(reverse("regions:project-list") + "?sort=newest")
    listed = list(response.context["object_list"])
    assert len(listed) >= 2
    for project in listed:
        assert project.partner_count == project.memberships.count()
    html = response.content.decode()
    resource = next(project for project in listed if project.slug == "resource")
    assert f"{resource.partner_count} partners" in html


def test_good_practice_page_shows_the_interreg_sections(seeded, client):
    practice = GoodPractice.objects.published().get(
        main_institution__slug="regional-council-of-lapland"
    )
    html = client.get(practice.get_absolute_url()).content.decode()
    for heading, field in (
        ("Resources needed", "resources_needed"),
        ("Evidence of success", "evidence_of_success"),
        ("Difficulties encountered", "difficulties_encountered"),
        ("Potential for learning or transfer", "potential_for_learning"),
    ):
        assert f"<h2>{heading}</h2>" in html
        # A line typed as a list item is shown as one, without its "- ".
        first_line = getattr(practice, field).split("\n")[0].removeprefix("- ")
        assert first_line[:40] in html


def test_region_page_lists_its_potentials_partners_and_projects(seeded, client):
    region = Region.objects.get(slug="lower-lusatia")
    response = client.get(region.get_absolute_url())
    html = response.content.decode()
    potentials = response.context["potentials"]
    assert potentials.total == region.potentials.published().count()
    assert len(potentials.records) == min(potentials.total, RELATED_PAGE_SIZE)
    for potential in potentials:
        assert potential.get_absolute_url() in html
    if potentials.more:
        assert f'href="/en/potentials/?region={region.slug}"' in html
    for partner in region.partners.all()[:RELATED_PAGE_SIZE]:
        assert partner.get_absolute_url() in html
    assert list(response.context["projects"])


def test_places_with_coordinates_get_a_small_map(seeded, client):
    potential = Potential.objects.published().filter(latitude__isnull=False).first()
    html = client.get(potential.get_absolute_url()).content.decode()
    assert "map-small" in html
    assert "latitude" in html


def test_get_absolute_url_for_each_public_kind(seeded):
    with translation.override("de"):
        assert (
            Region.objects.get(slug="lapland").get_absolute_url()
            == "/de/regions/lapland/"
        )
        assert (
            Project.objects.get(slug="remix").get_absolute_url()
            == "/de/projects/remix/"
        )


def test_header_search_submits_to_the_site_search(seeded, client):
    html = client.get("/en/about/").content.decode()
    assert re.search(
        r'<form class="header-search" role="search" method="get" action="/en/search/">',
        html,
    )
    assert '<label for="site-search">' in html
    response = client.get("/en/search/?q=lusatian lake")
    assert response.status_code == 200
    assert response.context["hits"][0].record.slug == "lusatian-lake-district"


@pytest.mark.parametrize("path", ["/en/", "/en/utilisation-matrix/"])
def test_vocabulary_pages_read_themes_and_categories_once_per_content_version(
    seeded, client, path
):
    """The home page and the matrix show every theme and category: read once
    while the data is the same, and anew, never stale, once it changes."""

    def vocabulary_reads(query: str) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"{path}?{query}").content.decode()
        # The themes, and the categories of each theme.
        reads = ('FROM "potentials_theme"', '"potentials_category"."theme_id" IN (')
        return html, sum(any(r in q["sql"] for r in reads) for q in queries)

    first = vocabulary_reads("first")[1]
    assert first >= 2
    # Another address of the page (the page cache does not answer it).
    html, reads = vocabulary_reads("again")
    assert reads == 0
    assert "Geothermal energy" in html
    Category.objects.filter(slug="geothermal-energy").update(
        name_en="Heat from the ground"
    )
    html, reads = vocabulary_reads("after-a-change")
    assert reads == first
    assert "Heat from the ground" in html
