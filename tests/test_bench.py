"""The benchmarks' own wiring, which no other test would notice breaking: the
modules and tables they name, the data they generate and the addresses and searches
they time, on a few records instead of thousands."""

import random
from urllib.parse import urlencode, urlsplit

import pytest
from django.http import QueryDict
from django.test import override_settings
from django.urls import resolve
from django.utils import translation

from bench import api as api_bench
from bench import imports as imports_bench
from bench import pages as pages_bench
from bench import search as search_bench
from bench import similar_records as similar_bench
from bench import similarity as similarity_bench
from search.vocabulary import search_index_rebuild

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="bench.api_urls")
def test_the_api_benchmark_serves_the_portal_beside_its_floor(client):
    assert client.get("/bench/floor/").json() == {"ok": True}
    assert client.get("/api/v1/themes/").status_code == 200
    assert client.get("/en/").status_code == 200


@override_settings(ROOT_URLCONF="bench.api_urls")
def test_the_api_and_similarity_benchmarks_generate_their_data_and_answer(
    seeded, client
):
    """Both benchmarks run on api_bench.generate(200, 100, regions=10): it is
    generated once, for the API's requests, then profiled for the similarity's."""
    potentials, practices = 200, 100
    api_bench.generate(potentials, practices, regions=10)
    groups = api_bench.mixes(random.Random(7), potentials, practices)

    for group in ("list", "filter", "export"):
        for path in groups[group]:
            # As the benchmark asks when it bypasses the cache: an unknown
            # parameter, which the API must ignore.
            uncached = f"{path}{'&' if '?' in path else '?'}nocache=1"
            assert client.get(uncached).status_code == 200, uncached
    assert client.get("/api/v1/potentials/?search=geothermal+lake").status_code == 200
    assert client.get("/api/v1/potentials/?format=csv").status_code == 200
    # A fifth of the generated records are drafts or archived: their details
    # answer 404, and the benchmark leaves them out.
    details = {path: client.get(path).status_code for path in groups["detail"]}
    assert set(details.values()) <= {200, 404}
    assert list(details.values()).count(200) >= len(details) // 2
    region = client.get("/api/v1/regions/bench-region-7/")
    assert region.status_code == 200
    # Filters find the generated records, not only an empty page.
    by_region = client.get("/api/v1/potentials/?region=bench-region-7&ordering=title")
    assert by_region.json()["count"] > 0
    # The conditional GETs the benchmark sends are answered 304.
    answer = client.get(groups["list"][0])
    again = client.get(groups["list"][0], headers={"If-None-Match": answer["ETag"]})
    assert again.status_code == 304

    # The similarity benchmark, on the same generated data.
    similarity_bench.add_region_profiles()

    words = similarity_bench.vocabulary()
    rng = random.Random(3)
    similarity_bench.floor_query()
    results = similarity_bench.similar_to("bench-region-3")
    assert results and all(match.reasons for match in results)
    for _ in range(5):
        params = similarity_bench.match_params(rng, words)
        similarity_bench.match(params)
    assert client.get("/api/v1/regions/bench-region-3/similar/").status_code == 200
    query = urlencode(similarity_bench.match_params(rng, words), doseq=True)
    assert client.get(f"/api/v1/regions/match/?{query}").status_code == 200
    # The generated practices have something to teach: a category, a legacy type.
    assert any(match.good_practices for match in results) or any(
        similarity_bench.match(similarity_bench.match_params(rng, words))[1]
        for _ in range(5)
    )


def test_the_search_benchmark_generates_its_data_and_times_each_operation(seeded):
    judged = search_bench.judged_summary()
    assert "mean reciprocal rank" in judged
    assert "missed" not in judged

    search_bench.generate(potentials=300, practices=60, regions=20)
    # As prepare() does after generating: the typo vocabulary.
    search_index_rebuild(vectors=False)

    for language, query in search_bench.QUERIES:
        search_bench.ranked_search_with_facets(language, query)
    for language, prefix in search_bench.PREFIXES:
        search_bench.suggestions(language, prefix)

    page = search_bench.ranked_search_with_facets("en", "feasibility study")
    assert page.count > 0
    assert len(page.records) == min(page.count, search_bench.PAGE)
    assert set(page.facets) == set(search_bench.FACETS)
    records, count, facets = search_bench.ranked_search_step_by_step(
        "en", "feasibility study"
    )
    assert count == page.count
    assert [r.pk for r in records] == [r.pk for r in page.records]
    assert facets == page.facets
    records, count, facets = search_bench.naive_scan_with_facets("de", "Kokerei")
    assert count > 0
    assert set(facets) == set(search_bench.FACETS)
    site = search_bench.site_search_page("pl", "turystyka")
    assert site.total > 0
    # A typo is corrected to a word of the generated text.
    assert search_bench.ranked_search_with_facets("en", "geotermal").count > 0
    assert search_bench.suggestions("fi", "kaivos")


def test_the_similar_records_benchmark_generates_its_data_and_times_each_one(seeded):
    api_bench.generate(potentials=120, practices=40, regions=8)
    similar_bench.enrich()

    records = similar_bench.samples(5, seed=1)
    assert len(records["potentials"]) == len(records["practices"]) == 5
    for kind, operation in similar_bench.OPERATIONS.values():
        timings = similar_bench._time(operation, records[kind])
        assert len(timings) == 5
    # The generated practices have the categories and legacy types the
    # similarity and the pairs read, so each operation finds something.
    potential = records["potentials"][0]
    assert similar_bench.similar_to_potential(potential)
    assert similar_bench.similar_to_practice(records["practices"][0])
    pooled = similar_bench.measure(runs=1, count=3, language="de")
    assert set(pooled) == {"floor", *similar_bench.OPERATIONS}
    assert all(len(timings) == 3 for timings in pooled.values())
    similar_bench.summary(pooled)


def test_the_imports_benchmark_imports_its_rows_through_the_worker(seeded):
    from django.contrib.auth import get_user_model

    from potentials.models import Potential
    from tests.jobs import run_worker

    data = imports_bench.csv_bytes(imports_bench.rows(5, prefix="bench-5"))
    imports_bench.floor(data)
    assert not Potential.objects.filter(slug__startswith="bench-5-").exists()
    user = get_user_model().objects.create_superuser("bench-importer")
    checked, confirmed, summary = imports_bench.job(data, user, 5, work=run_worker)
    assert summary["new"] == 5 and checked > 0 and confirmed > 0
    assert Potential.objects.filter(slug__startswith="bench-5-").count() == 5


@override_settings(ROOT_URLCONF="bench.api_urls")
def test_the_pages_benchmark_generates_its_data_and_every_page_answers(seeded, client):
    scale = pages_bench.SIZES["quick"]
    api_bench.generate(
        scale.potentials,
        scale.practices,
        scale.regions,
        projects=scale.projects,
        seed=False,
    )
    similarity_bench.add_region_profiles()
    pages_bench.generate_more(scale)

    rendered = set()
    for kind in pages_bench.page_kinds(scale):
        if kind.name.startswith("sitemap"):
            continue  # Seconds each, and the subject of their own tests.
        statuses = []
        for path in kind.paths:
            # The list's filters and sort, checked without rendering each page:
            # an unknown one would time the list's error message instead.
            address = urlsplit(path)
            with translation.override(address.path.split("/")[1]):
                view = resolve(address.path).func
            view_class = getattr(view, "view_class", None)
            if filters := getattr(view_class, "filterset_class", None):
                query = QueryDict(address.query)
                filterset = filters(data=query, queryset=filters._meta.model.objects)
                assert filterset.is_valid() and not filterset.errors, path
                assert query.get("sort", "") in {"", *view_class.sort_options}, path
            # One page of each view is enough to render: the others differ in
            # the query the filter set has just checked.
            if 200 in statuses or view in rendered:
                continue
            # As the benchmark asks for an uncached page: an ignored parameter.
            statuses.append(
                client.get(f"{path}{'&' if '?' in path else '?'}_=1").status_code
            )
        rendered.add(view)
        if not statuses:
            continue
        if kind.details:
            # A fifth of the generated records are drafts: 404, left out.
            assert statuses[-1] == 200 and set(statuses) <= {200, 404}, kind.name
        else:
            assert statuses == [200], kind.name
    filtered = client.get(
        "/en/potentials/?region=bench-region-7&project=bench-project-1"
    )
    assert "bench-potential-" in filtered.content.decode()


def test_the_pages_benchmark_finds_a_sitemap_section_and_renders_the_proxy():
    namespace = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    index = (
        f"<sitemapindex {namespace}>"
        "<sitemap><loc>http://127.0.0.1:8150/sitemap-pages.xml</loc></sitemap>"
        "<sitemap><loc>http://127.0.0.1:8150/sitemap-potentials.xml?p=2</loc>"
        "</sitemap></sitemapindex>"
    ).encode()
    assert pages_bench.sitemap_section(index) == "/sitemap-potentials.xml?p=2"
    plain = f"<urlset {namespace}><url><loc>http://x/en/</loc></url></urlset>"
    assert pages_bench.sitemap_section(plain.encode()) is None

    template = "listen ${NGINX_PORT};\nproxy_pass http://${UPSTREAM};\nset $a ${host};"
    text, missing = pages_bench.render_template(
        template + " ${TLS_CERT}", {"NGINX_PORT": "8151", "UPSTREAM": "127.0.0.1:8150"}
    )
    assert "listen 8151;" in text and "http://127.0.0.1:8150;" in text
    # nginx's own variables are left to nginx; an unknown setting is reported.
    assert "${host}" in text and missing == {"TLS_CERT"}
