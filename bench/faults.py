"""Mixed reads through gunicorn while Redis and then the database fail, in one run.

    .venv/bin/python bench/faults.py            # --quick for a shorter run, --help

1. Starts everything it uses, on 127.0.0.1 only, and nothing else: a PostgreSQL
   server of its own (the system's PostgreSQL 15 binaries, a new cluster in a
   temporary folder, port 55437) loaded with `migrate` and `load_seed_content`; a
   Redis server of its own (port 6397, the cache); gunicorn (3 sync workers as in
   docker-compose.yml, port 8107) with the real settings, DEBUG off.
2. Four client threads send anonymous reads one after another without pause (API
   lists, records and searches; the HTML home, lists, records and search; GeoJSON)
   while the run goes through its phases, each fault measured on its own:

       normal | Redis down | Redis back | DB paused | DB back | DB down | DB restarted
       0–20 s   20–40 s      40–60 s      8 s         4 s       8 s       4 s

   Redis is killed (SIGKILL) and started again empty; the database is first paused
   (SIGSTOP to the server and all its processes: it accepts connections and never
   answers, as a hung server does), then stopped (it refuses connections) and
   started again.
3. Prints, per phase, the requests sent, their statuses and their latency, with the
   rate and p95 as multiples of the normal phase's in the same run, then checks the
   targets: no 5xx in the Redis phases; 503s only while the database is away, each
   with Retry-After; answers within a few seconds (p95) during every fault. The
   exit status is 1 when a target is missed.

Each answer is counted in the phase in which its request was sent, or, when a
fault began before the answer came, in that fault's phase. Everything the run
started stops at the end, also on Ctrl-C, and its temporary folder is removed.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import start, stop, wait_for_redis  # noqa: E402

HOST = "127.0.0.1"
PG_BIN = "/usr/lib/postgresql/15/bin"
DATABASE = "rp_faults"
NO_ANSWER = 0  # The status recorded for a request that got no HTTP answer.
SEARCHES = [
    "geothermal",
    "mine+water",
    "heritage",
    "lake",
    "Bergbau",
    "turystyka",
    "geotermal",  # a typo: the suggestions' path
    "biomass+energy",
]


# --- Servers ----------------------------------------------------------------------


def port_taken(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


class Postgres:
    """A cluster of our own, run as the `postgres` user when we are root (the
    server refuses to run as root)."""

    def __init__(self, folder: Path, port: int, binaries: Path) -> None:
        self.binaries = binaries
        self.data = folder / "pgdata"
        self.folder = folder
        self.port = port
        self.process: subprocess.Popen | None = None
        self.paused: list = []
        self.user = {}
        if os.geteuid() == 0:
            self.user = {"user": "postgres", "group": "postgres"}
            shutil.chown(folder, "postgres", "postgres")

    def init(self) -> None:
        subprocess.run(
            [
                self.binaries / "initdb",
                "--pgdata",
                self.data,
                "--username",
                "postgres",
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **self.user,
        )

    def start(self) -> None:
        log = self.folder / "postgres.log"
        self.process = subprocess.Popen(
            [
                self.binaries / "postgres",
                "-D",
                self.data,
                "-p",
                str(self.port),
                "-c",
                f"listen_addresses={HOST}",
                "-c",
                f"unix_socket_directories={self.folder}",
                # Reads are what is measured; the load needs no crash safety.
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
            ],
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **self.user,
        )
        self.wait_ready()

    def wait_ready(self, seconds: float = 30) -> None:
        import psycopg

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start on {HOST}:{self.port}")

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def pause(self) -> None:
        """Every process of the server stopped: connections are accepted by the
        kernel and then nothing answers. Each backend is a process group of its
        own, so each is stopped by itself, after the postmaster (which then
        starts no new one)."""
        import psutil

        postmaster = psutil.Process(self.process.pid)
        postmaster.send_signal(signal.SIGSTOP)
        self.paused = [postmaster]
        for child in postmaster.children(recursive=True):
            try:
                child.send_signal(signal.SIGSTOP)
                self.paused.append(child)
            except psutil.NoSuchProcess:
                pass

    def resume(self) -> None:
        import psutil

        for process in reversed(self.paused):
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)
        self.paused = []

    def stop(self) -> None:
        """A fast shutdown: sessions ended, new connections refused."""
        self.resume()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Redis:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.process: subprocess.Popen | None = None
        self.paused = False

    def start(self) -> None:
        self.process = start(
            [
                shutil.which("redis-server") or "redis-server",
                "--bind",
                HOST,
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            os.environ.copy(),
            self.folder / f"redis-{time.monotonic_ns()}.log",
        )
        wait_for_redis(self.port)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.process.send_signal(signal.SIGCONT)
            self.paused = False

    def stop(self) -> None:
        self.resume()
        if self.process is not None:
            stop(self.process)


def wait_for_http(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=10)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{HOST}:{port}{path} did not answer 200")


def manage(env: dict, *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


# --- Load -------------------------------------------------------------------------


@dataclass
class Answer:
    sent: float  # time.monotonic()
    seconds: float
    group: str
    path: str
    status: int  # NO_ANSWER when none came
    retry_after: bool = False
    json: bool = False


def fetch(port: int, path: str, timeout: float) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def ask(port: int, group: str, path: str, timeout: float) -> Answer:
    sent = time.monotonic()
    try:
        status, headers, _body = fetch(port, path, timeout)
    except (OSError, http.client.HTTPException):
        return Answer(sent, time.monotonic() - sent, group, path, NO_ANSWER)
    headers = {name.lower(): value for name, value in headers.items()}
    return Answer(
        sent,
        time.monotonic() - sent,
        group,
        path,
        status,
        retry_after="retry-after" in headers,
        json="json" in headers.get("content-type", ""),
    )


def slugs(port: int, path: str, count: int) -> list[str]:
    status, _headers, body = fetch(port, path, 30)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return [record["slug"] for record in json.loads(body)["results"][:count]]


def request_mix(port: int) -> dict[str, list[str]]:
    """The addresses, by kind, from what the seed content holds."""
    potentials = slugs(port, "/api/v1/potentials/?page_size=100", 8)
    practices = slugs(port, "/api/v1/good-practices/?page_size=100", 8)
    regions = slugs(port, "/api/v1/regions/?page_size=100", 8)
    return {
        "API list": [
            "/api/v1/potentials/",
            "/api/v1/good-practices/",
            "/api/v1/regions/",
            "/api/v1/partners/",
            "/api/v1/projects/",
            "/api/v1/potentials/?lang=de",
        ],
        "API record": [
            *(f"/api/v1/potentials/{slug}/" for slug in potentials),
            *(f"/api/v1/good-practices/{slug}/" for slug in practices),
            *(f"/api/v1/regions/{slug}/" for slug in regions),
        ],
        "API search": [
            *(f"/api/v1/potentials/?search={q}" for q in SEARCHES),
            *(f"/api/v1/good-practices/?search={q}" for q in SEARCHES[:4]),
        ],
        "GeoJSON": [
            "/api/v1/potentials/?format=geojson",
            "/api/v1/good-practices/?format=geojson",
            "/api/v1/regions/?format=geojson",
        ],
        "HTML home": ["/en/", "/de/", "/pl/"],
        "HTML list": [
            "/en/potentials/",
            "/en/good-practices/",
            "/en/regions/",
            "/de/potentials/",
            "/en/partners/",
            "/en/projects/",
        ],
        "HTML record": [
            *(f"/en/potentials/{slug}/" for slug in potentials),
            *(f"/en/good-practices/{slug}/" for slug in practices),
            *(f"/en/regions/{slug}/" for slug in regions),
        ],
        "HTML search": [f"/en/search/?q={q}" for q in SEARCHES],
    }


class Clients:
    """Threads that each send one request after another, a random kind of read
    and a random address of that kind, and keep every answer."""

    def __init__(self, port: int, mix: dict[str, list[str]], count: int, timeout):
        self.port = port
        self.mix = mix
        self.timeout = timeout
        self.answers: list[Answer] = []
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True)
            for n in range(count)
        ]

    def _run(self, index: int) -> None:
        rng = random.Random(index)
        groups = list(self.mix)
        while not self.stopping.is_set():
            group = rng.choice(groups)
            self.answers.append(
                ask(self.port, group, rng.choice(self.mix[group]), self.timeout)
            )

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(self.timeout + 5)


# --- Phases -----------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    seconds: float  # planned
    action: Callable[[], None] | None = None  # what starts the phase
    fault: bool = False
    database: bool = False  # of the database scenario
    start: float = 0.0
    end: float = 0.0
    answers: list[Answer] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.end - self.start

    def rate(self) -> float:
        return len(self.answers) / self.duration

    def percentile(self, fraction: float) -> float:
        durations = sorted(answer.seconds for answer in self.answers)
        if not durations:
            return float("nan")
        # The nearest rank: of 4 answers, the p95 is the slowest.
        return durations[max(0, math.ceil(len(durations) * fraction) - 1)]

    def statuses(self) -> collections.Counter:
        return collections.Counter(answer.status for answer in self.answers)

    def failures(self) -> list[Answer]:
        """5xx and requests without an answer."""
        return [a for a in self.answers if a.status >= 500 or a.status == NO_ANSWER]


def run_phases(phases: list[Phase], clients: Clients) -> None:
    """Each phase's action, then its planned seconds. A fault's phase starts just
    before its action (the signal); a recovery's just after (the server answers).

    An answer counts in the phase in which its request was sent, unless a fault
    began before it came: then in that fault's phase, whose effect it shows."""
    for phase in phases:
        if phase.fault:
            phase.start = time.monotonic()
        if phase.action is not None:
            phase.action()
        if not phase.fault:
            phase.start = time.monotonic()
        time.sleep(max(0.0, phase.start + phase.seconds - time.monotonic()))
    phases[-1].end = time.monotonic()
    for phase, following in zip(phases, phases[1:], strict=False):
        phase.end = following.start
    clients.stop()
    for answer in clients.answers:
        if answer.sent < phases[0].start:
            continue  # Sent during the warm-up.
        answered = answer.sent + answer.seconds
        seen = [
            phase
            for phase in phases
            if phase.start <= answered and answer.sent < phase.end
        ]
        if seen:
            faults = [phase for phase in seen if phase.fault]
            (faults or seen)[0].answers.append(answer)


# --- Report -----------------------------------------------------------------------


def status_text(counter: collections.Counter) -> str:
    return " ".join(
        f"{'no answer' if status == NO_ANSWER else status}×{count}"
        for status, count in sorted(counter.items())
    )


def ratio(value: float, reference: float) -> str:
    if not reference or math.isnan(reference) or math.isnan(value):
        return "–"
    return f"{value / reference:.2f}"


def report(phases: list[Phase], answer_bound: float, database_bound: float) -> bool:
    normal = phases[0]
    origin = normal.start
    print(
        f"\n{'phase':<13} {'window (s)':>13} {'requests':>8} {'req/s':>7} "
        f"{'× normal':>8} {'p50 ms':>8} {'p95 ms':>8} {'× normal':>8}   statuses"
    )
    for phase in phases:
        print(
            f"{phase.name:<13} {phase.start - origin:6.1f}–{phase.end - origin:5.1f}"
            f" {len(phase.answers):8d} {phase.rate():7.1f} "
            f"{ratio(phase.rate(), normal.rate()):>8} "
            f"{phase.percentile(0.5) * 1000:8.1f} {phase.percentile(0.95) * 1000:8.1f}"
            f" {ratio(phase.percentile(0.95), normal.percentile(0.95)):>8}   "
            f"{status_text(phase.statuses())}"
        )
    print("\nErrors by kind of read (status ≥ 400 or no answer), of all its requests:")
    any_errors = False
    for phase in phases:
        by_group = collections.defaultdict(collections.Counter)
        sent = collections.Counter(answer.group for answer in phase.answers)
        for answer in phase.answers:
            if answer.status >= 400 or answer.status == NO_ANSWER:
                by_group[answer.group][answer.status] += 1
        for group, counter in sorted(by_group.items()):
            any_errors = True
            print(
                f"  {phase.name:<13} {group:<12} {status_text(counter)} "
                f"of {sent[group]}"
            )
    if not any_errors:
        print("  none")
    api_errors = [
        answer
        for phase in phases
        for answer in phase.answers
        if answer.path.startswith("/api/") and answer.status >= 400
    ]
    if api_errors:
        as_json = sum(answer.json for answer in api_errors)
        print(f"Errors under /api/ answered as JSON: {as_json} of {len(api_errors)}")

    print("\nTargets:")
    met = True

    def target(ok: bool, text: str, detail: str) -> None:
        nonlocal met
        met = met and ok
        print(f"  {'met   ' if ok else 'MISSED'} {text}: {detail}")

    redis_phases = [phase for phase in phases if not phase.database]
    failures = {p.name: len(p.failures()) for p in redis_phases}
    target(
        not any(failures.values()),
        "no 5xx (nor unanswered request) in the Redis phases",
        ", ".join(f"{name} {count}" for name, count in failures.items()),
    )
    database_phases = [phase for phase in phases if phase.database]
    wrong = {
        phase.name: status_text(
            collections.Counter(
                answer.status
                for answer in phase.failures()
                if not (phase.fault and answer.status == 503)
            )
        )
        or "none"
        for phase in database_phases
    }
    target(
        all(text == "none" for text in wrong.values()),
        "503s only while the database is away, no other 5xx",
        ", ".join(f"{name}: {text}" for name, text in wrong.items()),
    )
    unavailable = [
        answer for phase in phases for answer in phase.answers if answer.status == 503
    ]
    without = sum(not answer.retry_after for answer in unavailable)
    target(
        without == 0,
        "every 503 carries Retry-After",
        f"{len(unavailable) - without} of {len(unavailable)}"
        if unavailable
        else "no 503 in this run",
    )
    for phase in phases:
        if not phase.fault:
            continue
        p95 = phase.percentile(0.95)
        bound = database_bound if phase.database else answer_bound
        if phase.seconds < bound + 2:
            print(
                f"  (not checked) {phase.name}: answers within {bound:g} s "
                f"(p95): a window of {phase.seconds:g} s is too short to tell"
            )
            continue
        target(
            p95 <= bound,
            f"{phase.name}: answers within {bound:g} s (p95)",
            f"p95 {p95:.2f} s, slowest "
            f"{max((a.seconds for a in phase.answers), default=0):.2f} s",
        )
    return met


def server_errors(log: Path) -> collections.Counter:
    """The exceptions in gunicorn's log (the portal logs each 500 with its
    traceback): the line after each traceback, up to its first colon."""
    counter = collections.Counter()
    if not log.exists():
        return counter
    in_traceback = False
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and line and not line[0].isspace():
            if not line.startswith(("During handling", "The above exception")):
                counter[re.split(r":\s", line, maxsplit=1)[0][:100]] += 1
            in_traceback = False
    return counter


# --- Main -------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--seconds",
        type=float,
        default=60,
        help="the Redis scenario: a third normal, a third Redis down, a third back",
    )
    parser.add_argument(
        "--db-seconds",
        type=float,
        default=12,
        help="each database fault (paused, then down); each recovery half of it",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="7 s phases: 21 s of the Redis scenario, 21 s of the database's",
    )
    parser.add_argument(
        "--redis-fault",
        choices=["kill", "pause"],
        default="kill",
        help="kill: SIGKILL and a new empty server (refused connections); "
        "pause: SIGSTOP and SIGCONT (a stalled server)",
    )
    parser.add_argument(
        "--answer-bound",
        type=float,
        default=5,
        help="seconds within which requests are answered (p95) during each Redis "
        "fault; during a database fault, the statement and connect timeouts and 2 s",
    )
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--redis-port", type=int, default=6397)
    parser.add_argument("--postgres-port", type=int, default=55437)
    parser.add_argument(
        "--postgres-bin",
        type=Path,
        default=PG_BIN,
        help="the folder of the PostgreSQL server's initdb and postgres",
    )
    parser.add_argument(
        "--timeout", type=float, default=60, help="the client's, per request"
    )
    parser.add_argument(
        "--warm-up", type=float, default=5, help="seconds of load before the clock"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an extra setting for the portal (repeatable)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (logs, data)"
    )
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.db_seconds = 21, 7
    for port in (args.port, args.redis_port, args.postgres_port):
        if port_taken(port):
            parser.error(f"port {port} is in use: not ours, so not touched")

    folder = Path(tempfile.mkdtemp(prefix="rp-faults-"))
    postgres = Postgres(folder, args.postgres_port, args.postgres_bin)
    redis = Redis(folder, args.redis_port)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.faults_settings",
        "BENCH_STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": postgres.url(),
        "CACHE_URL": f"redis://{HOST}:{args.redis_port}/0",
        "SECRET_KEY": "bench-faults-only-" + "k" * 50,
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        # Plain HTTP on loopback, no proxy in front.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "LOG_LEVEL": "WARNING",
        # Four clients from one address would be throttled within seconds; the
        # throttle still counts every request in Redis, it only never refuses.
        "API_THROTTLE_ANON": "100000000/minute",
        # Likewise the limits of anonymous pages (portal/ratelimit.py): they
        # would answer 429 to the benchmark's clients, not to the faults.
        "HTML_RATE_LIMIT": "100000000/minute",
        "HTML_SEARCH_RATE_LIMIT": "100000000/minute",
    }
    for setting in args.env:
        name, _, value = setting.partition("=")
        env[name] = value
    gunicorn = None
    clients = None

    def interrupted(_signal, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    # Also when started in the background, where SIGINT comes ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        steps = []
        started = time.monotonic()

        def step(name: str) -> None:
            nonlocal started
            steps.append(f"{name} {time.monotonic() - started:.0f} s")
            started = time.monotonic()

        postgres.init()
        postgres.start()
        import psycopg

        with psycopg.connect(postgres.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
        redis.start()
        step("servers")
        manage(env, "migrate", "--noinput")
        step("migrate")
        manage(env, "load_seed_content")
        step("seed")
        manage(env, "collectstatic", "--noinput")
        step("collectstatic")
        print("Set up: " + ", ".join(steps))
        gunicorn = start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "resource_portal.wsgi:application",
                "--worker-class",
                "resource_portal.workers.SyncWorker",
                "--bind",
                f"{HOST}:{args.port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env,
            folder / "gunicorn.log",
        )
        wait_for_http(args.port, "/api/v1/")
        mix = request_mix(args.port)
        # Each address once: it must answer 200 before anything fails.
        for group, paths in mix.items():
            for path in paths:
                status, _headers, _body = fetch(args.port, path, 60)
                if status != 200:
                    raise RuntimeError(f"{path} ({group}) answered {status}")
        clients = Clients(args.port, mix, args.clients, args.timeout)
        clients.start()
        time.sleep(args.warm_up)
        clients.answers.clear()

        third = args.seconds / 3
        database = args.db_seconds
        redis_fault = (
            Phase("Redis down", third, redis.kill, fault=True)
            if args.redis_fault == "kill"
            else Phase("Redis stalled", third, redis.pause, fault=True)
        )
        redis_recovery = redis.start if args.redis_fault == "kill" else redis.resume
        phases = [
            Phase("normal", third),
            redis_fault,
            Phase("Redis back", third, redis_recovery),
            Phase("DB paused", database, postgres.pause, fault=True, database=True),
            Phase("DB back", database / 2, postgres.resume, database=True),
            Phase("DB down", database, postgres.stop, fault=True, database=True),
            Phase("DB restarted", database / 2, postgres.start, database=True),
        ]
        load = os.getloadavg()[0]
        print(
            f"gunicorn: {args.workers} sync workers on {HOST}:{args.port}, DEBUG off; "
            f"{args.clients} client threads; Redis :{args.redis_port} "
            f"({args.redis_fault}); PostgreSQL :{args.postgres_port}; "
            f"load average {load:.1f} on {os.cpu_count()} CPUs"
        )
        print(
            "Mix, one kind at random then one address of it: "
            + ", ".join(f"{group} ({len(paths)})" for group, paths in mix.items())
        )
        run_phases(phases, clients)
        # A request whose statement was under way when the database stopped
        # answering waits for the portal's deadline (core/postgresql): the
        # statement timeout and 1 s. One that arrived meanwhile waits for a
        # worker that does, then for its own connection (the connect timeout);
        # one more second for the rest of the request.
        statement_timeout = float(env.get("DATABASE_STATEMENT_TIMEOUT", 5))
        connect_timeout = float(env.get("DATABASE_CONNECT_TIMEOUT", 3))
        met = report(
            phases, args.answer_bound, statement_timeout + 1 + connect_timeout + 1
        )
        errors = server_errors(folder / "gunicorn.log")
        if errors:
            print("\nExceptions in the server's log:")
            for name, count in errors.most_common(8):
                print(f"  {count:6d}× {name}")
        print(f"\nAll targets met: {'yes' if met else 'NO'}")
        return 0 if met else 1
    except KeyboardInterrupt:
        print("\nInterrupted: stopping the servers.", file=sys.stderr)
        return 130
    finally:
        if clients is not None:
            clients.stopping.set()
        postgres.resume()
        redis.resume()
        if gunicorn is not None:
            stop(gunicorn)
        postgres.stop()
        redis.stop()
        if args.keep:
            print(f"Kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
