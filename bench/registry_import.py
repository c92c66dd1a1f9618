"""Benchmark: import the demo's 2,600 enterprises from an Excel workbook, as an admin would.

Runs against a fresh temporary SQLite database (migrated here). The workbook is the demo
sub-district's enterprises in the import format (``linli.registry.demo``); without the demo
package it falls back to a deterministic workbook of its own with valid credit codes. Each run
imports into a new sub-district holding the same 32 buildings and butlers, so every run does the
same work: validate and create 2,600 records with their audit entries in one transaction.

    .venv/bin/python bench/registry_import.py [--quick]

Prints one JSON line; exits non-zero if an import fails or does not create every row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10
ENTERPRISES = 2600
BUILDINGS = 32
INDUSTRIES = ["I6510", "I6420", "L7212", "M7320", "J6612", "F5191", "L7221", "M7492", "R8750"]
TAGS = ["high_tech", "specialised_sophisticated", "headquarters", "foreign_invested", "small_micro"]
BUILDING_FIELDS = ("code", "name", "kind", "address", "lon", "lat", "floors", "floor_area_m2")


@dataclass
class Source:
    name: str
    workbook: bytes
    rows: int
    buildings: list[dict[str, Any]]
    butlers: list[str]


def demo_source() -> Source | None:
    """The demo sub-district's enterprises, or None where the demo package is not there."""
    try:
        from linli.demo.load import load_demo
        from linli.registry.demo.enterprises_excel import enterprises_workbook
    except ImportError:
        return None
    from django_scopes import scopes_disabled

    from linli.core.models import Subdistrict
    from linli.registry.models import Building, Enterprise

    load_demo()
    home = Subdistrict.objects.filter(is_synthetic=True).order_by("pk").first()
    if home is None:
        return None
    with scopes_disabled():
        enterprises = Enterprise.objects.filter(subdistrict=home)
        butlers = enterprises.exclude(butler=None).values_list("butler__username", flat=True)
        return Source(
            name="demo",
            workbook=enterprises_workbook(home),
            rows=enterprises.count(),
            buildings=list(Building.objects.filter(subdistrict=home).values(*BUILDING_FIELDS)),
            butlers=sorted(set(butlers)),
        )


def generated_source() -> Source:
    from openpyxl import Workbook

    from linli.registry.credit_code import check_character
    from linli.registry.exports import export_columns
    from linli.registry.kinds import KINDS

    rng = random.Random(2600)
    buildings = [
        {
            "code": f"B{n:02d}",
            "name": f"示例大厦{n:02d}",
            "kind": "office",
            "address": f"南京西路{n}号",
            "lon": 121.45 + n * 0.0005,
            "lat": 31.23 + n * 0.0003,
            "floors": 20 + n,
            "floor_area_m2": Decimal(40_000 + n * 1000),
        }
        for n in range(1, BUILDINGS + 1)
    ]
    columns = export_columns(KINDS["enterprise"])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("enterprise")
    sheet.append(columns)
    for n in range(1, ENTERPRISES + 1):
        body = f"91310106{n:09d}"
        values = {
            "credit_code": body + check_character(body),
            "name": f"上海示例企业{n:04d}有限公司",
            "industry_code": rng.choice(INDUSTRIES),
            "registered_capital": round(rng.uniform(10, 50_000), 2),
            "founded_on": dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(10_000)),
            "headcount": rng.randrange(1, 800),
            "building": rng.choice(buildings)["code"],
            "unit": f"{rng.randrange(2, 40)}{rng.randrange(1, 20):02d}",
            "floor_area_m2": round(rng.uniform(50, 3000), 1),
            "lease_end": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(1500)),
            "tags": ";".join(sorted(rng.sample(TAGS, rng.randrange(0, 3)))),
            "status": "active",
            "legal_rep_name": f"法人{n:04d}",
            "contact_name": f"联系人{n:04d}",
        }
        sheet.append([values.get(c, "") for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Source("generated", buffer.getvalue(), ENTERPRISES, buildings, [])


def fresh_target(run: int, source: Source) -> Any:
    """A new sub-district with the source's buildings and butlers and an administrator."""
    from django_scopes import scope

    from linli.core.access import Access
    from linli.core.models import Membership, Subdistrict, User
    from linli.core.roles import Role
    from linli.registry.models import Building

    subdistrict = Subdistrict.objects.create(
        code=f"3101069{50 + run:02d}", name=f"基准测试街道 {run} (synthetic)", is_synthetic=True
    )
    admin = User.objects.create(username=f"bench-admin-{run}")
    with scope(subdistrict=subdistrict):
        Membership.objects.create(user=admin, subdistrict=subdistrict, role=Role.SUBDISTRICT_ADMIN)
        Membership.objects.bulk_create(
            Membership(user=user, subdistrict=subdistrict, role=Role.BUTLER)
            for user in User.objects.filter(username__in=source.butlers)
        )
        Building.objects.bulk_create(
            Building(subdistrict=subdistrict, **values) for values in source.buildings
        )
    return Access.for_user(admin, subdistrict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one timed run instead of three")
    args = parser.parse_args()
    runs = 1 if args.quick else 3

    workdir = tempfile.TemporaryDirectory(prefix="linli-bench-")
    # The database must be chosen before Django reads its settings.
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "linli.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.core.management import call_command
    from django_scopes import scope

    from linli.registry.importers import import_records

    call_command("migrate", verbosity=0, interactive=False)
    source = demo_source() or generated_source()

    seconds: list[float] = []
    # Wall time is what a person waits; CPU time stays comparable on a busy shared machine.
    cpu_seconds: list[float] = []
    failure = ""
    for run in range(runs):
        actor = fresh_target(run, source)
        with scope(subdistrict=actor.subdistrict):
            started, started_cpu = time.perf_counter(), time.process_time()
            report = import_records(
                actor, "enterprise", "enterprises.xlsx", source.workbook, dry_run=False
            )
            seconds.append(time.perf_counter() - started)
            cpu_seconds.append(time.process_time() - started_cpu)
        if not report.committed or report.created != source.rows:
            problems = [f"row {e.row} {e.field}: {e.message}" for e in report.errors[:5]]
            failure = "; ".join(problems) or f"created {report.created} of {source.rows}"
            break
    workdir.cleanup()

    result: dict[str, Any] = {
        "bench": "registry_import",
        "rows": source.rows,
        "seconds_median": round(statistics.median(seconds), 3),
        "cpu_seconds_median": round(statistics.median(cpu_seconds), 3),
        "runs": len(seconds),
        "target_seconds": TARGET_SECONDS,
        "source": source.name,
    }
    if failure:
        result["error"] = failure
    print(json.dumps(result, ensure_ascii=False))
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
