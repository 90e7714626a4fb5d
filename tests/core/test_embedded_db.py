"""The embedded PostgreSQL server: one per data folder, shared by every process.

These start servers of their own, in a temporary folder: never the machine's
PostgreSQL nor the project's `.pgdata`.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.helpers import portal_process

# Connects as the portal does, prints the server's process and the database
# it reached, then holds on until its standard input closes.
PROCESS = """
import json, sys, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT current_database(), pg_postmaster_start_time()::text")
    database, started = cursor.fetchone()
print(json.dumps({"database": database, "started": started}), flush=True)
sys.stdin.read()
"""


def start(data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        **portal_process(
            ["-c", PROCESS], DEBUG="1", EMBEDDED_DATABASE_DIR=str(data_dir)
        ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def connected(process: subprocess.Popen) -> dict:
    line = process.stdout.readline()
    assert line, process.stderr.read()
    return json.loads(line)


def server_pid(data_dir: Path) -> int | None:
    """The running postmaster of `data_dir`, if any."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text().split()[0])
    return pid if psutil.pid_exists(pid) else None


def finish(process: subprocess.Popen) -> None:
    process.stdin.close()
    assert process.wait(timeout=60) == 0, process.stderr.read()


def wait_until_stopped(data_dir: Path, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server_pid(data_dir) is None:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def data_dir(tmp_path):
    directory = tmp_path / "pgdata"
    yield directory
    # Whatever a failed assertion left behind.
    pid = server_pid(directory)
    if pid is not None:
        psutil.Process(pid).terminate()


def test_processes_share_one_server_which_the_last_to_exit_stops(data_dir):
    first = start(data_dir)
    reached = connected(first)
    # The database is created on the first connection.
    assert reached["database"] == "resource_portal"
    server = server_pid(data_dir)
    assert server is not None

    second = start(data_dir)
    assert connected(second)["started"] == reached["started"]
    assert server_pid(data_dir) == server
    finish(second)
    # The first process still uses it.
    assert server_pid(data_dir) == server

    finish(first)
    assert wait_until_stopped(data_dir)


def test_a_killed_process_does_not_keep_the_server_running(data_dir):
    killed = start(data_dir)
    reached = connected(killed)
    killed.kill()
    killed.wait(timeout=30)
    # It could not sign off: the server runs on, and the next process uses it.
    assert server_pid(data_dir) is not None
    later = start(data_dir)
    assert connected(later)["started"] == reached["started"]
    finish(later)
    assert wait_until_stopped(data_dir)


def test_runserver_holds_the_server_through_reloads_and_stops_it_on_ctrl_c(
    data_dir,
):
    """The autoreloader's parent holds the server; its child (which it kills soon
    after Ctrl-C) uses it without signing on, so the server stops with runserver."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    runserver = subprocess.Popen(
        **portal_process(
            ["manage.py", "runserver", f"127.0.0.1:{port}"],
            DEBUG="1",
            EMBEDDED_DATABASE_DIR=str(data_dir),
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # Its own process group, which Ctrl-C reaches as a whole.
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt"):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("runserver did not answer")
        # The child has checked the migrations, through the server.
        assert server_pid(data_dir) is not None
        handles = json.loads((data_dir / ".handle_pids.json").read_text())
        assert handles == [runserver.pid]
    finally:
        os.killpg(runserver.pid, signal.SIGINT)
        runserver.wait(timeout=60)
    assert wait_until_stopped(data_dir)
