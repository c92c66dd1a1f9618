"""Benchmark: the monthly caring-visit plan and its coverage statistics for a whole district.

    .venv/bin/python bench/eldercare.py [--quick] [--postgres]

1. A fresh database: a temporary SQLite file (the default path), or with ``--postgres`` a
   PostgreSQL database of its own (``LINLI_BENCH_PG``, dropped at the end).
2. A district of 14 sub-districts with 120,000 elders aged 60+ in all (``--quick``: 4,200),
   each sub-district with 10 quarters in 5 grids, one residential building per quarter, one
   dwelling per elder; four elders in five are tagged living alone, the rest empty-nest; 20
   volunteers per sub-district. Synthetic only.
3. Timed: for every sub-district, the month's plans (``planning.plan_everyone``: who is
   entitled from the registry, one plan each, in one statement). Untimed: visitors assigned
   and this month's visits for nine plans in ten. Timed again: for every sub-district, the
   coverage of the month for the whole area and per quarter, grid and visitor
   (``statistics.coverage``: aggregates in the database).

Prints ONE JSON line with the timings, the counts and whether the target of a full run holds:
plan and statistics for the district in at most 10 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_harness import bench_database  # noqa: E402

SUBDISTRICTS = 14
FULL_ELDERS, QUICK_ELDERS = 120_000, 4_200
QUARTERS, GRIDS, VOLUNTEERS = 10, 5, 20
TARGET_S = 10
DAY = dt.date(2026, 3, 16)


@contextlib.contextmanager
def database(postgres: bool) -> Iterator[str]:
    if postgres:
        with bench_database("eldercare") as url:
            yield url
    else:
        with tempfile.TemporaryDirectory(prefix="linli-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


def district(elders: int) -> list[Any]:
    """The sub-districts with their elders; returns an administrator's access for each."""
    from django_scopes import scope

    from linli.core import statistics
    from linli.core.access import Access
    from linli.core.models import Membership, Subdistrict, User
    from linli.core.roles import Role
    from linli.people.models import Dwelling, Person, PersonTag, ResidentialBuilding, TagKind, Unit
    from linli.registry.models import Grid, Quarter

    rng = random.Random("eldercare")  # noqa: S311 - synthetic data
    alone, empty_nest = (
        TagKind.objects.get(code="living_alone"),
        TagKind.objects.get(code="empty_nest"),
    )
    each = elders // SUBDISTRICTS
    accesses = []
    for s in range(SUBDISTRICTS):
        sub = Subdistrict.objects.create(
            code=f"3101069{s:02d}", name=f"基准街道 {s + 1} (synthetic)", is_synthetic=True
        )
        admin = User.objects.create(username=f"bench-admin-{s}")
        with scope(subdistrict=sub):
            Membership.objects.create(user=admin, subdistrict=sub, role=Role.SUBDISTRICT_ADMIN)
            volunteers = User.objects.bulk_create(
                User(username=f"bench-vol-{s}-{v}") for v in range(VOLUNTEERS)
            )
            Membership.objects.bulk_create(
                Membership(user=u, subdistrict=sub, role=Role.VOLUNTEER) for u in volunteers
            )
            grids = Grid.objects.bulk_create(
                Grid(subdistrict=sub, code=f"G{g}", name=f"G{g}") for g in range(GRIDS)
            )
            quarters = Quarter.objects.bulk_create(
                Quarter(subdistrict=sub, code=f"Q{q}", name=f"Q{q}", grid=grids[q % GRIDS])
                for q in range(QUARTERS)
            )
            buildings = ResidentialBuilding.objects.bulk_create(
                ResidentialBuilding(
                    subdistrict=sub,
                    quarter=q,
                    grid=q.grid,
                    code=f"B{q.code}",
                    number="1",
                    floors=20,
                )
                for q in quarters
            )
            units = Unit.objects.bulk_create(
                Unit(subdistrict=sub, building=b, number="1") for b in buildings
            )
            dwellings = Dwelling.objects.bulk_create(
                (
                    Dwelling(
                        subdistrict=sub,
                        unit=units[n % QUARTERS],
                        number=str(n),
                        floor=1,
                        floor_area_m2=50,
                    )
                    for n in range(each)
                ),
                batch_size=5000,
            )
            persons = Person.objects.bulk_create(
                (
                    Person(
                        subdistrict=sub,
                        name=f"长者{n}",
                        birth_date=dt.date(1926, 1, 1) + dt.timedelta(days=rng.randrange(12_000)),
                        dwelling=d,
                    )
                    for n, d in enumerate(dwellings)
                ),
                batch_size=5000,
            )
            PersonTag.objects.bulk_create(
                (
                    PersonTag(
                        subdistrict=sub,
                        person=p,
                        kind=alone if n % 5 else empty_nest,
                        source=PersonTag.Source.SURVEY,
                        valid_from=dt.date(2025, 1, 1),
                        reason="bench",
                    )
                    for n, p in enumerate(persons)
                ),
                batch_size=5000,
            )
        accesses.append((Access.for_user(admin, sub), volunteers))
    # These rows stand for the registry's ledger imports, each of which ends this way.
    statistics.refresh(Person, PersonTag, Dwelling, Unit, ResidentialBuilding)
    return accesses


def visits(access: Any, volunteers: list[Any]) -> None:
    """Visitors for every plan, and this month's visit for nine in ten."""
    from django_scopes import scope

    from linli.core import statistics
    from linli.livelihood.caring.models import CaringPlan, CaringVisit

    with scope(subdistrict=access.subdistrict):
        plans = list(CaringPlan.objects.values_list("pk", "person_id"))
        for i, volunteer in enumerate(volunteers):
            CaringPlan.objects.filter(pk__in=[pk for pk, _ in plans[i :: len(volunteers)]]).update(
                visitor=volunteer
            )
        CaringVisit.objects.bulk_create(
            (
                CaringVisit(
                    subdistrict=access.subdistrict,
                    plan_id=pk,
                    person_id=person,
                    outcome=CaringVisit.Outcome.SEEN_WELL,
                    on=DAY - dt.timedelta(days=n % 10),
                )
                for n, (pk, person) in enumerate(plans)
                if n % 10
            ),
            batch_size=5000,
        )
        # The month's visits stand for many small logs; the planner knows them by now.
        statistics.refresh(CaringVisit)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,200 elders instead of 120,000")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    elders = QUICK_ELDERS if args.quick else FULL_ELDERS

    with database(args.postgres) as url:
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.settings"
        os.environ.setdefault("LINLI_DEBUG", "0")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections
        from django_scopes import scope

        from linli.livelihood.caring import planning, statistics

        call_command("migrate", verbosity=0, interactive=False)
        began = time.perf_counter()
        accesses = district(elders)
        fill_s = time.perf_counter() - began

        began = time.perf_counter()
        planned = 0
        for access, _volunteers in accesses:
            with scope(subdistrict=access.subdistrict):
                planned += planning.plan_everyone(access, DAY)
        plan_s = time.perf_counter() - began

        for access, volunteers in accesses:
            visits(access, volunteers)

        began = time.perf_counter()
        due = done = rows = 0
        for access, _volunteers in accesses:
            with scope(subdistrict=access.subdistrict):
                (total,) = statistics.coverage(access, DAY)
                due, done = due + total.due, done + total.done
                for by in ("quarter", "grid", "visitor"):
                    rows += len(statistics.coverage(access, DAY, by))
        stats_s = time.perf_counter() - began
        connections.close_all()

    each = elders // SUBDISTRICTS
    visited = SUBDISTRICTS * (each - (each + 9) // 10)
    correct = planned == due == each * SUBDISTRICTS and done == visited
    total_s = plan_s + stats_s
    line = {
        "bench": "eldercare",
        "quick": args.quick,
        "database": "postgresql" if args.postgres else "sqlite",
        "subdistricts": SUBDISTRICTS,
        "elders": elders,
        "fill_s": round(fill_s, 2),
        "plans_made": planned,
        "plan_s": round(plan_s, 2),
        "visits_due": due,
        "visits_done": done,
        "coverage_pct": round(100 * done / due, 1) if due else None,
        "statistics_rows": rows,
        "statistics_s": round(stats_s, 2),
        "total_s": round(total_s, 2),
        "load_average": [round(n, 2) for n in os.getloadavg()],
        "targets": {"total_s": TARGET_S},
        "targets_met": (correct and total_s <= TARGET_S) if not args.quick else None,
    }
    print(json.dumps(line, ensure_ascii=False))
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
