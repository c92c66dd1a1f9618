"""``manage.py worker``: run queued background tasks and the periodic-job scheduler."""

from __future__ import annotations

import importlib
import threading
import time
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from linli.core.scheduler import enqueue_due

TICK_SECONDS = 15


class Command(BaseCommand):
    help = "Run the background worker with its periodic-job scheduler."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="Only run queued tasks.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Importing each app's tasks module registers its periodic jobs.
        for config in apps.get_app_configs():
            if config.name.startswith("linli."):
                try:
                    importlib.import_module(f"{config.name}.tasks")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.tasks":
                        raise
        if not options["no_scheduler"]:
            threading.Thread(target=self._schedule, daemon=True, name="scheduler").start()
        call_command("db_worker", queue_name="*", interval=1.0)

    def _schedule(self) -> None:
        while True:
            close_old_connections()
            try:
                enqueue_due()
            except Exception:  # a transient DB error must not kill the scheduler
                self.stderr.write("scheduler tick failed; retrying")
            time.sleep(TICK_SECONDS)
