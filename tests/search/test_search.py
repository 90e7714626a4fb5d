"""The search contract the pages and the API build on."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.utils import translation

from editorial.models import Status
from goodpractices.models import GoodPractice
from potentials.models import Potential
from regions.models import Partner, Project, Region
from search.facets import facet_counts, search_page
from search.fields import searchable_models, text_search_configuration
from search.kinds import search_kinds
from search.models import SearchWord
from search.query import Matches, parse_search, prefix_tsquery
from search.site import site_search
from search.suggestions import suggest
from tests.factories import PotentialFactory

pytestmark = pytest.mark.django_db


def slugs(queryset) -> list[str]:
    return [record.slug for record in queryset]


def test_search_ranks_title_matches_first_and_annotates_a_headline(seeded):
    results = list(Potential.objects.published().search("geothermal"))
    titled = [result for result in results if "geothermal" in result.title.lower()]
    # Every title match ranks above every match in the texts alone.
    assert titled and results[: len(titled)] == titled
    assert "geothermal-energy-from-mine-water" in slugs(titled)
    assert results[0].search_rank > 0
    assert "<mark>geothermal</mark>" in results[0].search_headline.lower()


def test_search_ranks_titles_above_summaries_above_bodies(db):
    body = PotentialFactory(summary="Heat.", description="A quarry near the river.")
    summary = PotentialFactory(summary="A quarry, flooded.")
    title = PotentialFactory(title="Quarry lake", summary="Water.")
    made = Potential.objects.filter(pk__in=[body.pk, summary.pk, title.pk])
    assert slugs(made.search("quarry")) == [
        title.slug,
        summary.slug,
        body.slug,
    ]


def test_search_finds_the_readers_language_and_english(seeded):
    with translation.override("de"):
        found = slugs(Potential.objects.search("Grubenwasser"))
        assert "geothermal-energy-from-mine-water" in found
        # Every match uses mine water, in German or in English.
        assert set(found) <= set(
            Potential.objects.filter(
                Q(title_de__icontains="grubenwasser")
                | Q(summary_de__icontains="grubenwasser")
                | Q(description_de__icontains="grubenwasser")
                | Q(utilisation_options_de__icontains="grubenwasser")
            ).values_list("slug", flat=True)
        )
        assert Potential.objects.search("conveyor bridge").exists()


def test_search_ignores_case_and_accents(seeded):
    assert slugs(Region.objects.search("Salgotarjan")) == ["salgotarjan"]
    assert slugs(Region.objects.search("ZWICKAU")) == ["district-of-zwickau"]
    with translation.override("pl"):
        assert slugs(Potential.objects.search("Luzycka kraina"))[0] == (
            "lusatian-lake-district"
        )


def test_search_needs_every_word_of_the_query(seeded):
    both = slugs(Potential.objects.search("biomass dumps"))
    assert "biomass-on-mining-dumps" in both
    assert set(both) < set(slugs(Potential.objects.search("biomass")))
    assert set(both) < set(slugs(Potential.objects.search("dumps")))
    assert not Potential.objects.search("biomass Lapland").exists()


def test_headline_escapes_the_record_text_and_marks_the_matches(db):
    potential = PotentialFactory(
        title="Pit <script>alert(1)</script>",
        summary='A heap <b>of</b> "spoil" & Jerry\'s slag.',
    )
    headline = Potential.objects.search("heap").get(pk=potential.pk).search_headline
    assert "<b>" not in headline and "<script>" not in headline
    # (PostgreSQL's headline leaves markup out; the simple one escapes it.)
    assert "&amp;" in headline and "&quot;spoil&quot;" in headline
    assert "<mark>heap</mark>" in headline


def test_empty_query_keeps_everything(seeded):
    assert Partner.objects.search("  ").count() == Partner.objects.count()
    assert Partner.objects.search("?!").count() == Partner.objects.count()


def test_search_chains_with_filters_counts_and_slices(seeded):
    results = (
        Potential.objects.published()
        .search("mining")
        .filter(region__country="DE")
        .select_related("region", "category")
    )
    assert results.count() == len(list(results))
    assert {p.region.country.code for p in results} == {"DE"}
    assert [p.slug for p in results[1:2]] == [list(results)[1].slug]
    assert Potential.objects.filter(pk__in=results.values("pk")).count() == len(
        list(results)
    )


def test_public_search_leaves_out_drafts_and_archived_records(seeded):
    PotentialFactory(title="Secret Quarzsandgrube", status=Status.DRAFT)
    PotentialFactory(title="Old Quarzsandgrube", status=Status.ARCHIVED)
    assert slugs(Potential.objects.published().search("Quarzsandgrube")) == []
    assert site_search("Quarzsandgrube").hits == []
    assert suggest("secret") == [] and suggest("old quarz") == []


def test_a_saved_or_translated_record_is_searchable_at_once(db):
    potential = PotentialFactory(title="Slag heap", summary="Spoil.")
    assert slugs(Potential.objects.search("slag")) == [potential.slug]
    potential.title_de = "Schlackenhalde"
    potential.save()
    with translation.override("de"):
        assert slugs(Potential.objects.search("Schlackenhalde")) == [potential.slug]


def test_suggestions_complete_titles_and_names(seeded):
    assert {(s.kind, s.slug) for s in suggest("lusat")} == {
        ("potential", "lusatian-lake-district"),
        ("region", "lower-lusatia"),
    }
    assert suggest("l") == []
    assert suggest("") == []


def test_suggestions_ignore_accents_and_put_title_starts_first(seeded):
    suggestions = suggest("salgo")
    texts = [s.text for s in suggestions]
    assert texts[0] == "Salgótarján" and suggestions[0].kind == "region"
    assert "Town of Salgótarján" in texts
    assert all("Salgótarján" in text for text in texts)


def test_suggestions_are_in_the_readers_language(seeded):
    with translation.override("de"):
        suggested = [s.text for s in suggest("Grubenw")]
        assert "Geothermische Energie aus Grubenwasser" in suggested
        assert all("grubenw" in text.lower() for text in suggested)


def test_suggestions_take_one_query(seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        suggest("mining")


def test_suggestions_respect_the_limit(seeded):
    assert len(suggest("mining", limit=2)) == 2
    assert suggest("mining", limit=0) == []


def test_facet_counts_count_records_per_value(seeded):
    counts = facet_counts(
        Potential.objects.published(),
        {"country": "region__country", "legacy_type": "legacy_types__slug"},
    )
    published = Potential.objects.published()
    assert counts["country"]["AT"] == published.filter(region__country="AT").count()
    assert counts["country"]["DE"] == published.filter(region__country="DE").count()
    assert sum(counts["country"].values()) == published.exclude(region=None).count()
    for legacy in ("mine-water", "buildings-and-machinery"):
        assert (
            counts["legacy_type"][legacy]
            == published.filter(legacy_types__slug=legacy).count()
        )
    # The most frequent value first.
    assert list(counts["legacy_type"].values()) == sorted(
        counts["legacy_type"].values(), reverse=True
    )


def test_facet_counts_count_the_results_of_a_search(seeded):
    results = Potential.objects.published().search("conveyor bridge")
    counts = facet_counts(results, {"theme": "category__theme__slug", "stage": "stage"})
    assert counts == {
        "theme": {"cultural-potentials": 2},
        "stage": {"identified": 1, "implemented": 1},
    }


def test_facet_counts_take_no_query_per_value(seeded, django_assert_max_num_queries):
    facets = {
        "country": "region__country",
        "theme": "category__theme__slug",
        "stage": "stage",
    }
    results = Potential.objects.published().search("mining")
    with django_assert_max_num_queries(1):
        facet_counts(results, facets)


def test_search_page_gives_what_the_three_calls_give(seeded):
    facets = {"theme": "category__theme__slug", "legacy": "legacy_types__slug"}
    queryset = Potential.objects.published().select_related("region")
    for query in ["mining", "conveyor bridge", "geothermal", "nothing-like-this"]:
        results = queryset.search(query)
        page = search_page(queryset, query, facets=facets, limit=3, offset=1)
        assert page.records == list(results[1:4])
        assert [r.search_headline for r in page.records] == [
            r.search_headline for r in results[1:4]
        ]
        assert page.count == results.count()
        assert page.facets == facet_counts(results, facets)


def test_search_page_reads_at_most_so_many_matches(seeded):
    queryset = Potential.objects.published()
    capped = search_page(queryset, "mining", facets={"stage": "stage"}, max_matches=3)
    assert not capped.exact and capped.count == 3
    # The page and the facets come from the matches read: one more than the most.
    assert len(capped.records) == 4
    assert sum(capped.facets["stage"].values()) == 4
    # A many-to-many facet gives a record several rows: still not "exact".
    capped = search_page(
        queryset, "mining", facets={"legacy": "legacy_types__slug"}, max_matches=5
    )
    assert not capped.exact and capped.count <= 5
    everything = search_page(queryset, "mining", max_matches=None)
    assert everything.exact and everything.count == queryset.search("mining").count()


def test_search_page_reads_the_matches_once(seeded, django_assert_num_queries):
    facets = {"country": "region__country", "stage": "stage", "theme": "category"}
    queryset = Potential.objects.published().select_related("region")
    # Typo corrections, the one pass, then the page's records by key.
    with django_assert_num_queries(3):
        search_page(queryset, "mining heritage", facets=facets)


def test_site_search_ranks_across_kinds_and_counts_each_kind(seeded):
    results = site_search("Lapland")
    assert [kind.kind for kind in search_kinds()] == list(results.counts)
    assert results.counts["region"] == 1 and results.counts["partner"] == 1
    assert results.counts["goodpractice"] == 1
    assert results.total == sum(results.counts.values())
    assert {hit.kind for hit in results.hits[:2]} == {"region", "partner"}
    assert all(
        a.rank >= b.rank for a, b in zip(results.hits, results.hits[1:], strict=False)
    )


def test_site_search_narrows_to_kinds_and_pages(seeded):
    everything = site_search("mining", limit=50).hits
    projects = site_search("mining", kinds=["project"])
    assert {hit.kind for hit in projects.hits} == {"project"}
    assert projects.total == projects.counts["project"]
    second_page = site_search("mining", limit=3, offset=3).hits
    assert [h.record for h in second_page] == [h.record for h in everything[3:6]]


def test_site_search_finds_acronyms(seeded):
    assert [h.record.slug for h in site_search("MINEC", kinds=["project"]).hits][
        0
    ] == "minec"
    assert [h.record.slug for h in site_search("IOER").hits][0] == "ioer"


def test_queries_of_any_shape_never_fail(seeded):
    for query in ["'", '"', "a & b | !c", "x:*", "((", "\x00", "ü" * 300, "-1"]:
        list(Potential.objects.search(query)[:5])
        suggest(query)
        site_search(query)


# --- Stemming, typos, vocabulary, schema ------------------------------------------


def test_search_stems_words_in_the_readers_language(seeded):
    assert (
        slugs(Potential.objects.search("bridges"))[:2]
        == slugs(Potential.objects.search("bridge"))[:2]
    )
    with translation.override("de"):
        found = slugs(Potential.objects.search("Windpark"))
        assert found[0] == "wind-parks-on-mining-dumps"
        assert set(found) <= set(
            Potential.objects.filter(category__slug="wind-energy").values_list(
                "slug", flat=True
            )
        )
    with translation.override("hu"):
        assert "wind-parks-on-mining-dumps" in slugs(
            Potential.objects.search("szélpark")
        )


def test_search_finds_other_forms_where_there_is_no_stemmer(seeded):
    with translation.override("pl"):
        assert slugs(Potential.objects.search("hałdy biomasa")) == [
            "biomass-on-mining-dumps"
        ]


def test_search_tolerates_typos(seeded):
    assert slugs(Potential.objects.search("geotermal")) == slugs(
        Potential.objects.search("geothermal")
    )
    assert "geothermal-energy-from-mine-water" in slugs(
        Potential.objects.search("geotermal")
    )
    assert slugs(Potential.objects.search("biomas")) == slugs(
        Potential.objects.search("biomass")
    )
    assert "geothermal" in parse_search("geotermal").corrections["geotermal"]
    # A word the content holds is taken as it is.
    assert parse_search("geothermal").corrections == {}


def test_a_saved_records_words_correct_typos_at_once(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        potential = PotentialFactory(title="Kohlekraftwerk Hirschfelde")
        PotentialFactory(title="Unpublished Braunkohlegrube", status=Status.DRAFT)
    assert slugs(Potential.objects.search("Kohlekraftwek")) == [potential.slug]
    # Drafts give no words: a correction never hints at unpublished content.
    assert not SearchWord.objects.filter(word="braunkohlegrube").exists()


def test_rebuild_search_index_recomputes_the_vocabulary(db, capsys):
    # The save's commit never comes inside a test's transaction: the vector is
    # current at once, the vocabulary waits, as after a bulk import.
    potential = PotentialFactory(title="Schaufelradbagger")
    assert slugs(Potential.objects.search("Schaufelradbagger")) == [potential.slug]
    assert not Potential.objects.search("Schaufelratbagger").exists()
    call_command("rebuild_search_index")
    assert "vocabulary" in capsys.readouterr().out
    assert slugs(Potential.objects.search("Schaufelratbagger")) == [potential.slug]


def test_every_language_has_a_search_vector_on_every_searchable_table(db):
    with connection.cursor() as cursor:
        for model in searchable_models():
            columns = {
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, model._meta.db_table
                )
            }
            for language, _name in settings.LANGUAGES:
                assert f"search_{language}" in columns, (model, language)


def test_search_uses_the_indexes(seeded):
    queryset = Potential.objects.search("geotermal")
    with connection.cursor() as cursor:
        # Ten records are read faster without an index: tell the planner not to.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "potential_search_en" in plan


def test_the_planner_is_told_that_random_reads_are_cheap(db):
    """Without it, a search matching a tenth of a large table scanned it in order
    (resource_portal/settings.py, DATABASE_PG_OPTIONS)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_search_in_another_language_uses_both_languages_indexes(seeded):
    with translation.override("fi"), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = Potential.objects.search("tuulipuistot").explain()
    assert "potential_search_fi" in plan
    assert "potential_search_en" in plan


@pytest.mark.parametrize("model", [Region, Project, Partner, Potential, GoodPractice])
def test_suggestions_query_the_title_indexes_in_every_language(seeded, model):
    # The index's expression and the query's come from one declaration; the
    # planner uses an index only when the two are the same expression.
    for language, _name in settings.LANGUAGES:
        condition = Matches(
            model.search_spec.prefix_vector(language),
            prefix_tsquery(["grub"], text_search_configuration(language)),
        )
        with connection.cursor() as cursor:
            # Small tables are read faster without an index: tell the planner not to.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            plan = model._base_manager.filter(condition).explain()
        assert f"{model._meta.model_name}_prefix_{language}" in plan, plan


def test_suggestions_find_partners_and_projects_by_acronym(seeded):
    assert ("project", "resource") in {(s.kind, s.slug) for s in suggest("ReSou")}
    partner = Partner.objects.exclude(acronym="").first()
    found = {(s.kind, s.slug) for s in suggest(partner.acronym[:4], limit=20)}
    assert ("partner", partner.slug) in found


def test_a_short_word_beside_a_longer_one_only_orders_suggestions(seeded):
    # "la" starts many words; beside "lusat" it decides the order only.
    suggestions = suggest("lusat la")
    assert suggestions[0].text.lower().startswith("lusatian la")


def test_searchable_models_are_the_seven_kinds():
    assert {model._meta.label for model in searchable_models()} == {
        "potentials.Potential",
        "goodpractices.GoodPractice",
        "regions.Region",
        "regions.Partner",
        "regions.Project",
        "regions.Publication",
        "regions.PolicyInstrument",
    }
    assert GoodPractice in searchable_models() and Project in searchable_models()


def test_a_correction_is_not_crowded_out_by_one_words_endings(db):
    """Five endings of one word are one candidate, so the word a reader meant is
    still among the corrections (as "geothermal" beside Polish "geotermalny",
    "geotermalna"…)."""
    SearchWord.objects.bulk_create(
        SearchWord(word=word)
        for word in (
            "kwarzotermalny",
            "kwarzotermalna",
            "kwarzotermalni",
            "kwarzotermalne",
            "kwarzotermalno",
            "kwarzothermal",
        )
    )
    corrections = parse_search("kwarzotermal").corrections["kwarzotermal"]
    assert "kwarzothermal" in corrections
    assert len([word for word in corrections if "termaln" in word]) == 1
