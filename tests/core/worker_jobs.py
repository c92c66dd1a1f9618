"""A job for the worker test: it notes its start and, after a pause long enough to be killed
in, its end, in a file the test reads (one line each, with the worker's process id)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_job(path: str, seconds: float) -> None:
    marker = Path(path)
    with marker.open("a") as out:
        out.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with marker.open("a") as out:
        out.write(f"done {os.getpid()}\n")
