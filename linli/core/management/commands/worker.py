"""``manage.py worker``: run queued background tasks, the periodic-job scheduler and the
heartbeat that lets other workers take back this one's jobs if it dies (``core.worker``).

It runs without reloading on code changes (a reloading worker is a parent and a child; killing
the parent leaves the child taking jobs); ``--reload`` asks for it while developing.
"""

from __future__ import annotations

import importlib
import threading
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from linli.core.models import WorkerHeartbeat
from linli.core.scheduler import enqueue_due
from linli.core.worker import beat, keep_beating, new_worker_id, recover_lost_jobs


class Command(BaseCommand):
    help = "Run the background worker with its periodic-job scheduler."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="Only run queued tasks.")
        parser.add_argument(
            "--reload", action="store_true", help="Restart on code changes (development only)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Importing each app's tasks module registers its periodic jobs.
        for config in apps.get_app_configs():
            if config.name.startswith("linli."):
                try:
                    importlib.import_module(f"{config.name}.tasks")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.tasks":
                        raise
        worker_id = new_worker_id()
        beat(worker_id)
        stop = threading.Event()
        threading.Thread(
            target=keep_beating, args=(worker_id, stop), daemon=True, name="heartbeat"
        ).start()
        if not options["no_scheduler"]:
            threading.Thread(target=self._schedule, daemon=True, name="scheduler").start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=1.0,
                worker_id=worker_id,
                reload=options["reload"],
            )
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    def _schedule(self) -> None:
        while True:
            close_old_connections()
            try:
                recover_lost_jobs()
                enqueue_due()
            except Exception:  # a transient DB error must not kill the scheduler
                self.stderr.write("scheduler tick failed; retrying")
            time.sleep(settings.LINLI_SCHEDULER_TICK_SECONDS)
