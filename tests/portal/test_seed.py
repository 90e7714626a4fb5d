"""The seed documents' facts, loaded as data, and the loader's guarantees."""

import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from core.models import Link
from core.provenance import Provenance, provenance
from editorial.models import Status
from goodpractices.models import GoodPractice
from portal.seed import SeedError, seed_content_load
from potentials.models import Category, Potential, Theme
from regions.models import (
    Contact,
    LegacyType,
    Membership,
    Partner,
    Project,
    Publication,
    Region,
    StatedFigure,
)
from tests.helpers import seed_content_delete

pytestmark = pytest.mark.django_db


def test_resource_has_ten_partners_seven_regional_and_three_scientific(seeded):
    resource = Project.objects.get(acronym="ReSource")
    counts = resource.headline_counts()
    assert counts.partners == 10
    assert counts.by_role["lead"] + counts.by_role["partner"] == 7
    assert counts.by_role["scientific"] == 3
    assert counts.regions == 7


def test_resource_partners_come_from_the_countries_the_seed_names(seeded):
    resource = Project.objects.get(acronym="ReSource")
    countries = {
        (m.partner.name, m.partner.country.code)
        for m in resource.memberships.select_related("partner")
    }
    assert countries == {
        ("District of Zwickau, Economic Region of Chemnitz-Zwickau", "DE"),
        ("IBA Fürst-Pückler-Land", "DE"),
        ("Educational Institution of Employers Association Saxony-Anhalt", "DE"),
        ("Styrian Iron Route Association", "AT"),
        ("Microregion Sokolov – East", "CZ"),
        ("Town of Salgótarján", "HU"),
        ("Regional Development Centre Zagorje", "SI"),
        ("Leibniz Institute of Ecological and Regional Development Dresden", "DE"),
        ("Karl-Franzens University Graz", "AT"),
        ("Urban Planning Institute of the Republic of Slovenia", "SI"),
    }
    assert resource.headline_counts().countries == 5


def test_district_of_zwickau_is_the_lead_partner(seeded):
    lead = Membership.objects.get(project__acronym="ReSource", role="lead")
    assert lead.partner.slug == "district-of-zwickau"
    assert lead.partner.region.name == "District of Zwickau"


def test_resource_programme_fund_and_dates(seeded):
    resource = Project.objects.get(acronym="ReSource")
    assert resource.get_programme_display() == "Interreg IVB Central Europe"
    assert resource.fund == Project.Fund.ERDF
    assert (resource.start_date.isoformat(), resource.end_date.isoformat()) == (
        "2009-01-01",
        "2012-03-31",
    )
    # The flyer's four key results, among the project's publications.
    assert {"thematic_report", "database", "handbook", "policy_paper"} <= set(
        Publication.objects.filter(project=resource).values_list("kind", flat=True)
    )


def test_resource_subtitle_is_the_flyers(seeded):
    resource = Project.objects.get(acronym="ReSource")
    assert resource.subtitle == "Exploring Post-mining Potentials in Central Europe"


def test_lead_partners_contact_for_the_project_period(seeded):
    """Seed 000: "Project coordination: District of Zwickau … Carsten Debes"."""
    contact = Contact.objects.get(partner__slug="district-of-zwickau")
    assert contact.name == "Carsten Debes"
    assert contact.function == "Project coordination"
    assert contact.email == "carsten.debes@landkreis-zwickau.de"
    assert contact.phone == "+49 (0) 375-272 15 92"
    assert contact.project.slug == "resource"
    assert contact.project_period


def test_both_country_figures_with_their_sources_and_a_note(seeded):
    """Five countries in the flyer (seed 000), 7 regions in 6 countries including
    Poland in the IOER paper (seed 003): both kept, each with its source."""
    figures = {
        figure.value: figure
        for figure in StatedFigure.objects.filter(
            project__slug="resource", kind="countries"
        )
    }
    assert set(figures) == {5, 6}
    assert "flyer" in figures[5].source_title
    assert "IOER paper" in figures[6].source_title
    assert "Poland" in figures[6].note
    for figure in figures.values():
        assert "sources differ" in figure.note
        assert "seed" not in figure.source_title.lower()
    regions = StatedFigure.objects.get(project__slug="resource", kind="regions")
    assert (regions.value, regions.source_title) == (7, figures[6].source_title)


def test_the_ioer_paper_is_a_publication_of_resource(seeded):
    paper = Publication.objects.get(slug="ioer-paper-turning-problems-into-potentials")
    assert paper.project.slug == "resource"
    assert paper.kind == Publication.Kind.PAPER
    assert "Turning problems into potentials" in paper.title
    assert "7 Central European mining regions in 6 countries" in paper.summary


def test_remix_records_stated_figures_and_invents_no_partners(seeded):
    remix = Project.objects.get(acronym="REMIX")
    stated = dict(remix.stated_figures.values_list("kind", "value"))
    assert stated == {
        "partners": 9,
        "advisory_partners": 1,
        "countries": 9,
        "policy_instruments": 8,
    }
    # The partners public pages name, each membership with its source link; the
    # lead partner is the seed's.
    counts = remix.headline_counts()
    assert counts.partners == 10
    assert (counts.by_role["lead"], counts.by_role["advisory"]) == (1, 1)
    assert remix.memberships.get(role="lead").partner.slug == (
        "regional-council-of-lapland"
    )
    assert remix.links.filter(kind="source").exists()
    assert remix.objectives.count() == 4


def test_mireu_grant_topic_objectives_and_figures(seeded):
    mireu = Project.objects.get(acronym="MIREU")
    assert mireu.grant_agreement == "776811"
    assert mireu.programme == Project.Programme.HORIZON_2020
    assert (
        mireu.objectives.first().text
        == "Map synergies between mining and metallurgy regions"
    )
    assert dict(mireu.stated_figures.values_list("kind", "value")) == {
        "partners": 30,
        "regions": 17,
        "countries": 15,
    }


def test_themes_categories_and_legacy_types_of_the_seeds(seeded):
    assert list(Theme.objects.values_list("slug", flat=True)) == [
        "natural-potentials",
        "cultural-potentials",
        "integrative-approaches",
    ]
    for slug in (
        "biomass",
        "geothermal-energy",
        "mining-heritage",
        "tourist-routes",
        "masterplanning",
        "competitions",
    ):
        assert Category.objects.filter(slug=slug).exists()
    for slug in ("dumps-and-heaps", "mine-water", "buildings-and-machinery"):
        assert LegacyType.objects.filter(slug=slug).exists()


@pytest.mark.parametrize(
    ("slug", "category", "legacy_type"),
    [
        ("biomass-on-mining-dumps", "biomass", "dumps-and-heaps"),
        ("wind-parks-on-mining-dumps", "wind-energy", "dumps-and-heaps"),
        ("geothermal-energy-from-mine-water", "geothermal-energy", "mine-water"),
        (
            "conveyor-bridges-as-event-backdrops",
            "events-and-culture",
            "buildings-and-machinery",
        ),
        (
            "tourist-routes-through-mining-heritage",
            "tourist-routes",
            "know-how-and-traditions",
        ),
    ],
)
def test_potentials_the_seed_names_are_published(seeded, slug, category, legacy_type):
    potential = Potential.objects.published().get(slug=slug)
    assert potential.category.slug == category
    assert potential.legacy_types.filter(slug=legacy_type).exists()


def test_facts_from_outside_the_seeds_carry_a_source_link(seeded):
    for slug in ("f60-conveyor-bridge-lichterfeld", "lusatian-lake-district"):
        assert Potential.objects.get(slug=slug).links.filter(kind="source").exists()
    for region in Region.objects.exclude(mining_ended_year=None):
        assert region.links.filter(kind="source").exists(), region
    assert Region.objects.get(slug="sokolov-east").links.filter(kind="source")


def test_mended_facts(seeded):
    f60 = Potential.objects.get(slug="f60-conveyor-bridge-lichterfeld")
    # The visitor mine at Bergheider Straße 4, Lichterfeld (lobafedo.de).
    assert (f60.latitude, f60.longitude) == (Decimal("51.587"), Decimal("13.7772"))
    zagorje = Region.objects.get(slug="zagorje-ob-savi")
    assert (zagorje.mining_status, zagorje.mining_ended_year) == ("ended", 1995)
    # NUTS codes link to a page that shows the code, never to Eurostat's general
    # NUTS page.
    assert not Link.objects.filter(url="https://ec.europa.eu/eurostat/web/nuts")


def test_lapland_good_practice_reads_in_polish_and_in_english(seeded):
    practice = GoodPractice.objects.get(
        main_institution__slug="regional-council-of-lapland"
    )
    assert practice.status == Status.PUBLISHED
    assert practice.kind == GoodPractice.Kind.COOPERATION_MODEL
    with translation.override("pl"):
        practice = GoodPractice.objects.get(pk=practice.pk)
        assert practice.title.startswith("Systematyczny rozwój tematyczny")
        assert (
            "Brak gwarancji krótkoterminowych zysków"
            in practice.difficulties_encountered
        )
        assert "2014" in practice.evidence_of_success
    with translation.override("en"):
        practice = GoodPractice.objects.get(pk=practice.pk)
        assert practice.title.startswith("Systematic thematic development")
        assert "No guarantee of short-term gains" in practice.difficulties_encountered
        for section in (
            "description",
            "resources_needed",
            "evidence_of_success",
            "potential_for_learning",
        ):
            assert getattr(practice, section)


def test_untranslated_content_falls_back_to_english_without_copies(seeded):
    practice = GoodPractice.objects.get(
        main_institution__slug="regional-council-of-lapland"
    )
    # The portal's German translation of the title is marked as not reviewed…
    assert practice.title_de
    assert provenance(practice, "title", "de") == Provenance.UNREVIEWED
    # …and a text nobody translated stays empty, rather than a copy of English…
    assert practice.description_en and not practice.description_de
    # …so that a German reader gets the English text.
    with translation.override("de"):
        assert GoodPractice.objects.get(pk=practice.pk).description.startswith(
            "When a region and its stakeholders"
        )
        assert Region.objects.get(slug="lapland").name == "Lappland"
        assert Region.objects.get(slug="salgotarjan").name == "Salgótarján"
    with translation.override("fi"):
        assert (
            Partner.objects.get(slug="regional-council-of-lapland").name
            == "Lapin liitto"
        )


def test_taxonomy_is_translated_into_all_seven_languages(seeded):
    for language in ("en", "de", "pl", "cs", "hu", "sl", "fi"):
        for model in (Theme, Category, LegacyType):
            assert not model.objects.filter(
                **{f"name_{language}__isnull": True}
            ).exists()
            assert not model.objects.filter(**{f"name_{language}": ""}).exists()


def test_loading_twice_changes_nothing(seeded):
    counts = {
        model: model.objects.count()
        for model in (Region, Partner, Potential, GoodPractice, Publication, Link)
    }
    report = seed_content_load()
    # Nothing created and no field changed: every record is reported unchanged.
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0, report.updated
    assert sum(report.unchanged.values()) > 500
    assert counts == {model: model.objects.count() for model in counts}


@pytest.mark.parametrize(
    ("file", "good", "bad", "message"),
    [
        (
            "potentials.yaml",
            "category: wind-energy",
            "category: no-such-category",
            "no-such-category",
        ),
        ("network.yaml", "nuts_code: DED45", "nuts_code: ded45", "nuts_code"),
        (
            "network.yaml",
            "mining_ended_year: 1978",
            "mining_ended_year: 2999",
            "future",
        ),
    ],
)
def test_a_bad_seed_file_writes_nothing(
    db, settings, tmp_path, file, good, bad, message
):
    seed_content_delete()
    shutil.copytree(settings.SEED_CONTENT_DIR, tmp_path, dirs_exist_ok=True)
    text = (tmp_path / file).read_text()
    assert good in text
    (tmp_path / file).write_text(text.replace(good, bad))

    with pytest.raises(SeedError, match=message):
        seed_content_load(directory=tmp_path)

    assert not Region.objects.exists()
    assert not Theme.objects.exists()


def test_management_command_loads_the_content_into_an_empty_database(db, capsys):
    seed_content_delete()
    call_command("load_seed_content")
    assert "Seed content loaded." in capsys.readouterr().out
    assert Potential.objects.published().exclude(latitude=None).count() >= 60
    assert Contact.objects.filter(name="Carsten Debes").exists()
    # And again, on what it just loaded: nothing to change.
    report = seed_content_load()
    assert not sum(report.created.values()) + sum(report.updated.values())
    assert (
        Project.objects.filter(
            acronym__in=["ReSource", "MINEC", "REMIX", "MIREU"]
        ).count()
        == 4
    )
