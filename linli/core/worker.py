"""Workers that die do not lose jobs.

django-tasks-db marks a job RUNNING when a worker claims it and never looks at it again, so a
worker killed mid-job (SIGKILL, out of memory, a machine gone) would leave it RUNNING for ever.
Each linli worker therefore writes a heartbeat every ``HEARTBEAT`` seconds; any worker's
scheduler tick takes back the jobs of a worker whose heartbeat is older than ``LEASE``: the job
is made ready again once (every job is idempotent, so running it twice is safe) and failed, with
the reason, if its second run is lost too.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linli.core import clock
from linli.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT = dt.timedelta(seconds=min(5, max(1, settings.LINLI_WORKER_LEASE_SECONDS // 3)))
# A job is taken back once its worker has been silent this long. Longer than any pause a living
# worker makes between heartbeats (a slow database, a garbage collection), shorter than a human
# would wait for a reminder.
LEASE = dt.timedelta(seconds=settings.LINLI_WORKER_LEASE_SECONDS)
# How many times a job may be claimed in all: the first run and one run again.
MAX_CLAIMS = 2
LOST = "linli.core.worker.WorkerLost"


class WorkerLost(Exception):
    """The worker running the job stopped without finishing it."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id: str) -> None:
    now = clock.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:100],
            pid=os.getpid(),
            started_at=now,
            beat_at=now,
        )


def keep_beating(worker_id: str, stop: threading.Event) -> None:
    """The heartbeat thread: beat until ``stop`` is set (a database hiccup skips one beat)."""
    while not stop.wait(HEARTBEAT.total_seconds()):
        close_old_connections()
        try:
            beat(worker_id)
        except Exception:
            logger.warning("heartbeat of %s not written; trying again", worker_id, exc_info=True)


def recover_lost_jobs(now: dt.datetime | None = None) -> list[str]:
    """Take back the jobs whose worker stopped beating; return their ids."""
    now = now or clock.now()
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=now - LEASE).values_list("worker_id", flat=True)
    )
    taken_back = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - LEASE
        )
        for job in running:
            if job.worker_ids and job.worker_ids[-1] in alive:
                continue
            if len(job.worker_ids) < MAX_CLAIMS:
                job.status = TaskResultStatus.READY
                job.started_at = None
                job.save(update_fields=["status", "started_at"])
                logger.warning("job %s (%s) lost by its worker: runs again", job.id, job.task_path)
            else:
                job.status = TaskResultStatus.FAILED
                job.finished_at = now
                job.exception_class_path = LOST
                job.traceback = f"{LOST}: the worker running it stopped, twice."
                job.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                logger.error("job %s (%s) lost twice: failed", job.id, job.task_path)
            taken_back.append(str(job.id))
    # Heartbeats of workers gone for a day tell nothing any more.
    WorkerHeartbeat.objects.filter(beat_at__lt=now - dt.timedelta(days=1)).delete()
    return taken_back
