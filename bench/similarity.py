"""“Regions like mine” at the scale of bench/api.py, beside the floor, in one run.

    .venv/bin/python bench/similarity.py [--database-url postgres://…/rp_similarity_bench]

1. Builds the data set of bench/api.py — the seed content, 300 regions, 600
   partners, 40 projects, 10,000 potentials and 2,000 good practices (a fifth of
   them drafts or archived) — and gives every generated region a profile drawn
   from the seed vocabularies: one to three kinds of mining legacy, one to three
   development goals, one or two commodities, and a mining status (ended in a
   year between 1950 and 2019, declining or active); every generated good
   practice gets a category and a legacy type, so that there is something to
   learn from. It is built once and reused while the number of generated regions
   matches (`--regenerate` starts over).
2. Times, warm, in this process with the production settings (DEBUG off):
   - the floor: `SELECT 1` through Django's connection, and a trivial view through
     the whole Django stack (the test client, bench/api_urls.py's floor);
   - `similar_regions(region_profile(region))` for random generated regions, and
     `similar_regions(described_profile(…))` for random descriptions (country,
     legacy types, commodities, goals, a year or "still active");
   - the same through the API: `/api/v1/regions/<slug>/similar/` and
     `/api/v1/regions/match/?…`.
   Several runs, the groups alternating within each; it prints p50/p95 per group
   and each as a multiple of its floor (the service against `SELECT 1`, the API
   against the trivial view).

Only a database whose name contains "bench" is ever written to.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rp_similarity_bench"
# bench/api.py's data set.
REGIONS, POTENTIALS, PRACTICES = 300, 10_000, 2_000


def _configure(url: str) -> None:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres") or "bench" not in parts.path:
        sys.exit(
            "bench/similarity.py writes to its database: --database-url must name a "
            f"PostgreSQL database whose name contains 'bench' (got {url!r})."
        )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.api_settings",
            "DATABASE_URL": url,
            # Production settings with a throwaway key: the bench serves no one.
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
            "API_THROTTLE_ANON": "100000000/minute",
        }
    )


# --- Data ---------------------------------------------------------------------------


def add_region_profiles(seed: int = 4) -> None:
    """Random profiles for the generated regions, from the seed vocabularies, and a
    category and a legacy type for each generated good practice."""
    from goodpractices.models import GoodPractice
    from potentials.models import Category
    from regions.models import (
        Commodity,
        DevelopmentGoal,
        LegacyType,
        Region,
        RegionLegacy,
    )

    rng = random.Random(seed)
    legacy_types = list(LegacyType.objects.all())
    goals = list(DevelopmentGoal.objects.all())
    commodities = list(Commodity.objects.all())
    categories = list(Category.objects.all())
    regions = list(Region.objects.filter(slug__startswith="bench-region-"))
    for region in regions:
        status = rng.choice(["ended", "ended", "ended", "declining", "active"])
        region.mining_status = status
        region.mining_ended_year = (
            rng.randint(1950, 2019) if status == "ended" else None
        )
        region.population = rng.choice([8_000, 40_000, 150_000, 900_000, 2_500_000])
    Region.objects.bulk_update(
        regions, ["mining_status", "mining_ended_year", "population"]
    )
    Region.commodities.through.objects.filter(region__in=regions).delete()
    Region.commodities.through.objects.bulk_create(
        Region.commodities.through(region=region, commodity=commodity)
        for region in regions
        for commodity in rng.sample(commodities, rng.randint(1, 2))
    )
    RegionLegacy.objects.bulk_create(
        RegionLegacy(region=region, legacy_type=legacy_type)
        for region in regions
        for legacy_type in rng.sample(legacy_types, rng.randint(1, 3))
    )
    Region.goals.through.objects.bulk_create(
        Region.goals.through(region=region, developmentgoal=goal)
        for region in regions
        for goal in rng.sample(goals, rng.randint(1, 3))
    )
    practices = list(GoodPractice.objects.filter(slug__startswith="bench-practice-"))
    GoodPractice.categories.through.objects.bulk_create(
        GoodPractice.categories.through(
            goodpractice=practice, category=rng.choice(categories)
        )
        for practice in practices
    )
    GoodPractice.legacy_types.through.objects.bulk_create(
        GoodPractice.legacy_types.through(
            goodpractice=practice, legacytype=rng.choice(legacy_types)
        )
        for practice in practices
    )


def prepare(url: str, regenerate: bool) -> None:
    from bench import api as api_bench

    fresh = regenerate or not api_bench.database_exists(url)
    if not fresh:
        import django

        django.setup()
        from regions.models import Region, RegionLegacy

        have = Region.objects.filter(slug__startswith="bench-region-").count()
        profiled = RegionLegacy.objects.filter(
            region__slug__startswith="bench-"
        ).exists()
        fresh = have != REGIONS or not profiled
        if fresh:
            from django.db import connections

            connections.close_all()
        else:
            from django.core.management import call_command

            # The data is reused; the schema (an index, say) follows the code.
            call_command("migrate", verbosity=0)
    if fresh:
        started = time.monotonic()
        print(
            "Building the data set of bench/api.py, with region profiles…", flush=True
        )
        api_bench.create_database(url)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        api_bench.generate(POTENTIALS, PRACTICES, REGIONS)
        add_region_profiles()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"Built in {time.monotonic() - started:.0f} s", flush=True)


# --- What is timed ------------------------------------------------------------------


def floor_query() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def similar_to(slug: str) -> list:
    """What a region's page and the API compute: the region with its traits, its
    profile, the regions like it."""
    from regions.models import Region
    from regions.similarity import (
        profile_prefetches,
        region_profile,
        similar_regions,
    )

    region = Region.objects.prefetch_related(*profile_prefetches()).get(slug=slug)
    return similar_regions(region_profile(region))


def match_params(rng: random.Random, vocabulary: dict[str, list[str]]) -> dict:
    """A random description, as the form and the API take it."""
    params: dict = {
        "legacy_type": rng.sample(vocabulary["legacy_type"], rng.randint(1, 3)),
        "commodity": rng.sample(vocabulary["commodity"], rng.randint(0, 2)),
        "goal": rng.sample(vocabulary["goal"], rng.randint(1, 3)),
    }
    if rng.random() < 0.7:
        params["country"] = rng.choice(["de", "pl", "cz", "hu", "si", "fi", "at"])
    if rng.random() < 0.25:
        params["mining_active"] = "true"
    else:
        params["mining_ended"] = str(rng.randint(1950, 2019))
    return params


def match(params: dict):
    """What the match page and the API compute: the form, the ranking, the
    practices."""
    from django.http import QueryDict

    from regions.forms import RegionMatchForm
    from regions.similarity import (
        MATCH_RESULTS,
        practices_to_learn_from,
        similar_regions,
    )

    form = RegionMatchForm.from_query(QueryDict(urlencode(params, doseq=True)))
    assert form.is_valid(), form.errors
    results = similar_regions(form.profile(), limit=MATCH_RESULTS)
    return results, practices_to_learn_from(results)


def vocabulary() -> dict[str, list[str]]:
    from regions.models import Commodity, DevelopmentGoal, LegacyType

    return {
        "legacy_type": list(LegacyType.objects.values_list("slug", flat=True)),
        "commodity": list(Commodity.objects.values_list("slug", flat=True)),
        "goal": list(DevelopmentGoal.objects.values_list("slug", flat=True)),
    }


def _time(operation: Callable[[], object]) -> float:
    started = time.perf_counter()
    operation()
    return (time.perf_counter() - started) * 1000


def _percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def measure(runs: int, requests: int, seed: int = 7) -> dict[str, list[float]]:
    from django.test import Client

    from goodpractices.models import GoodPractice
    from potentials.models import Potential
    from regions.models import Region, RegionLegacy

    print(
        f"Data: {Region.objects.count()} regions "
        f"({RegionLegacy.objects.values('region').distinct().count()} with a "
        f"mining legacy), {Potential.objects.count()} potentials "
        f"({Potential.objects.published().count()} published), "
        f"{GoodPractice.objects.count()} good practices",
        flush=True,
    )
    rng = random.Random(seed)
    words = vocabulary()
    slugs = list(
        Region.objects.filter(slug__startswith="bench-region-").values_list(
            "slug", flat=True
        )
    )
    client = Client()

    def api_ok(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    # Each group makes the operation to time, with its random arguments drawn
    # before the clock starts.
    def similar_service():
        slug = rng.choice(slugs)
        return lambda: similar_to(slug)

    def match_service():
        params = match_params(rng, words)
        return lambda: match(params)

    def similar_api():
        path = f"/api/v1/regions/{rng.choice(slugs)}/similar/"
        return lambda: api_ok(path)

    def match_api():
        query = urlencode(match_params(rng, words), doseq=True)
        return lambda: api_ok(f"/api/v1/regions/match/?{query}")

    groups: dict[str, Callable[[], Callable[[], object]]] = {
        "floor: SELECT 1": lambda: floor_query,
        "similar regions (service)": similar_service,
        "match (form + service)": match_service,
        "floor: trivial view (test client)": lambda: lambda: api_ok("/bench/floor/"),
        "API /regions/<slug>/similar/": similar_api,
        "API /regions/match/?…": match_api,
    }
    # Warm: imports, connections, the planner's caches; untimed.
    for make in groups.values():
        for _ in range(20):
            make()()
    # As the serving process does (resource_portal/wsgi.py).
    gc.freeze()
    timings: dict[str, list[float]] = {name: [] for name in groups}
    for run in range(runs):
        per_run = {name: [] for name in groups}
        for _ in range(requests):
            # The groups in turn, so that a slower moment of the machine falls on
            # all of them alike.
            for name, make in groups.items():
                per_run[name].append(_time(make()))
        print(f"Run {run + 1}:", flush=True)
        report(per_run)
        for name in groups:
            timings[name] += per_run[name]
    print(f"All {runs} runs:", flush=True)
    report(timings)
    return timings


def report(timings: dict[str, list[float]]) -> None:
    floors = {
        "service": _percentiles(timings["floor: SELECT 1"]),
        "API": _percentiles(timings["floor: trivial view (test client)"]),
    }
    for name, values in timings.items():
        p50, p95 = _percentiles(values)
        line = f"  {name:<36} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   n={len(values)}"
        if not name.startswith("floor"):
            floor = floors["API" if name.startswith("API") else "service"]
            line += f"   ({p50 / floor[0]:.0f}× / {p95 / floor[1]:.0f}× the floor)"
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--requests", type=int, default=200, help="per group and run, one at a time"
    )
    parser.add_argument("--regenerate", action="store_true")
    options = parser.parse_args()
    _configure(options.database_url)
    prepare(options.database_url, options.regenerate)
    measure(options.runs, options.requests)


if __name__ == "__main__":
    main()
