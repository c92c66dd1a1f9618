"""The served application: its views are imported and its import-time objects frozen before
the first request, so the cyclic collector's full passes no longer walk them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import gc, sys, linli.wsgi; "
    "print(gc.get_freeze_count(), 'linli.cases.views' in sys.modules, len(gc.get_objects()))"
)


def test_the_workers_long_lived_objects_are_frozen_before_the_first_request(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, views_loaded, still_tracked = int(out[0]), out[1] == "True", int(out[2])
    assert views_loaded
    assert frozen > 100_000  # pypinyin's dictionary and the rest of the imports
    assert still_tracked < frozen / 10
