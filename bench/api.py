"""Benchmark of the REST API against the framework's floor, in one run.

    .venv/bin/python bench/api.py [--database-url postgres://…/rp_api_bench]

1. Creates the benchmark database afresh and loads the seed content plus a
   generated data set: 300 regions, 10,000 potentials and 2,000 good practices, with
   their relations, texts in all seven languages.
2. Starts its own Redis (the production cache) and gunicorn on loopback, with the
   real settings (DEBUG off) and one extra address, a trivial view: the floor.
3. Sends a fixed mix of requests (lists, filters, details, exports) and prints
   requests per second and p50/p95 latency for each group: uncached (every request
   differs by an ignored parameter, so nothing is served from the cache), repeated
   anonymous reads (the cache), conditional GETs (304) and the floor.

Everything listens on 127.0.0.1 only and stops at the end. The client shares the
machine with the server, so absolute figures are lower than on separate machines;
the comparison with the floor is what counts.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
LANGUAGES = ("en", "de", "pl", "cs", "hu", "sl", "fi")
COUNTRIES = ("DE", "PL", "CZ", "HU", "SI", "FI", "AT")
WORDS = [
    "mine",
    "water",
    "geothermal",
    "heat",
    "lake",
    "dump",
    "heap",
    "biomass",
    "wind",
    "park",
    "conveyor",
    "bridge",
    "headframe",
    "heritage",
    "route",
    "tourism",
    "brownfield",
    "reclamation",
    "energy",
    "solar",
    "pit",
    "landscape",
    "miners",
    "tradition",
    "museum",
    "event",
    "festival",
    "cycling",
    "forest",
    "lignite",
    "coal",
    "ore",
    "uranium",
    "shaft",
    "tunnel",
    "spoil",
    "terrace",
    "vineyard",
    "school",
    "network",
    "region",
]


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize()


def translated(rng: random.Random, field: str, length: int, languages) -> dict:
    return {f"{field}_{code}": f"{words(rng, length)} ({code})" for code in languages}


# --- Data ------------------------------------------------------------------------


def database_exists(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        return bool(
            connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s",
                [parts.path.lstrip("/")],
            ).fetchone()
        )


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def load_data(potentials: int, practices: int, regions: int) -> None:
    """Runs in this process with Django set up against the benchmark database."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    call_command("migrate", verbosity=0)
    generate(potentials, practices, regions)
    # What autovacuum does soon after a bulk load: statistics for the planner, and
    # the visibility map that lets a count read only an index.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def generate(
    potentials: int,
    practices: int,
    regions: int,
    projects: int = 40,
    *,
    seed: bool = True,
) -> None:
    """The seed content (unless `seed` is false: a test's database holds it
    already) and the generated records, in the current database."""
    from editorial.models import Status
    from goodpractices.models import GoodPractice
    from portal.seed import seed_content_load
    from potentials.models import Category, Potential, Theme
    from regions.models import (
        Commodity,
        LegacyType,
        Membership,
        Partner,
        Project,
        Region,
    )

    if seed:
        seed_content_load()
    rng = random.Random(4)
    categories = list(Category.objects.all())
    legacy_types = list(LegacyType.objects.all())
    themes = list(Theme.objects.all())
    commodities = list(Commodity.objects.all())

    def some_languages() -> tuple[str, ...]:
        return ("en", *rng.sample(LANGUAGES[1:], rng.randint(0, 6)))

    new_regions = Region.objects.bulk_create(
        Region(
            slug=f"bench-region-{n}",
            country=COUNTRIES[n % len(COUNTRIES)],
            kind=Region.Kind.DISTRICT,
            mining_status=Region.MiningStatus.ENDED,
            mining_ended_year=1950 + n % 70,
            population=10_000 + n,
            population_year=2024,
            population_source_title="Benchmark figure",
            latitude=Decimal(46 + (n % 20) * 0.5),
            longitude=Decimal(10 + (n % 30) * 0.5),
            **translated(rng, "name", 2, some_languages()),
            **translated(rng, "summary", 20, some_languages()),
        )
        for n in range(regions)
    )
    Region.commodities.through.objects.bulk_create(
        Region.commodities.through(region=region, commodity=rng.choice(commodities))
        for region in new_regions
    )
    partners = Partner.objects.bulk_create(
        Partner(
            slug=f"bench-partner-{n}",
            kind=Partner.Kind.MUNICIPALITY,
            country=new_regions[n % regions].country,
            region=new_regions[n % regions],
            **translated(rng, "name", 3, some_languages()),
        )
        for n in range(2 * regions)
    )
    new_projects = Project.objects.bulk_create(
        Project(
            acronym=f"BENCH{n}",
            slug=f"bench-project-{n}",
            **translated(rng, "title", 6, some_languages()),
        )
        for n in range(projects)
    )
    Membership.objects.bulk_create(
        Membership(
            project=project,
            partner=partner,
            role=Membership.Role.LEAD if index == 0 else Membership.Role.PARTNER,
        )
        for project in new_projects
        for index, partner in enumerate(rng.sample(partners, 10))
    )
    stages = list(Potential.Stage)
    statuses = [Status.PUBLISHED] * 8 + [Status.DRAFT, Status.ARCHIVED]
    new_potentials = Potential.objects.bulk_create(
        (
            Potential(
                slug=f"bench-potential-{n}",
                region=new_regions[n % regions],
                category=rng.choice(categories),
                stage=rng.choice(stages),
                status=rng.choice(statuses),
                owner=partners[n % len(partners)],
                latitude=new_regions[n % regions].latitude + Decimal(rng.random()),
                longitude=new_regions[n % regions].longitude + Decimal(rng.random()),
                area_ha=Decimal(rng.randint(1, 5000)),
                **translated(rng, "title", 4, some_languages()),
                **translated(rng, "summary", 30, some_languages()),
                **translated(rng, "description", 120, ("en",)),
            )
            for n in range(potentials)
        ),
        batch_size=1000,
    )
    Potential.legacy_types.through.objects.bulk_create(
        (
            Potential.legacy_types.through(potential=potential, legacytype=legacy)
            for potential in new_potentials
            for legacy in rng.sample(legacy_types, 2)
        ),
        batch_size=5000,
    )
    Potential.projects.through.objects.bulk_create(
        (
            Potential.projects.through(
                potential=potential, project=rng.choice(new_projects)
            )
            for potential in new_potentials
        ),
        batch_size=5000,
    )
    new_practices = GoodPractice.objects.bulk_create(
        (
            GoodPractice(
                slug=f"bench-practice-{n}",
                kind=rng.choice(list(GoodPractice.Kind)),
                status=rng.choice(statuses),
                main_institution=partners[n % len(partners)],
                owner=partners[n % len(partners)],
                region=new_regions[n % regions],
                latitude=new_regions[n % regions].latitude,
                longitude=new_regions[n % regions].longitude,
                **translated(rng, "title", 5, some_languages()),
                **translated(rng, "summary", 30, some_languages()),
                **translated(rng, "description", 120, ("en",)),
            )
            for n in range(practices)
        ),
        batch_size=1000,
    )
    GoodPractice.themes.through.objects.bulk_create(
        GoodPractice.themes.through(goodpractice=practice, theme=rng.choice(themes))
        for practice in new_practices
    )
    GoodPractice.potentials.through.objects.bulk_create(
        GoodPractice.potentials.through(
            goodpractice=practice, potential=rng.choice(new_potentials)
        )
        for practice in new_practices
    )


# --- Servers ----------------------------------------------------------------------


def start(command: list[str], env: dict, log: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **popen,
    )


def wait_for(port: int, path: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Nothing answered on {HOST}:{port}{path}")


def wait_for_redis(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Redis did not start on {HOST}:{port}")


def server_environment(database_url: str, redis_port: int) -> dict:
    """The portal's environment in a benchmark: the production settings (DEBUG
    off) with a throwaway key, plain HTTP on loopback, its own Redis as cache."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": f"redis://{HOST}:{redis_port}/0",
        "SECRET_KEY": "bench-only-" + "s" * 50,
        "DEBUG": "0",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        # The benchmark measures serving, not the refusals of the limits per
        # client address (its clients share one); they still count every request.
        "API_THROTTLE_ANON": "100000000/minute",
        "HTML_RATE_LIMIT": "100000000/minute",
        "HTML_SEARCH_RATE_LIMIT": "100000000/minute",
    }


def start_redis(port: int, workdir: Path, env: dict) -> subprocess.Popen:
    """A Redis of the benchmark's own, without persistence, ready to answer."""
    redis = start(
        [
            shutil.which("redis-server") or "redis-server",
            "--bind",
            HOST,
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        env,
        workdir / f"redis-{port}.log",
    )
    try:
        wait_for_redis(port)
    except RuntimeError:
        stop(redis)
        raise
    return redis


def start_gunicorn(
    port: int, workers: int, env: dict, log: Path, seconds: float = 120
) -> subprocess.Popen:
    """gunicorn with sync workers, answering the floor's address (each worker
    imports the portal: seconds on a busy machine)."""
    gunicorn = start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "resource_portal.wsgi",
            "--worker-class",
            "resource_portal.workers.SyncWorker",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env,
        log,
    )
    try:
        wait_for(port, "/bench/floor/", seconds)
    except RuntimeError as error:
        stop(gunicorn)
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{error}; gunicorn's log ends:\n{tail}") from None
    return gunicorn


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- Load ---------------------------------------------------------------------------


#: The status recorded for a request that got no HTTP answer (a worker killed at
#: its timeout closes the connection): counted, not fatal to the run.
NO_ANSWER = 0


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[float, int]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        while response.read(65536):
            pass
        status = response.status
    except (OSError, http.client.HTTPException):
        status = NO_ANSWER
    finally:
        connection.close()
    return time.perf_counter() - started, status


def _ready(_index: int) -> None:
    pass


def _worker(arguments) -> list[tuple[float, int]]:
    port, requests, deadline = arguments
    results = []
    for path, headers in requests:
        # time.time(), not perf_counter(): the deadline is shared by processes.
        if results and deadline is not None and time.time() > deadline:
            break
        results.append(fetch(port, path, headers))
    return results


def run(
    port: int,
    requests: list[tuple[str, dict]],
    concurrency: int,
    seconds: float | None = None,
) -> tuple[float, list[float], list[int]]:
    """Sends the requests from `concurrency` processes; with `seconds`, each
    stops sending after that long (having sent at least one): slow pages then
    take a bounded time, with fewer requests."""
    shares = [requests[index::concurrency] for index in range(concurrency)]
    with ProcessPoolExecutor(concurrency) as pool:
        # The client processes start before the clock does.
        list(pool.map(_ready, range(concurrency)))
        started = time.perf_counter()
        deadline = None if seconds is None else time.time() + seconds
        results = list(pool.map(_worker, [(port, share, deadline) for share in shares]))
        elapsed = time.perf_counter() - started
    flat = list(itertools.chain.from_iterable(results))
    return len(flat) / elapsed, [d for d, _ in flat], [s for _, s in flat]


def pooled(results: list) -> tuple[float, list[float], list[int]]:
    """Several runs of one group: the median rate, every request's latency."""
    return (
        statistics.median(rate for rate, _durations, _statuses in results),
        [d for _rate, durations, _statuses in results for d in durations],
        [s for _rate, _durations, statuses in results for s in statuses],
    )


def percentiles(durations: list[float]) -> tuple[float, float]:
    """p50 and p95 (nearest rank: the same as before for 20 or more samples in
    multiples of 20; the slowest, not one below the median, for a handful)."""
    ordered = sorted(durations)
    return statistics.median(ordered), ordered[-(-len(ordered) * 95 // 100) - 1]


def report(name: str, result, expected: set[int] = frozenset({200})) -> float:
    rate, durations, statuses = result
    p50, p95 = percentiles(durations)
    unexpected = [status for status in statuses if status not in expected]
    print(
        f"{name:<44} {rate:8.0f} req/s   p50 {p50 * 1000:7.1f} ms   "
        f"p95 {p95 * 1000:7.1f} ms   n={len(durations)}"
        + (f"   UNEXPECTED {sorted(set(unexpected))}" if unexpected else "")
    )
    return rate


def mixes(rng: random.Random, potentials: int, practices: int) -> dict:
    lists = [
        "/api/v1/potentials/",
        "/api/v1/potentials/?page_size=100",
        "/api/v1/good-practices/",
        "/api/v1/regions/",
        "/api/v1/partners/?page_size=50",
        "/api/v1/projects/",
        "/api/v1/themes/",
        "/api/v1/potentials/?lang=pl",
    ]
    filters = [
        "/api/v1/potentials/?country=de&stage=implemented",
        "/api/v1/potentials/?theme=natural-potentials&ordering=-area_ha",
        "/api/v1/potentials/?category=biomass&category=wind-energy&lang=de",
        "/api/v1/potentials/?legacy_type=mine-water&country=pl",
        "/api/v1/potentials/?bbox=12,48,16,52&format=geojson&page_size=500",
        "/api/v1/potentials/?region=bench-region-7&ordering=title",
        "/api/v1/good-practices/?kind=seminar&country=fi",
        "/api/v1/regions/?country=cz&mining_ended_min=1990&format=geojson",
        "/api/v1/projects/?partner=bench-partner-3",
    ]
    details = [
        *(f"/api/v1/potentials/bench-potential-{n}/" for n in range(0, potentials, 97)),
        *(
            f"/api/v1/good-practices/bench-practice-{n}/"
            for n in range(0, practices, 97)
        ),
        "/api/v1/regions/bench-region-5/",
        "/api/v1/projects/bench-project-2/",
        "/api/v1/partners/bench-partner-9/",
    ]
    # Published details only: the generator drafts or archives a fifth of them.
    exports = [
        "/api/v1/potentials/?format=csv&region=bench-region-1",
        "/api/v1/good-practices/?format=csv&country=si",
    ]
    return {"list": lists, "filter": filters, "detail": details, "export": exports}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/rp_api_bench"
    )
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument("--redis-port", type=int, default=8202)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--requests", type=int, default=600, help="per group, one at a time: half"
    )
    parser.add_argument(
        "--throughput-requests",
        type=int,
        default=3000,
        help="per group with all clients at once (a few seconds each: shorter runs "
        "vary with the machine's scheduling)",
    )
    parser.add_argument("--potentials", type=int, default=10_000)
    parser.add_argument("--practices", type=int, default=2_000)
    parser.add_argument("--regions", type=int, default=300)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()

    env = {
        **server_environment(args.database_url, args.redis_port),
        "CONN_MAX_AGE": "60",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="rp-api-bench-"))
    # Saves bump the API cache generation in Redis, so it runs first.
    redis = start_redis(args.redis_port, workdir, env)
    gunicorn = None
    try:
        if not args.skip_load:
            started = time.monotonic()
            create_database(args.database_url)
            load_data(args.potentials, args.practices, args.regions)
            print(f"Loaded the data set in {time.monotonic() - started:.0f} s")
        gunicorn = start_gunicorn(
            args.port, args.workers, env, workdir / "gunicorn.log"
        )
        print(
            f"gunicorn: {args.workers} sync workers on {HOST}:{args.port}; "
            f"client: {args.concurrency} processes; Redis cache on :{args.redis_port}"
        )
        rng = random.Random(7)
        groups = mixes(rng, args.potentials, args.practices)
        count = args.requests
        nonce = itertools.count()

        def uncached(paths: list[str], n: int) -> list[tuple[str, dict]]:
            # An unknown parameter changes the cache key but not the answer.
            return [
                (f"{p}{'&' if '?' in p else '?'}nocache={next(nonce)}", {})
                for p in itertools.islice(itertools.cycle(paths), n)
            ]

        def repeated(paths: list[str], n: int) -> list[tuple[str, dict]]:
            return [(p, {}) for p in itertools.islice(itertools.cycle(paths), n)]

        # Warm up (imports, connections, the cache for repeated reads) and keep
        # the addresses that answer 200: a fifth of the generated records are
        # drafts or archived, and their details answer 404.
        run(args.port, repeated(["/bench/floor/"], 200), args.concurrency)
        etags = {}
        for group, paths in groups.items():
            if group == "export":
                continue
            for path in list(paths):
                connection = http.client.HTTPConnection(HOST, args.port)
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    etags[path] = response.getheader("ETag")
                else:
                    paths.remove(path)
        print("\nLatency, one request at a time (uncached):")
        report(
            "floor: trivial Django view",
            run(args.port, repeated(["/bench/floor/"], count // 2), 1),
        )
        for group in ("list", "filter", "detail"):
            report(
                f"{group} (uncached)",
                run(args.port, uncached(groups[group], count // 2), 1),
            )
        report(
            "export, filtered CSV (uncached)",
            run(args.port, uncached(groups["export"], 20), 1),
        )
        report(
            "export, all public potentials CSV",
            run(args.port, uncached(["/api/v1/potentials/?format=csv"], 3), 1),
        )
        report(
            "search (full-text, uncached)",
            run(
                args.port,
                uncached(["/api/v1/potentials/?search=geothermal+lake"], 50),
                1,
            ),
        )

        count = args.throughput_requests
        print(f"\nThroughput, {args.concurrency} clients at once:")
        mixed = list(etags)
        report(
            "list + filter + detail mix (uncached)",
            run(args.port, uncached(mixed, count), args.concurrency),
        )
        # The floor and the repeated reads in turn, three rounds: the machine's
        # speed drifts, and each ratio compares runs a few seconds apart.
        rounds: dict[str, list] = {"floor": [], "cache": [], "304": []}
        conditional_requests = [
            (p, {"If-None-Match": etags[p]})
            for p in itertools.islice(itertools.cycle(mixed), count)
        ]
        for _round in range(3):
            rounds["floor"].append(
                run(args.port, repeated(["/bench/floor/"], count), args.concurrency)
            )
            rounds["cache"].append(
                run(args.port, repeated(mixed, count), args.concurrency)
            )
            rounds["304"].append(run(args.port, conditional_requests, args.concurrency))
        report("floor: trivial Django view", pooled(rounds["floor"]))
        report("repeated anonymous reads (cache)", pooled(rounds["cache"]))
        report(
            "conditional GET, If-None-Match (304)",
            pooled(rounds["304"]),
            expected={304},
        )
        ratios = {
            kind: statistics.median(
                result[0] / floor[0]
                for result, floor in zip(rounds[kind], rounds["floor"], strict=True)
            )
            for kind in ("cache", "304")
        }
        print(
            f"\nRepeated reads: {ratios['cache']:.0%} of the floor's throughput "
            f"(cache), {ratios['304']:.0%} (304), the median of three rounds "
            "(each against the floor measured just before it); target at least 50%."
        )
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        stop(redis)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
