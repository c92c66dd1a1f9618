"""``manage.py restore ARCHIVE --yes``: put a backup's database and media files back, and check
them against its manifest. Stop the web server and the workers first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from linli.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (replaces the database and media)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="confirm: the current database is replaced"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("This replaces the current database and media; add --yes.")
        try:
            manifest = restore(Path(options["archive"]))
        except (BackupError, OSError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"restored the backup of {manifest.taken_at}: {rows} rows, "
            f"{len(manifest.files)} media files, all as recorded"
        )
