"""Periodic jobs, enqueued by a small scheduler inside the worker process.

Each job runs at most once per slot (its interval, aligned to the epoch) across all workers:
the first worker to insert the (job, slot) row enqueues it, the others see the conflict.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from linli.core import clock
from linli.core.calendar import local_zone
from linli.core.models import ScheduledSlot

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    enqueue: Callable[[], Any]
    at: dt.timedelta = dt.timedelta(0)


JOBS: dict[str, PeriodicJob] = {}


def periodic(
    name: str, every: dt.timedelta, *, at: dt.timedelta = dt.timedelta(0)
) -> Callable[[Any], Any]:
    """Register a django-tasks task to be enqueued every ``every``.

    Slots are aligned to local midnight (Asia/Shanghai), shifted by ``at``: a daily job with
    ``at=timedelta(hours=2)`` runs at 02:00 local time, when offices are closed.
    """

    def register(task: Any) -> Any:
        JOBS[name] = PeriodicJob(name=name, every=every, enqueue=task.enqueue, at=at)
        return task

    return register


def slot_start(
    now: dt.datetime, every: dt.timedelta, at: dt.timedelta = dt.timedelta(0)
) -> dt.datetime:
    """The start of the slot containing ``now`` (aware UTC)."""
    seconds = int(every.total_seconds())
    local = now.astimezone(local_zone())
    # Seconds since the epoch as a wall clock in the local zone, so slots start at local midnight.
    offset = int(local.utcoffset().total_seconds()) if local.utcoffset() else 0  # type: ignore[union-attr]
    wall = int(now.timestamp()) + offset - int(at.total_seconds())
    start = wall - wall % seconds - offset + int(at.total_seconds())
    return dt.datetime.fromtimestamp(start, tz=dt.UTC)


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot has not been claimed yet; return their names."""
    now = now or clock.now()
    enqueued = []
    for job in JOBS.values():
        slot = slot_start(now, job.every, job.at)
        try:
            with transaction.atomic():
                ScheduledSlot.objects.create(job=job.name, slot=slot)
                job.enqueue()
        except IntegrityError:
            continue
        enqueued.append(job.name)
        logger.info("enqueued %s for %s", job.name, slot.isoformat())
    return enqueued
