"""``manage.py backup [--to DIR]``: database and media files in one archive, taken online."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from linli.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the SQLite database and the media files into one .tar.gz (online)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--to", default="backups", help="folder for the archive")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup(Path(options["to"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
