"""Fixtures for tests that run linli in other processes on a database file of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def migrated(tmp_path_factory) -> Path:
    """A migrated SQLite database file to copy (migrating takes a while; copying does not)."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"},
        check=True,
    )
    return path
