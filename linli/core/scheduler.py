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
from django.utils import timezone

from linli.core.models import ScheduledSlot

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    enqueue: Callable[[], Any]


JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, every: dt.timedelta) -> Callable[[Any], Any]:
    """Register a django-tasks task to be enqueued every ``every``."""

    def register(task: Any) -> Any:
        JOBS[name] = PeriodicJob(name=name, every=every, enqueue=task.enqueue)
        return task

    return register


def slot_start(now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    seconds = int(every.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot has not been claimed yet; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS.values():
        slot = slot_start(now, job.every)
        try:
            with transaction.atomic():
                ScheduledSlot.objects.create(job=job.name, slot=slot)
                job.enqueue()
        except IntegrityError:
            continue
        enqueued.append(job.name)
        logger.info("enqueued %s for %s", job.name, slot.isoformat())
    return enqueued
