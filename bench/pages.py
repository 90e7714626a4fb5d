"""Benchmark of the public pages against the framework's floor, in one run.

    .venv/bin/python bench/pages.py                       # 10k, one run; --help
    .venv/bin/python bench/pages.py --size both --runs 3 --reuse
    .venv/bin/python bench/pages.py --quick               # tiny data: does it work?

1. Prepares a database per size on the PostgreSQL server at 127.0.0.1:5432:
   `rp_bench_pages_10k` (bench/api.py's data set: 10,000 potentials, 2,000 good
   practices, 300 regions, 600 partners, 40 projects, with region profiles, 400
   publications and 300 policy instruments) and `rp_bench_pages_100k` (ten times
   each). Created afresh, or with --reuse kept from an earlier run and migrated.
2. For each run and size: its own Redis (the cache), gunicorn (4 sync workers,
   DEBUG off, the real settings plus bench/api.py's trivial view: the floor) and,
   if deploy/nginx/portal.conf.template exists, Debian's nginx with that
   configuration in front (unprivileged, its own folders), all on 127.0.0.1.
3. Every public page kind, each from a few addresses: one request at a time and
   with 4 clients, every request made unique by an ignored parameter (`_=n`) so
   that no cache answers it; then the same addresses repeated (4 clients; the
   page cache may answer), directly and through the proxy; the floor measured
   in the same run. Then the targets (issue 15), checked on the median of the
   runs, and the exit status 1 if one is missed.

The client shares the 2 cores with the server: absolute figures follow the
machine's load, the ratios to the floor measured beside them much less.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import itertools
import json
import os
import pwd
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import api  # noqa: E402

HOST = api.HOST
SERVER = "postgres://postgres@127.0.0.1:5432"
FLOOR = "/bench/floor/"
NGINX = "/usr/sbin/nginx"
PROXY_TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"
# As a browser asks: the sizes reported are what it receives.
HEADERS = {"Accept-Encoding": "gzip, deflate, br"}

# Targets (issue 15), as multiples of the floor measured in the same run.
UNCACHED_BOUND = 25  # uncached p95 of a page, × the floor's p50
SEARCH_BOUND = 40  # the same for the search results page
GROWTH_BOUND = 1.5  # p95 at 100k over p95 at 10k
REPEATED_SHARE = 0.5  # repeated views, of the floor's throughput
PROXY_SHARE = 1.0  # repeated views through the proxy, of the floor's throughput


@dataclass(frozen=True)
class Scale:
    potentials: int
    practices: int
    regions: int
    projects: int
    publications: int
    instruments: int


SIZES = {
    "10k": Scale(10_000, 2_000, 300, 40, 400, 300),
    "100k": Scale(100_000, 20_000, 3_000, 400, 4_000, 3_000),
    # --quick and tests/test_bench.py.
    "quick": Scale(200, 60, 10, 4, 12, 10),
}


def database_url(size: str) -> str:
    return f"{SERVER}/rp_bench_pages_{size}"


# --- Data -------------------------------------------------------------------------


def generate_more(scale: Scale, seed: int = 5) -> None:
    """Publications and policy instruments, which bench/api.py does not make, in
    proportion to the rest; a third of the practices improve an instrument."""
    from goodpractices.models import GoodPractice
    from regions.models import PolicyInstrument, Project, Publication, Region

    rng = random.Random(seed)

    def some_languages() -> tuple[str, ...]:
        return ("en", *rng.sample(api.LANGUAGES[1:], rng.randint(0, 6)))

    projects = list(Project.objects.filter(slug__startswith="bench-project-"))
    regions = list(Region.objects.filter(slug__startswith="bench-region-"))
    Publication.objects.bulk_create(
        (
            Publication(
                slug=f"bench-publication-{n}",
                project=projects[n % len(projects)],
                kind=rng.choice(list(Publication.Kind)),
                language=rng.choice(api.LANGUAGES),
                year=rng.randint(2005, 2025),
                url=f"https://example.org/publications/{n}",
                **api.translated(rng, "title", 6, some_languages()),
                **api.translated(rng, "summary", 40, some_languages()),
            )
            for n in range(scale.publications)
        ),
        batch_size=1000,
    )
    instruments = PolicyInstrument.objects.bulk_create(
        (
            PolicyInstrument(
                slug=f"bench-instrument-{n}",
                kind=rng.choice(list(PolicyInstrument.Kind)),
                region=regions[n % len(regions)],
                country=regions[n % len(regions)].country,
                programme=api.words(rng, 3),
                period_start=2014 + n % 7,
                period_end=2020 + n % 7,
                **api.translated(rng, "name", 5, some_languages()),
            )
            for n in range(scale.instruments)
        ),
        batch_size=1000,
    )
    PolicyInstrument.projects.through.objects.bulk_create(
        (
            PolicyInstrument.projects.through(
                policyinstrument=instrument, project=rng.choice(projects)
            )
            for instrument in instruments
        ),
        batch_size=5000,
    )
    practices = GoodPractice.objects.filter(slug__startswith="bench-practice-")
    GoodPractice.policy_instruments.through.objects.bulk_create(
        (
            GoodPractice.policy_instruments.through(
                goodpractice_id=pk, policyinstrument=rng.choice(instruments)
            )
            for pk in practices.values_list("pk", flat=True)[::3]
        ),
        batch_size=5000,
    )


@contextlib.contextmanager
def without_indexes(tables: list[str]):
    """For a bulk load: the tables' secondary indexes dropped, then built again
    at once. Fourteen GIN indexes (search, prefixes) kept up to date row by row
    are most of the cost of inserting potentials."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)


def prepare(size: str, url: str, reuse: bool) -> None:
    """Makes (or with `reuse` keeps and migrates) the size's database: run in a
    process of its own, whose Django is set up for that database."""
    import django

    scale = SIZES[size]
    if reuse and api.database_exists(url):
        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        from regions.models import Publication
        from search.models import SearchWord

        started = time.monotonic()
        # The data is kept; the schema (an index, a table) follows the code.
        call_command("migrate", verbosity=0, interactive=False)
        have = Publication.objects.filter(slug__startswith="bench-").count()
        if have == scale.publications and SearchWord.objects.exists():
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(
                f"{size}: reused {url.rsplit('/', 1)[1]}, migrated and analysed "
                f"in {time.monotonic() - started:.0f} s",
                flush=True,
            )
            return
        print(f"{size}: {url} is incomplete: generating it afresh", flush=True)
        connections.close_all()
    generate_database(size, url)


def generate_database(size: str, url: str) -> None:
    import django

    scale = SIZES[size]
    steps = []
    started = last = time.monotonic()

    def step(name: str) -> None:
        nonlocal last
        now = time.monotonic()
        steps.append(f"{name} {now - last:.0f} s")
        last = now

    print(f"{size}: generating {url.rsplit('/', 1)[1]}…", flush=True)
    api.create_database(url)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.similarity import add_region_profiles
    from search.vocabulary import search_index_rebuild

    call_command("migrate", verbosity=0, interactive=False)
    step("migrate")
    with without_indexes(["potentials_potential", "goodpractices_goodpractice"]):
        api.generate(
            scale.potentials, scale.practices, scale.regions, projects=scale.projects
        )
        step("seed content and records (bench/api.py)")
    step("their indexes")
    add_region_profiles()
    generate_more(scale)
    step("profiles, publications, instruments")
    # bulk_create bypasses save(): the search vectors are generated columns, the
    # typo vocabulary (the suggestions) is not.
    search_index_rebuild(vectors=False)
    step("search vocabulary")
    # What autovacuum does soon after a bulk load: statistics for the planner,
    # the visibility map for index-only counts.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        step("VACUUM ANALYZE")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        (database_size,) = cursor.fetchone()
    print(
        f"{size}: generated in {time.monotonic() - started:.0f} s "
        f"({', '.join(steps)}); {database_size}",
        flush=True,
    )


# --- Pages ------------------------------------------------------------------------


@dataclass
class Kind:
    name: str
    paths: list[str]
    #: The uncached p95's bound, × the floor's p50.
    bound: float = UNCACHED_BOUND
    #: Addresses of records that may be drafts (404): left out, not failures.
    details: bool = False


def spread(count: int, wanted: int) -> list[int]:
    """`wanted` numbers from 0 to count - 1, evenly apart."""
    step = max(1, count // wanted)
    return list(range(0, count, step))[:wanted]


def page_kinds(scale: Scale) -> list[Kind]:
    """Every public page kind, each with the addresses it is measured on."""
    languages = itertools.cycle(api.LANGUAGES)

    def details(path: str, prefix: str, count: int) -> list[str]:
        # Twice as many as kept: a fifth of the potentials and practices are drafts.
        return [
            f"/{next(languages)}/{path}/bench-{prefix}-{n}/" for n in spread(count, 16)
        ]

    lists = {
        "potentials": (
            "potentials",
            [
                "?country=de&stage=implemented",
                "?theme=natural-potentials&legacy_type=mine-water",
                "?category=biomass&category=wind-energy",
                "?region=bench-region-7&project=bench-project-1",
            ],
            ["?sort=title&page=50", "?page=50", "?sort=newest&page=50"],
        ),
        "good practices": (
            "good-practices",
            [
                "?kind=seminar&country=fi",
                "?theme=natural-potentials&status=ongoing",
                "?category=biomass&legacy_type=mine-water",
            ],
            ["?sort=title&page=50", "?sort=newest&page=50"],
        ),
        "regions": (
            "regions",
            [
                "?country=cz&mining_status=ended",
                "?legacy_type=mine-water",
                "?mining_ended_min=1990&commodity=lignite",
            ],
            ["?sort=country&page=50", "?page=50"],
        ),
        "partners": (
            "partners",
            ["?country=pl&kind=municipality", "?project=bench-project-2"],
            ["?sort=country&page=50", "?page=50"],
        ),
        "projects": (
            "projects",
            ["?partner=bench-partner-3", "?country=de"],
            ["?sort=newest&page=50", "?page=50"],
        ),
        "publications": (
            "publications",
            ["?kind=handbook", "?project=bench-project-1&language=en"],
            ["?sort=title&page=50", "?page=50"],
        ),
        "policy instruments": (
            "policy-instruments",
            ["?kind=regional_strategy&country=de", "?project=bench-project-3"],
            ["?sort=name&page=50", "?sort=newest&page=50"],
        ),
    }
    kinds = [Kind("home", ["/en/", "/de/", "/pl/"])]
    for name, (path, filtered, deep) in lists.items():
        kinds += [
            Kind(f"{name}", [f"/en/{path}/", f"/de/{path}/"]),
            Kind(
                f"{name}, filtered",
                [
                    f"/{lang}/{path}/{q}"
                    for lang, q in zip(languages, filtered, strict=False)
                ],
            ),
            Kind(
                f"{name}, sorted, page 50",
                [
                    f"/{lang}/{path}/{q}"
                    for lang, q in zip(languages, deep, strict=False)
                ],
            ),
        ]
    kinds += [
        Kind(
            "potential",
            details("potentials", "potential", scale.potentials),
            details=True,
        ),
        Kind(
            "good practice",
            details("good-practices", "practice", scale.practices),
            details=True,
        ),
        Kind("region", details("regions", "region", scale.regions), details=True),
        Kind(
            "partner", details("partners", "partner", 2 * scale.regions), details=True
        ),
        Kind("project", details("projects", "project", scale.projects), details=True),
        Kind(
            "publication",
            details("publications", "publication", scale.publications),
            details=True,
        ),
        Kind(
            "policy instrument",
            details("policy-instruments", "instrument", scale.instruments),
            details=True,
        ),
        Kind(
            "utilisation matrix", ["/en/utilisation-matrix/", "/de/utilisation-matrix/"]
        ),
        Kind("statistics", ["/en/statistics/", "/pl/statistics/"]),
        Kind(
            "search results",
            [
                "/en/search/?q=geothermal+lake",
                "/de/search/?q=heritage",
                "/en/search/?q=mine+water+museum",
                "/en/search/?q=geotermal",  # a typo: the corrected search
            ],
            bound=SEARCH_BOUND,
        ),
        Kind(
            "search suggestions",
            [
                "/en/search/suggest/?q=geo",
                "/en/search/suggest/?q=herit",
                "/de/search/suggest/?q=lak",
                "/en/search/suggest/?q=tun",
            ],
        ),
        Kind(
            "feeds",
            [
                "/en/feeds/potentials/",
                "/en/feeds/good-practices/",
                "/en/potentials/feed.atom?country=de",
                "/de/good-practices/feed.atom?kind=seminar",
            ],
        ),
        Kind("sitemap index", ["/sitemap.xml"]),
        # Its addresses come from the index (discover()).
        Kind("sitemap section", []),
    ]
    return kinds


def sitemap_section(document: bytes) -> str | None:
    """The address (path and query) of a section named by a sitemap index, the
    potentials' if there is one; None for a plain sitemap (no index)."""
    root = ElementTree.fromstring(document)
    if not root.tag.endswith("sitemapindex"):
        return None
    locations = [
        element.text.strip()
        for element in root.iter()
        if element.tag.endswith("loc") and element.text
    ]
    if not locations:
        return None
    chosen = next((loc for loc in locations if "potential" in loc), locations[0])
    parts = urlsplit(chosen)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes  # as sent (compressed or not)

    def text(self) -> bytes:
        if self.headers.get("content-encoding") == "gzip":
            return gzip.decompress(self.body)
        return self.body


def get(port: int, path: str, headers: dict | None = None) -> Answer:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers={**HEADERS, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            body,
        )
    finally:
        connection.close()


@dataclass
class Found:
    """A page kind as it answered once each address (which warms the caches)."""

    kind: Kind
    paths: list[str]
    bytes: int = 0
    encoding: str = ""
    cache_control: str = ""
    problem: str = ""


def discover(port: int, kinds: list[Kind]) -> list[Found]:
    found = []
    answers: dict[str, Answer] = {}
    for kind in kinds:
        paths = list(kind.paths)
        problem = ""
        if kind.name == "sitemap section":
            index = answers.get("/sitemap.xml") or get(port, "/sitemap.xml")
            section = sitemap_section(index.text()) if index.status == 200 else None
            if section:
                paths = [section]
            else:
                problem = "no sitemap index (sitemap.xml is one file)"
        kept, first, statuses = [], None, []
        for path in paths:
            try:
                answer = get(port, path)
            except OSError as error:
                statuses.append(type(error).__name__)
                continue
            answers[path] = answer
            statuses.append(str(answer.status))
            if answer.status == 200:
                kept.append(path)
                first = first or answer
        if kind.details:
            kept = kept[:8]
        entry = Found(kind, kept, problem=problem)
        if first:
            entry.bytes = len(first.body)
            entry.encoding = first.headers.get("content-encoding", "")
            entry.cache_control = first.headers.get("cache-control", "")
        unexpected = [
            s for s in statuses if s != "200" and not (kind.details and s == "404")
        ]
        if not problem and (unexpected or not kept):
            problem = "answered " + ", ".join(sorted(set(unexpected)) or ["nothing"])
        if problem:
            entry.paths = []
        entry.problem = problem
        found.append(entry)
    return found


# --- The proxy --------------------------------------------------------------------


def render_template(template: str, values: dict[str, str]) -> tuple[str, set[str]]:
    """`${NAME}` replaced from `values`, as the nginx image's envsubst step does
    with the environment; the names it does not know, in capitals, returned (nginx's
    own variables, `${host}`, are lower case and left as they are)."""
    missing = set()

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            return str(values[name])
        if name.isupper():
            missing.add(name)
        return match.group(0)

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", substitute, template), missing


MAIN_CONFIG = """\
# The nginx image's main configuration, unprivileged, in a folder of the run's.
daemon off;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {prefix}/temp/client_body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include {prefix}/conf.d/*.conf;
}}
"""


def start_proxy(
    port: int,
    upstream: int,
    prefix: Path,
    static_root: Path,
    extra: dict,
    template: Path = PROXY_TEMPLATE,
) -> tuple[subprocess.Popen | None, str]:
    """nginx with the compose proxy's configuration in front of gunicorn, or
    None and why not."""
    if not template.exists():
        return None, f"{template} does not exist"
    if not Path(NGINX).exists():
        return None, f"{NGINX} is not installed"
    values = {
        "NGINX_PORT": str(port),
        "UPSTREAM": f"{HOST}:{upstream}",
        "NGINX_CACHE_DIR": str(prefix / "cache"),
        "STATIC_DIR": str(static_root),
        "MEDIA_DIR": str(prefix / "media"),
        "SITE_ADDRESS": HOST,
        **extra,
    }
    text, missing = render_template(template.read_text(), values)
    if missing:
        return None, (
            f"{template.name} names {', '.join(sorted(missing))}: "
            "give each a value with --proxy-var NAME=VALUE"
        )
    for folder in ("conf.d", "cache", "media", "temp"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    (prefix / "conf.d" / "portal.conf").write_text(text)
    # For an `include mime.types;` relative to the configuration's folder.
    (prefix / "mime.types").write_text(Path("/etc/nginx/mime.types").read_text())
    (prefix / "nginx.conf").write_text(MAIN_CONFIG.format(prefix=prefix))
    command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    command += ["-e", str(prefix / "error.log")]
    user = {}
    if os.geteuid() == 0:
        # Never as root: nginx's workers would be `nobody` anyway, unable to
        # write to root's folders; the whole server runs as that user instead.
        nobody = pwd.getpwnam("nobody")
        user = {"user": nobody.pw_uid, "group": nobody.pw_gid}
        for folder in (prefix.parent.parent, prefix.parent):
            folder.chmod(0o755)
        for path in [prefix, *prefix.rglob("*")]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, **user)
    if check.returncode:
        return None, "nginx -t: " + check.stderr.strip().replace("\n", "; ")
    proxy = api.start(command, os.environ.copy(), prefix / "nginx.out", **user)
    try:
        api.wait_for(port, FLOOR)
    except RuntimeError as error:
        api.stop(proxy)
        return None, str(error)
    return proxy, ""


# --- Measurement ------------------------------------------------------------------


@dataclass
class Options:
    requests: int  # per kind, one at a time; twice that with 4 clients
    repeated: int  # per kind, repeated views with 4 clients
    throughput: int  # per round of the repeated mix
    seconds: float  # at most, per kind and way of asking
    round_seconds: float
    concurrency: int = 4
    floor: int = 300


@dataclass
class Run:
    size: str
    number: int
    started: str
    load: float
    floor: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    rounds: list = field(default_factory=list)
    proxy_note: str = ""
    proxy_cache: dict = field(default_factory=dict)


def _stats(result) -> dict:
    rate, durations, statuses = result
    p50, p95 = api.percentiles(durations)
    return {
        "rate": rate,
        "p50": p50 * 1000,
        "p95": p95 * 1000,
        "n": len(durations),
        "errors": sorted({s for s in statuses if s != 200}),
    }


def progress(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S', time.gmtime())} {text}…", file=sys.stderr)


def measure(
    port: int, proxy_port: int | None, found: list[Found], options: Options, run: Run
) -> None:
    nonce = itertools.count()

    def uncached(paths: list[str], n: int) -> list[tuple[str, dict]]:
        # An unknown parameter: the same page, not the same address (cache key).
        return [
            (f"{p}{'&' if '?' in p else '?'}_={next(nonce)}", HEADERS)
            for p in itertools.islice(itertools.cycle(paths), n)
        ]

    def repeated(paths: list[str], n: int) -> list[tuple[str, dict]]:
        return [(p, HEADERS) for p in itertools.islice(itertools.cycle(paths), n)]

    four = options.concurrency
    burst = repeated([FLOOR], 40 * four)
    # The floor's p95 in a burst, when all workers are up: settle()'s reference.
    reference = max(_stats(api.run(port, burst, four))["p95"] for _ in range(2))

    def settle() -> None:
        """After requests without an answer or a 500 (a worker killed at its
        timeout), until the workers are back, 30 s at most: the next figures
        would measure their start."""
        deadline = time.monotonic() + 30
        calm = 0
        while calm < 2 and time.monotonic() < deadline:
            figures = _stats(api.run(port, burst, four))
            ok = not figures["errors"] and figures["p95"] <= 3 * reference
            calm = calm + 1 if ok else 0
            if not ok:
                time.sleep(2)

    def timed(
        target: int, requests: list, clients: int, seconds: float | None = None
    ) -> dict:
        figures = _stats(api.run(target, requests, clients, seconds=seconds))
        if {api.NO_ANSWER, 500} & set(figures["errors"]):
            settle()
        return figures

    measured = [entry for entry in found if entry.paths]
    progress(f"{run.size}, run {run.number}: uncached, one request at a time")
    floor_before = api.run(port, repeated([FLOOR], options.floor), 1)
    for entry in measured:
        run.kinds[entry.kind.name] = {
            "one": timed(
                port, uncached(entry.paths, options.requests), 1, options.seconds
            )
        }
    floor_after = api.run(port, repeated([FLOOR], options.floor), 1)
    run.floor["one"] = _stats(api.pooled([floor_before, floor_after]))
    run.floor["four"] = timed(port, repeated([FLOOR], options.throughput), four)
    progress(f"{run.size}, run {run.number}: uncached and repeated, 4 clients")
    for entry in measured:
        figures = run.kinds[entry.kind.name]
        figures["four"] = timed(
            port, uncached(entry.paths, 2 * options.requests), four, options.seconds
        )
        figures["repeated"] = timed(
            port, repeated(entry.paths, options.repeated), four, options.seconds
        )
        if proxy_port:
            figures["proxy"] = timed(
                proxy_port,
                repeated(entry.paths, options.repeated),
                four,
                options.seconds,
            )
    # The floor and the repeated mix in turn, three rounds: the machine's speed
    # drifts, and each ratio compares runs seconds apart (as bench/api.py).
    mix = [path for entry in measured for path in entry.paths]
    progress(f"{run.size}, run {run.number}: the repeated mix and the floor")
    for _round in range(3):
        row = {"floor": timed(port, repeated([FLOOR], options.throughput), four)}
        row["repeated"] = timed(
            port, repeated(mix, options.throughput), four, options.round_seconds
        )
        if proxy_port:
            row["proxy"] = timed(
                proxy_port,
                repeated(mix, options.throughput),
                four,
                options.round_seconds,
            )
        run.rounds.append(row)


def proxy_cache_statuses(proxy_port: int, found: list[Found]) -> dict[str, int]:
    """What the proxy says of its cache (X-Cache-Status or the like, if its
    configuration adds one) for a repeated view of every address."""
    counts: dict[str, int] = {}
    for entry in found:
        for path in entry.paths:
            get(proxy_port, path)
            headers = get(proxy_port, path).headers
            status = next(
                (
                    headers[name]
                    for name in ("x-cache-status", "x-proxy-cache", "x-cache")
                    if name in headers
                ),
                "not said",
            )
            counts[status] = counts.get(status, 0) + 1
    return counts


# --- Report -----------------------------------------------------------------------


def _ratio(value: float, floor: float) -> float:
    return value / floor if floor else float("inf")


def print_run(run: Run, found: list[Found]) -> None:
    floor = run.floor["one"]["p50"]
    floor_rate = run.floor["four"]["rate"]
    print(
        f"\n{run.size}, run {run.number} ({run.started} UTC, load average "
        f"{run.load:.1f}): floor p50 {floor:.1f} ms, p95 "
        f"{run.floor['one']['p95']:.1f} ms one at a time; "
        f"{floor_rate:.0f} req/s with 4 clients"
    )
    print(
        f"{'page':<34} {'KB':>6}  {'uncached, 1 client':>22} {'p95':>6}  "
        f"{'4 clients':>16}  {'repeated':>15}  {'proxy':>15}"
    )
    print(
        f"{'':<34} {'sent':>6}  {'p50 ms':>10} {'p95 ms':>11} {'×floor':>6}  "
        f"{'p50':>7} {'p95 ms':>8}  {'req/s':>7} {'%floor':>7}  "
        f"{'req/s':>7} {'%floor':>7}"
    )
    for entry in found:
        name = entry.kind.name
        if entry.problem:
            print(f"{name:<34} {entry.problem}")
            continue
        k = run.kinds[name]
        one, four, rep = k["one"], k["four"], k["repeated"]
        proxy = k.get("proxy")
        errors = sorted({e for mode in k.values() for e in mode["errors"]}, key=str)
        print(
            f"{name:<34} {entry.bytes / 1024:6.0f}{'z' if entry.encoding else ' '} "
            f"{one['p50']:10.1f} {one['p95']:11.1f} "
            f"{_ratio(one['p95'], floor):5.0f}×  "
            f"{four['p50']:7.1f} {four['p95']:8.1f}  "
            f"{rep['rate']:7.0f} {_ratio(rep['rate'], floor_rate):7.0%}  "
            + (
                f"{proxy['rate']:7.0f} {_ratio(proxy['rate'], floor_rate):7.0%}"
                if proxy
                else f"{'—':>7} {'—':>7}"
            )
            + (f"  ERRORS {errors}" if errors else "")
        )
    print("(KB sent: z = compressed; n per page: " + _counts(run) + ")")
    for number, row in enumerate(run.rounds, 1):
        line = (
            f"round {number}: floor {row['floor']['rate']:.0f} req/s, repeated mix "
            f"{row['repeated']['rate']:.0f} req/s "
            f"({_ratio(row['repeated']['rate'], row['floor']['rate']):.0%})"
        )
        if "proxy" in row:
            line += (
                f", through the proxy {row['proxy']['rate']:.0f} req/s "
                f"({_ratio(row['proxy']['rate'], row['floor']['rate']):.0%})"
            )
        print(line)
    if run.proxy_note:
        print(f"Proxy: not measured: {run.proxy_note}")
    elif run.proxy_cache:
        print(
            "Proxy's cache on a second view of each address: "
            + ", ".join(f"{k} {v}" for k, v in sorted(run.proxy_cache.items()))
        )


def _counts(run: Run) -> str:
    ones = [k["one"]["n"] for k in run.kinds.values()]
    fours = [k["four"]["n"] for k in run.kinds.values()]
    if not ones:
        return "none"
    return (
        f"1 client {min(ones)}–{max(ones)}, 4 clients {min(fours)}–{max(fours)}; "
        "fewer where a page took its time budget"
    )


def _spread(values: list[float], fmt: str) -> str:
    middle = statistics.median(values)
    if len(values) == 1:
        return format(middle, fmt)
    return (
        f"{format(middle, fmt)} [{format(min(values), fmt)}–{format(max(values), fmt)}]"
    )


def summarise(size: str, runs: list[Run], kinds: list[Kind]) -> tuple[dict, list]:
    """Per kind, the median over the runs (and their spread); the targets."""
    checks = []
    summary = {}
    print(f"\n{size}: {len(runs)} run(s), the median [lowest–highest] of the runs")
    print(
        f"{'page':<34} {'p50 ms':>18} {'p95 ms':>20} {'p95 × floor p50':>18} "
        f"{'repeated %floor':>17} {'proxy %floor':>17}"
    )
    for kind in kinds:
        per_run = [run.kinds[kind.name] for run in runs if kind.name in run.kinds]
        if len(per_run) < len(runs) or not per_run:
            print(f"{kind.name:<34} not measured in every run")
            checks.append(
                (
                    f"{size} {kind.name}: uncached p95 ≤ {kind.bound}× floor p50",
                    False,
                    "not measured",
                )
            )
            continue
        floors = [run.floor["one"]["p50"] for run in runs]
        floor_rates = [run.floor["four"]["rate"] for run in runs]
        p50 = [k["one"]["p50"] for k in per_run]
        p95 = [k["one"]["p95"] for k in per_run]
        times = [q / f for q, f in zip(p95, floors, strict=True)]
        repeated = [
            k["repeated"]["rate"] / f for k, f in zip(per_run, floor_rates, strict=True)
        ]
        proxy = [
            k["proxy"]["rate"] / f
            for k, f in zip(per_run, floor_rates, strict=True)
            if "proxy" in k
        ]
        summary[kind.name] = {
            "p50": statistics.median(p50),
            "p95": statistics.median(p95),
            "times_floor": statistics.median(times),
            "repeated_share": statistics.median(repeated),
            "proxy_share": statistics.median(proxy) if proxy else None,
        }
        print(
            f"{kind.name:<34} {_spread(p50, '.1f'):>18} {_spread(p95, '.1f'):>20} "
            f"{_spread(times, '.0f'):>18} "
            f"{_spread([r * 100 for r in repeated], '.0f'):>17} "
            f"{_spread([r * 100 for r in proxy], '.0f') if proxy else '—':>17}"
        )
        median = statistics.median(times)
        checks.append(
            (
                f"{size} {kind.name}: uncached p95 ≤ {kind.bound}× floor p50",
                median <= kind.bound,
                f"{median:.1f}×",
            )
        )
    rounds = [row for run in runs for row in run.rounds]
    if rounds:
        share = statistics.median(
            row["repeated"]["rate"] / row["floor"]["rate"] for row in rounds
        )
        checks.append(
            (
                f"{size} repeated views (the mix of every page): ≥ "
                f"{REPEATED_SHARE:.0%} of the floor's throughput",
                share >= REPEATED_SHARE,
                f"{share:.0%}",
            )
        )
        low = [
            name
            for name, figures in summary.items()
            if figures["repeated_share"] < REPEATED_SHARE
        ]
        checks.append(
            (
                f"{size} repeated views of each page: ≥ {REPEATED_SHARE:.0%} of the "
                "floor's throughput",
                not low,
                f"below: {', '.join(low)}" if low else "every page",
            )
        )
        proxied = [row for row in rounds if "proxy" in row]
        if proxied:
            share = statistics.median(
                row["proxy"]["rate"] / row["floor"]["rate"] for row in proxied
            )
            checks.append(
                (
                    f"{size} repeated views through the proxy (the mix): ≥ the "
                    "floor's throughput",
                    share >= PROXY_SHARE,
                    f"{share:.0%}",
                )
            )
    return summary, checks


def growth(small: dict, large: dict) -> list:
    """10k → 100k, per kind: the p95 as a multiple of its run's floor p50 (which
    takes out the machine's drift between the runs), and as measured."""
    print("\nGrowth from 10k to 100k records (p95; × floor, and in ms):")
    checks = []
    for name in small.keys() & large.keys():
        ratio = large[name]["times_floor"] / small[name]["times_floor"]
        raw = large[name]["p95"] / small[name]["p95"]
        print(f"  {name:<34} {ratio:5.2f}× (in ms {raw:5.2f}×)")
        checks.append(
            (
                f"growth of {name}'s p95 10k → 100k ≤ {GROWTH_BOUND}×",
                ratio <= GROWTH_BOUND,
                f"{ratio:.2f}×",
            )
        )
    return checks


# --- Main -------------------------------------------------------------------------


def _prepare_in_child(size: str, url: str, reuse: bool, env: dict) -> None:
    command = [sys.executable, __file__, "--prepare", size, "--database-url", url]
    subprocess.run(command + (["--reuse"] if reuse else []), env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=["10k", "100k", "both"], default="10k")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the databases of an earlier run (migrated first); without it "
        "they are generated afresh (100k: several minutes)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a tiny data set (rp_bench_pages_quick) and a few requests",
    )
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--proxy-port", type=int, default=8151)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--requests", type=int, default=60, help="per page kind")
    parser.add_argument(
        "--repeated-requests", type=int, default=400, help="per page kind"
    )
    parser.add_argument(
        "--throughput-requests", type=int, default=3000, help="per round"
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=6,
        help="time budget per page kind and way of asking (slow pages get "
        "fewer requests)",
    )
    parser.add_argument(
        "--proxy-template",
        type=Path,
        default=PROXY_TEMPLATE,
        help="the proxy's configuration (default: %(default)s)",
    )
    parser.add_argument(
        "--proxy-var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value for a ${NAME} of the proxy's template",
    )
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="make (or with --reuse migrate) the databases, measure nothing",
    )
    parser.add_argument("--json", type=Path, help="write every figure there")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.prepare:
        prepare(args.prepare, args.database_url, args.reuse)
        return

    sizes = {"both": ["10k", "100k"]}.get(args.size, [args.size])
    options = Options(
        requests=args.requests,
        repeated=args.repeated_requests,
        throughput=args.throughput_requests,
        seconds=args.seconds,
        round_seconds=max(20.0, args.seconds),
    )
    if args.quick:
        sizes = ["quick"]
        args.runs = 1
        options = Options(
            requests=4,
            repeated=20,
            throughput=100,
            seconds=1,
            round_seconds=2,
            floor=20,
        )
    extra = dict(item.split("=", 1) for item in args.proxy_var)
    workdir = Path(tempfile.mkdtemp(prefix="rp-bench-pages-"))
    static_root = workdir / "static"
    base_env = {
        **api.server_environment(database_url(sizes[0]), args.redis_port),
        "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
        "BENCH_STATIC_ROOT": str(static_root),
    }
    results: dict = {"sizes": {}, "generated": {}}
    runs: dict[str, list[Run]] = {size: [] for size in sizes}
    try:
        for size in sizes:
            # The data is made by Django in a process of its own for each database.
            env = {
                **base_env,
                "DATABASE_URL": database_url(size),
                "CACHE_URL": "locmemcache://",
                # A bulk insert is no web request (as for manage.py commands).
                "DATABASE_STATEMENT_TIMEOUT": "0",
            }
            started = time.monotonic()
            _prepare_in_child(size, database_url(size), args.reuse or args.quick, env)
            results["generated"][size] = time.monotonic() - started
        if args.prepare_only:
            return
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=base_env,
            check=True,
        )
        print(f"Static files collected in {time.monotonic() - started:.0f} s")
        print(
            f"gunicorn: {args.workers} sync workers on {HOST}:{args.port}, DEBUG off, "
            f"CONN_MAX_AGE {os.environ.get('CONN_MAX_AGE', 'as the settings say')}; "
            f"Redis :{args.redis_port}; proxy :{args.proxy_port}; clients 1 and 4; "
            f"{os.cpu_count()} CPUs"
        )
        kinds_by_size = {}
        for number in range(1, args.runs + 1):
            for size in sizes:
                kinds = page_kinds(SIZES[size])
                kinds_by_size[size] = kinds
                run = Run(
                    size,
                    number,
                    time.strftime("%H:%M", time.gmtime()),
                    os.getloadavg()[0],
                )
                found = serve_and_measure(
                    size, run, kinds, options, args, base_env, workdir, extra
                )
                print_run(run, found)
                runs[size].append(run)
        checks = []
        summaries = {}
        for size in sizes:
            summaries[size], size_checks = summarise(
                size, runs[size], kinds_by_size[size]
            )
            checks += size_checks
        if "10k" in summaries and "100k" in summaries:
            checks += growth(summaries["10k"], summaries["100k"])
        print("\nTargets (issue 15), on the median of the runs:")
        for name, met, figure in checks:
            print(f"  {'met   ' if met else 'MISSED'} {name}: {figure}")
        every = all(met for _name, met, _figure in checks)
        print(f"\nAll targets met: {'yes' if every else 'NO'}")
        if args.json:
            results["sizes"] = {
                size: [vars(run) for run in runs[size]] for size in sizes
            }
            results["summaries"] = summaries
            results["targets"] = [list(check) for check in checks]
            args.json.write_text(json.dumps(results, indent=1))
        if not every:
            sys.exit(1)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def serve_and_measure(
    size: str,
    run: Run,
    kinds: list[Kind],
    options: Options,
    args,
    base_env: dict,
    workdir: Path,
    extra: dict,
) -> list[Found]:
    """Its own Redis, gunicorn and proxy for one run on one size, then stopped."""
    env = {
        **base_env,
        "DATABASE_URL": database_url(size),
        "CACHE_URL": f"redis://{HOST}:{args.redis_port}/0",
    }
    folder = workdir / f"{size}-{run.number}"
    folder.mkdir()
    redis = api.start_redis(args.redis_port, folder, env)
    gunicorn = proxy = None
    try:
        gunicorn = api.start_gunicorn(
            args.port, args.workers, env, folder / "gunicorn.log"
        )
        proxy, run.proxy_note = start_proxy(
            args.proxy_port,
            args.port,
            folder / "nginx",
            workdir / "static",
            extra,
            args.proxy_template,
        )
        api.run(args.port, [(FLOOR, {})] * 200, options.concurrency)
        found = discover(args.port, kinds)
        if proxy:
            run.proxy_cache = proxy_cache_statuses(args.proxy_port, found)
        measure(args.port, args.proxy_port if proxy else None, found, options, run)
        return found
    finally:
        for process in (proxy, gunicorn, redis):
            if process is not None:
                api.stop(process)


if __name__ == "__main__":
    main()
