"""A backup of the embedded installation, taken online, restores every row and every file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

ROOT = Path(__file__).resolve().parents[2]


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def everything(database: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(database) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}  # noqa: S608


def test_backup_and_restore_keep_every_row_and_file(migrated, tmp_path) -> None:
    database, media = tmp_path / "linli.sqlite3", tmp_path / "media"
    shutil.copy(migrated, database)
    (media / "cases" / "1").mkdir(parents=True)
    (media / "cases" / "1" / "before.jpg").write_bytes(os.urandom(50_000))
    (media / "readme.txt").write_text("照片", encoding="utf-8")
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO core_subdistrict (code, name, name_en, center_lon, center_lat, "
            "business_hours, is_synthetic) VALUES ('310106013', '静安寺街道', '', 121.4, "
            "31.2, '[]', 0)"
        )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "LINLI_MEDIA_ROOT": str(media)}
    before_rows, before_files = (
        everything(database),
        {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()},
    )

    archive = Path(manage(env, "backup", "--to", str(tmp_path / "backups")).strip())

    with sqlite3.connect(database) as db:  # then things go wrong
        db.execute("DELETE FROM core_subdistrict")
        db.execute("DELETE FROM django_migrations WHERE app = 'core'")
    (media / "cases" / "1" / "before.jpg").write_bytes(b"broken")
    (media / "readme.txt").unlink()

    out = manage(env, "restore", str(archive), "--yes")

    assert "all as recorded" in out
    assert everything(database) == before_rows
    after_files = {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert after_files == before_files


def test_restore_asks_for_confirmation(migrated, tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", "nothing.tar.gz"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "--yes" in done.stderr


@pytest.mark.postgres
def test_a_postgresql_dump_restores_into_a_fresh_database(transactional_db, tmp_path) -> None:
    """The operator guide's pg_dump / pg_restore commands, run on the test database."""
    import psycopg
    from django.db import connection

    from tests.factories import EnterpriseFactory, SubdistrictFactory

    subdistrict = SubdistrictFactory()
    with scopes_disabled():
        EnterpriseFactory.create_batch(5, subdistrict=subdistrict)
    settings = connection.settings_dict
    where = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    where += ["-U", settings["USER"] or "postgres"]
    dump, fresh = tmp_path / "linli.dump", f"{settings['NAME']}_restored"
    subprocess.run(["pg_dump", *where, "-Fc", "-f", str(dump), settings["NAME"]], check=True)  # noqa: S603, S607
    subprocess.run(["dropdb", *where, "--if-exists", fresh], check=True)  # noqa: S603, S607
    subprocess.run(["createdb", *where, fresh], check=True)  # noqa: S603, S607
    try:
        subprocess.run(["pg_restore", *where, "-d", fresh, str(dump)], check=True)  # noqa: S603, S607

        def counts(name: str) -> dict[str, int]:
            dsn = f"host={where[1]} port={where[3]} user={where[5]} dbname={name}"
            with psycopg.connect(dsn) as db:
                tables = [
                    t
                    for (t,) in db.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    )
                ]
                return {
                    t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                    for t in tables
                }

        original = counts(settings["NAME"])
        assert original["registry_enterprise"] == 5
        assert counts(fresh) == original
    finally:
        connection.close()
        subprocess.run(["dropdb", *where, "--if-exists", fresh], check=True)  # noqa: S603, S607
