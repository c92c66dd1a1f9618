"""Backups of the embedded (SQLite) installation, taken while linli runs.

``backup`` writes one ``.tar.gz`` with the database (SQLite's online backup, a consistent copy
even while the web server and the worker write), every media file, and a manifest (rows per
table, each file's size and SHA-256). ``restore`` puts both back and checks them against the
manifest. PostgreSQL is backed up with ``pg_dump`` (see the operator guide).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from linli.core import clock

DATABASE = "database.sqlite3"
MEDIA = "media"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Manifest:
    taken_at: str
    tables: dict[str, int]
    files: dict[str, dict[str, object]]


def _database_path() -> Path:
    if connection.vendor != "sqlite":
        raise BackupError(
            "This database is not SQLite: back it up with pg_dump (see the operator guide)."
        )
    return Path(settings.DATABASES["default"]["NAME"])


def _row_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _media_files(root: Path) -> dict[str, dict[str, object]]:
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): {"size": path.stat().st_size, "sha256": _digest(path)}
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup(target_dir: Path) -> Path:
    source = _database_path()
    media_root = Path(settings.MEDIA_ROOT)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target_dir.mkdir(parents=True, exist_ok=True)
    archive = target_dir / f"linli-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / DATABASE
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(copy)) as out:
            live.backup(out)  # consistent while others write (WAL)
        with closing(sqlite3.connect(copy)) as db:
            tables = _row_counts(db)
        manifest = Manifest(clock.now().isoformat(), tables, _media_files(media_root))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(copy, DATABASE)
            if media_root.exists():
                tar.add(media_root, MEDIA)
            data = json.dumps(manifest.__dict__, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
    return archive


def restore(archive: Path) -> Manifest:
    """Put a backup's database and media files in place, then check them against its manifest.
    Stop the web server and the workers first: they would keep the old database open."""
    target = _database_path()
    media_root = Path(settings.MEDIA_ROOT)
    connection.close()
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(scratch, filter="data")
        found = json.loads((Path(scratch) / MANIFEST).read_text())
        manifest = Manifest(found["taken_at"], found["tables"], found["files"])
        with (
            closing(sqlite3.connect(Path(scratch) / DATABASE)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)  # page by page into the live file, WAL included
        restored_media = Path(scratch) / MEDIA
        if restored_media.exists():
            for path in sorted(restored_media.rglob("*")):
                if path.is_file():
                    destination = media_root / path.relative_to(restored_media)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(path.read_bytes())
    with closing(sqlite3.connect(target)) as db:
        tables = _row_counts(db)
    if tables != manifest.tables:
        raise BackupError("The restored database does not hold the rows the backup recorded.")
    files = _media_files(media_root)
    missing = [name for name, meta in manifest.files.items() if files.get(name) != meta]
    if missing:
        raise BackupError(f"Media files not restored as recorded: {', '.join(missing[:5])}")
    return manifest
