"""Similar records at the API benchmark's scale, beside the floor, in one run.

    .venv/bin/python bench/similar_records.py [--database-url postgres://…/rp_similar_bench]

1. Creates the benchmark database afresh and loads bench/api.py's data set (the
   seed content plus 300 regions, 10,000 potentials and 2,000 good practices, texts
   in all seven languages), then gives each generated good practice the one or two
   categories and legacy types that the API benchmark leaves out, so that every
   trait of the similarity has values (`--skip-load` reuses the data).
2. Times, in-process and warm, for random published potentials and good practices:
   the similar-records services (`similar_potentials`, `similar_good_practices`:
   the scoring statement and the records), the practices found from a potential
   and the potentials found from a practice, and the floor: `SELECT 1` over the
   same connection. Several runs; each prints p50/p95 and the ratio to the
   floor's, and the target (p95 < 50 ms) is checked on the pooled timings.

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
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rp_similar_bench"
TARGET_P95_MS = 50.0


def enrich(seed: int = 11) -> None:
    """Categories and legacy types for the generated good practices (bench/api.py
    gives them themes only), one or two of each, the categories in the themes."""
    from goodpractices.models import GoodPractice
    from potentials.models import Category
    from regions.models import LegacyType

    rng = random.Random(seed)
    categories = list(Category.objects.all())
    legacy_types = list(LegacyType.objects.all())
    practices = list(GoodPractice.objects.filter(slug__startswith="bench-"))
    GoodPractice.categories.through.objects.bulk_create(
        (
            GoodPractice.categories.through(goodpractice=practice, category=category)
            for practice in practices
            for category in rng.sample(categories, rng.randint(1, 2))
        ),
        batch_size=5000,
    )
    GoodPractice.legacy_types.through.objects.bulk_create(
        (
            GoodPractice.legacy_types.through(goodpractice=practice, legacytype=legacy)
            for practice in practices
            for legacy in rng.sample(legacy_types, rng.randint(1, 2))
        ),
        batch_size=5000,
    )


def load(potentials: int, practices: int, regions: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from bench import api as api_bench

    call_command("migrate", verbosity=0, interactive=False)
    api_bench.generate(potentials, practices, regions)
    enrich()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- Timings ------------------------------------------------------------------------


def _time(operation: Callable[[], object], arguments: list) -> list[float]:
    timings = []
    for argument in arguments:
        started = time.perf_counter()
        operation(argument)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def floor(_argument=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def similar_to_potential(potential) -> list:
    from potentials.similarity import similar_potentials

    return similar_potentials(potential)


def similar_to_practice(practice) -> list:
    from goodpractices.similarity import similar_good_practices

    return similar_good_practices(practice)


def practices_for_potential(potential) -> list:
    from potentials.similarity import good_practices_for

    return good_practices_for(potential).records


def potentials_for_practice(practice) -> list:
    from goodpractices.similarity import potentials_for_practice as found

    return found(practice).records


OPERATIONS = {
    "similar potentials": ("potentials", similar_to_potential),
    "similar good practices": ("practices", similar_to_practice),
    "good practices for a potential": ("potentials", practices_for_potential),
    "potentials for a good practice": ("practices", potentials_for_practice),
}


def samples(count: int, seed: int) -> dict[str, list]:
    """Random published records, loaded as the detail pages load them."""
    from goodpractices.models import GoodPractice
    from potentials.models import Potential

    rng = random.Random(seed)
    potential_ids = list(Potential.objects.published().values_list("pk", flat=True))
    practice_ids = list(GoodPractice.objects.published().values_list("pk", flat=True))
    return {
        "potentials": list(
            Potential.objects.select_related("region", "category")
            .prefetch_related("legacy_types")
            .filter(pk__in=rng.sample(potential_ids, min(count, len(potential_ids))))
        ),
        "practices": list(
            GoodPractice.objects.select_related("region")
            .prefetch_related("categories", "legacy_types")
            .filter(pk__in=rng.sample(practice_ids, min(count, len(practice_ids))))
        ),
    }


def measure(runs: int, count: int, language: str) -> dict[str, list[float]]:
    from django.db import connection
    from django.utils import translation

    from goodpractices.models import GoodPractice
    from potentials.models import Potential
    from regions.models import Region

    print(
        f"Data: {Potential.objects.count()} potentials "
        f"({Potential.objects.published().count()} published), "
        f"{GoodPractice.objects.count()} good practices "
        f"({GoodPractice.objects.published().count()} published), "
        f"{Region.objects.count()} regions; PostgreSQL "
        f"{connection.cursor().connection.info.server_version}; language {language}",
        flush=True,
    )
    pooled: dict[str, list[float]] = {"floor": [], **{name: [] for name in OPERATIONS}}
    with translation.override(language):
        warm = samples(20, seed=0)
        for kind, operation in OPERATIONS.values():
            _time(operation, warm[kind])
        _time(floor, range(200))
        # As the serving process does (resource_portal/wsgi.py).
        gc.freeze()
        for run in range(1, runs + 1):
            records = samples(count, seed=run)
            floor_timings = _time(floor, range(count))
            pooled["floor"] += floor_timings
            floor_p50, floor_p95 = percentiles(floor_timings)
            print(
                f"Run {run}: {count} random published records of each kind\n"
                f"  {'floor: SELECT 1':<34} p50 {floor_p50:7.2f} ms   "
                f"p95 {floor_p95:7.2f} ms"
            )
            for name, (kind, operation) in OPERATIONS.items():
                timings = _time(operation, records[kind])
                pooled[name] += timings
                p50, p95 = percentiles(timings)
                print(
                    f"  {name:<34} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   "
                    f"({p50 / floor_p50:5.0f}× / {p95 / floor_p95:5.0f}× the floor)"
                )
    gc.unfreeze()
    return pooled


def summary(pooled: dict[str, list[float]]) -> bool:
    floor_p50, floor_p95 = percentiles(pooled["floor"])
    print(f"All runs (n per operation = {len(pooled['floor'])}):")
    print(
        f"  {'floor: SELECT 1':<34} p50 {floor_p50:7.2f} ms   p95 {floor_p95:7.2f} ms"
    )
    met = True
    for name in OPERATIONS:
        p50, p95 = percentiles(pooled[name])
        met = met and p95 < TARGET_P95_MS
        print(
            f"  {name:<34} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   "
            f"({p50 / floor_p50:5.0f}× / {p95 / floor_p95:5.0f}× the floor)"
        )
    print(
        f"Target p95 < {TARGET_P95_MS:.0f} ms for every operation: "
        + ("met" if met else "NOT met")
    )
    return met


def _database(url: str, *, fresh: bool) -> None:
    from bench import api as api_bench

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres") or "bench" not in parts.path:
        sys.exit(
            "bench/similar_records.py writes to its database: --database-url must "
            f"name a PostgreSQL database whose name contains 'bench' (got {url!r})."
        )
    if fresh:
        api_bench.create_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--potentials", type=int, default=10_000)
    parser.add_argument("--practices", type=int, default=2_000)
    parser.add_argument("--regions", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=200, help="records per run")
    parser.add_argument("--language", default="en")
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    _database(args.database_url, fresh=not args.skip_load)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "resource_portal.settings",
            "DATABASE_URL": args.database_url,
            # Production settings (DEBUG off, no query log), a throwaway key.
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "localhost",
            "DEBUG": "0",
        }
    )
    import django

    django.setup()
    if not args.skip_load:
        started = time.monotonic()
        load(args.potentials, args.practices, args.regions)
        print(f"Loaded the data set in {time.monotonic() - started:.0f} s", flush=True)
    summary(measure(args.runs, args.count, args.language))


if __name__ == "__main__":
    main()
