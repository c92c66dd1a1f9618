"""What the HTTP benches share: a PostgreSQL database of their own, the environment of a
deployed linli, gunicorn started on a loopback port and stopped again, the memory of its
workers, and latency percentiles.

``bench/cases_http.py``, ``bench/registration_burst.py`` and ``bench/soak.py`` import it; it
runs nothing itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The gunicorn of the virtualenv running the bench (``.venv/bin/python bench/...``), so a
# worktree without a ``.venv`` of its own can use another checkout's.
GUNICORN = Path(sys.executable).parent / "gunicorn"
PG_SERVER = os.environ.get("LINLI_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


@contextlib.contextmanager
def bench_database(label: str) -> Iterator[str]:
    """A fresh database ``linli_bench_<label>_<pid>``, dropped at the end whatever happens."""
    import psycopg

    name = f"linli_bench_{label}_{os.getpid()}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_environment(database_url: str) -> dict[str, str]:
    """The environment gunicorn runs with (``DEBUG`` off, as deployed); the settings this
    process needs to seed the same database are set in ``os.environ`` too."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "linli.settings",
        "LINLI_DEBUG": "0",
        "LINLI_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LINLI_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    os.environ.update({k: env[k] for k in ("LINLI_DEBUG", "LINLI_EMAIL_BACKEND")})
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def gunicorn(
    application: str,
    env: dict[str, str],
    port: int,
    workers: int,
    threads: int,
    backlog: int,
    worker_class: str = "gthread",
    preload: bool = True,
) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn serving ``application`` until the block ends; yields the master process.

    ``preload``: import the application before forking (the default here, so no worker pays
    for the imports while being measured); deploy/systemd/linli-web.service does not."""
    command = [
        str(GUNICORN),
        application,
        "--chdir",
        str(ROOT),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--backlog",
        str(backlog),
        "--log-level",
        "warning",
        *(["--preload"] if preload else []),
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not open its port")
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def worker_pids(master: int) -> list[int]:
    """The processes whose parent is ``master`` (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            status = (entry / "status").read_text()
            parent = next(line for line in status.splitlines() if line.startswith("PPid:"))
            if int(parent.split()[1]) == master:
                found.append(int(entry.name))
    return sorted(found)


def rss_kb(pids: list[int]) -> int:
    """The summed resident set (``VmRSS``) of ``pids`` in KiB; a process gone counts 0."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, StopIteration):
            status = Path(f"/proc/{pid}/status").read_text()
            line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
            total += int(line.split()[1])
    return total


def percentile(ordered: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted ``ordered`` falls (nearest rank below)."""
    return ordered[int(share * (len(ordered) - 1))] if ordered else 0.0
