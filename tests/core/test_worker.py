"""A worker killed in the middle of a job does not lose it: two real worker processes on one
database, the one running the job is SIGKILLed, the other takes the job back after the lease,
runs it to the end exactly once, and its scheduler goes on enqueueing periodic jobs."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_a_killed_workers_job_runs_again_once_and_the_scheduler_goes_on(migrated, tmp_path):
    database = tmp_path / "linli.sqlite3"
    shutil.copy(migrated, database)
    marker = tmp_path / "marker.txt"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "LINLI_WORKER_LEASE_SECONDS": "3",
        "LINLI_SCHEDULER_TICK_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from tests.core.worker_jobs import slow_job; slow_job.enqueue({str(marker)!r}, 6)",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    first = run(env, "worker", "--no-scheduler")
    second = None
    try:
        wait_for(lambda: len(lines(marker)) >= 1, 60, "the first worker to start the job")
        killed_pid = first.pid
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = time.time()
        second = run(env, "worker")
        wait_for(lambda: any(x.startswith("done") for x in lines(marker)), 90, "the job's end")
        time.sleep(8)  # the job would show a second end here if it ran once more
        with sqlite3.connect(database) as db:
            status, workers = db.execute(
                "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
            ).fetchone()
            slots_after_kill = db.execute(
                "SELECT COUNT(*) FROM core_scheduledslot WHERE enqueued_at > ?",
                [time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(killed_at))],
            ).fetchone()[0]
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(15)
    record = lines(marker)
    assert record[0] == f"start {killed_pid}"
    assert [x for x in record if x.startswith("done")] == [f"done {second.pid}"]
    assert status == "SUCCESSFUL"
    assert workers.count('"') == 4  # claimed twice: by the killed worker, then by the other
    assert slots_after_kill > 0  # the surviving worker's scheduler enqueues periodic jobs
