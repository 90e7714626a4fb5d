"""File imports as jobs of the task worker, beside a floor, in one run.

    .venv/bin/python bench/imports.py [--database-url postgres://…/rp_imports_bench]
                                      [--sizes 200,5000] [--skip-load]

1. Creates the benchmark database afresh, migrates it and loads the seed content
   (`--skip-load` reuses it; earlier benchmark rows are removed first).
2. For each size, makes a CSV file of that many new potentials of one partner,
   named by the seed's real regions, categories, legacy types and projects, with
   English and German titles and summaries, and times, in this process:
   - the floor: reading the same file and writing the same records with
     `bulk_create` (and their legacy types), in a transaction rolled back: the
     least any import of these rows could cost;
   - the dry run: a job queued as the admin queues it, run by the real worker
     (`db_worker --batch`), up to its preview;
   - the confirmation: the same job confirmed and run by the worker.
   Each prints its seconds and its ratio to the floor of the same size; the
   target is under 60 s for each of 5,000 rows.

Only a database whose name contains "bench" is ever written to.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rp_imports_bench"
TARGET_SECONDS = 60.0
HEADERS = [
    "slug",
    "title_en",
    "title_de",
    "summary_en",
    "summary_de",
    "region",
    "category",
    "legacy_types",
    "projects",
    "stage",
    "area_ha",
    "latitude",
    "longitude",
    "owner",
]


def recreate(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def load() -> None:
    from django.core.management import call_command

    from portal.seed import seed_content_load

    call_command("migrate", verbosity=0, interactive=False)
    seed_content_load()


def rows(count: int, prefix: str, seed: int = 5) -> list[list[str]]:
    from potentials.models import Category
    from regions.models import LegacyType, Partner, Project, Region

    rng = random.Random(seed)
    regions = list(Region.objects.values_list("slug", flat=True))
    categories = list(Category.objects.values_list("slug", flat=True))
    legacy_types = list(LegacyType.objects.values_list("slug", flat=True))
    projects = list(Project.objects.values_list("slug", flat=True))
    owner = Partner.objects.values_list("slug", flat=True).order_by("pk").first()
    return [
        [
            f"{prefix}-{n}",
            f"Pit lake {prefix} {n}",
            f"Grubensee {prefix} {n}",
            "Mine water from the flooded pit heats the district's schools.",
            "Grubenwasser aus dem gefluteten Tagebau heizt die Schulen.",
            rng.choice(regions),
            rng.choice(categories),
            ",".join(rng.sample(legacy_types, 2)),
            rng.choice(projects),
            "studied",
            f"{rng.uniform(1, 500):.1f}",
            f"{rng.uniform(45, 60):.5f}",
            f"{rng.uniform(5, 25):.5f}",
            owner,
        ]
        for n in range(count)
    ]


def csv_bytes(data: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    writer.writerows(data)
    return text.getvalue().encode()


class _Rollback(Exception):
    pass


def floor(data: bytes) -> None:
    """Read the file and write its records in bulk, then roll back."""
    from django.db import transaction

    from editorial.imports import read_dataset
    from potentials.models import Category, Potential
    from regions.models import LegacyType, Partner, Region

    dataset = read_dataset(data, "CSV")
    regions = {r.slug: r for r in Region.objects.all()}
    categories = {c.slug: c for c in Category.objects.all()}
    legacy = {lt.slug: lt for lt in LegacyType.objects.all()}
    partners = {p.slug: p for p in Partner.objects.all()}
    try:
        with transaction.atomic():
            records = Potential.objects.bulk_create(
                Potential(
                    slug=row["slug"],
                    title_en=row["title_en"],
                    title_de=row["title_de"],
                    summary_en=row["summary_en"],
                    summary_de=row["summary_de"],
                    region=regions[row["region"]],
                    category=categories[row["category"]],
                    stage=row["stage"],
                    area_ha=row["area_ha"],
                    latitude=row["latitude"],
                    longitude=row["longitude"],
                    owner=partners[row["owner"]],
                )
                for row in dataset.dict
            )
            through = Potential.legacy_types.through
            through.objects.bulk_create(
                through(potential=record, legacytype=legacy[slug])
                for record, row in zip(records, dataset.dict, strict=True)
                for slug in row["legacy_types"].split(",")
            )
            raise _Rollback
    except _Rollback:
        pass


def work() -> None:
    """The worker, until the queue is empty."""
    from django.core.management import call_command

    call_command(
        "db_worker",
        batch=True,
        reload=False,
        startup_delay=False,
        interval=0,
        verbosity=0,
    )


def job(data: bytes, user, size: int, work=work) -> tuple[float, float, dict]:
    """The dry run and the confirmation, each queued and run by the worker."""
    from editorial.imports import import_job_confirm, import_job_start
    from editorial.models import ImportJob
    from potentials.import_export import PotentialResource

    started = time.perf_counter()
    queued = import_job_start(
        by=user,
        resource_class=PotentialResource,
        data=data,
        file_name=f"bench-{size}.csv",
        file_format="CSV",
        rows_total=size,
    )
    work()
    checked = time.perf_counter() - started
    queued.refresh_from_db()
    if queued.status != ImportJob.Status.CHECKED:
        raise SystemExit(f"The check failed: {queued.status} {queued.summary}")
    started = time.perf_counter()
    import_job_confirm(job=queued, by=user)
    work()
    confirmed = time.perf_counter() - started
    queued.refresh_from_db()
    if queued.status != ImportJob.Status.DONE:
        raise SystemExit(f"The import failed: {queued.status} {queued.error}")
    return checked, confirmed, queued.summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sizes", default="200,5000")
    parser.add_argument("--skip-load", action="store_true")
    options = parser.parse_args()
    if "bench" not in urlsplit(options.database_url).path:
        raise SystemExit("Only a database whose name contains 'bench' is written to.")
    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resource_portal.settings")
    if not options.skip_load:
        recreate(options.database_url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django_tasks_db.models import DBTaskResult
    from reversion.models import Revision

    from editorial.models import ImportJob
    from potentials.models import Potential

    if not options.skip_load:
        started = time.perf_counter()
        load()
        print(f"Loaded the seed content in {time.perf_counter() - started:.1f} s")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-importer", defaults={"is_staff": True, "is_superuser": True}
    )
    # An earlier run's records, their history and its jobs: each run starts alike.
    Potential.objects.filter(slug__startswith="bench-").delete()
    Revision.objects.filter(user=user).delete()
    ImportJob.objects.filter(owner=user).delete()
    DBTaskResult.objects.all().delete()
    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}; "
        f"load average {os.getloadavg()[0]:.1f} at the start"
    )
    failed, measured = False, False
    for size in (int(value) for value in options.sizes.split(",")):
        data = csv_bytes(rows(size, prefix=f"bench-{size}"))
        started = time.perf_counter()
        floor(data)
        floor_seconds = time.perf_counter() - started
        checked, confirmed, summary = job(data, user, size)
        print(
            f"{size} rows ({summary['new']} new)\n"
            f"  {'floor: read + bulk_create':<30} {floor_seconds:7.2f} s\n"
            f"  {'dry run (job)':<30} {checked:7.2f} s   "
            f"x{checked / floor_seconds:6.1f} the floor\n"
            f"  {'confirmation (job)':<30} {confirmed:7.2f} s   "
            f"x{confirmed / floor_seconds:6.1f} the floor"
        )
        if size >= 5000:
            measured = True
            failed = failed or max(checked, confirmed) >= TARGET_SECONDS
    verdict = ("missed" if failed else "met") if measured else "not measured"
    print(
        f"Load average {os.getloadavg()[0]:.1f} at the end. Target: under "
        f"{TARGET_SECONDS:.0f} s each for 5,000 rows: {verdict}"
    )


if __name__ == "__main__":
    main()
