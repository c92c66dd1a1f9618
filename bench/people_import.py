"""Benchmark: import a sub-district's ledger of residents and homes, then look a person up by ID.

    .venv/bin/python bench/people_import.py [--quick] [--postgres]

1. A fresh database: a temporary SQLite file (the default path), or with ``--postgres`` a
   PostgreSQL database of its own (``LINLI_BENCH_PG``, dropped at the end). One sub-district
   with 11 residential quarters and an administrator.
2. A ledger workbook (实有人口 · 实有房屋, the columns ``linli.people.ledger`` reads) written
   with openpyxl: 12,000 dwellings and 30,000 persons (``--quick``: 1,200 and 3,000) in
   households of one to five, with valid ID numbers and mobiles, synthetic only.
3. Times a dry run and the real import (all rows or none, in one transaction), then checks
   that every person and dwelling is there, and that a second ledger with one bad ID check
   digit in its last row writes nothing.
4. Fills the person table to 1,000,000 rows (``--quick``: 100,000), as a city-wide deployment
   would hold after many ledger imports (and refreshes the planner's statistics, as each of
   those imports does at its end), and times 300 exact searches by ID number through the API
   as the sub-district's administrator (the whole request in-process: HMAC look-up,
   visibility, masking).

Prints ONE JSON line with the timings, the counts and whether the targets of a full run hold:
the import in at most 30 s, and an exact ID search p95 of at most 20 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_harness import bench_database, percentile  # noqa: E402

FULL = {"dwellings": 12_000, "persons": 30_000, "table": 1_000_000}
QUICK = {"dwellings": 1_200, "persons": 3_000, "table": 100_000}
TARGET_IMPORT_S, TARGET_SEARCH_P95_MS = 30, 20
QUARTERS = 11
SEARCHES = 300
CODE = "310106992"
HEADER = [
    "小区",
    "楼号",
    "单元",
    "室号",
    "楼层",
    "建筑面积",
    "居住状况",
    "户号",
    "姓名",
    "身份证号",
    "手机号",
    "与户主关系",
    "户籍地址",
]
RELATIONS = ["户主", "配偶", "子女", "父母", "孙子女"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


@contextlib.contextmanager
def database(postgres: bool) -> Iterator[str]:
    if postgres:
        with bench_database("people") as url:
            yield url
    else:
        with tempfile.TemporaryDirectory(prefix="linli-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


def resident_id(rng: random.Random, serial: int) -> str:
    """A valid, synthetic ID number: the demo district's area code, a birth date, a serial."""
    from linli.core.pii import resident_id_check_digit

    born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(33_000))
    first17 = f"310106{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + resident_id_check_digit(first17)


class Identities:
    """ID numbers never given twice (a birth date and serial number make one unique)."""

    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not a secret
        self.taken: set[str] = set()

    def next(self) -> str:
        while True:
            number = resident_id(self.rng, self.rng.randrange(1000))
            if number not in self.taken:
                self.taken.add(number)
                return number


def ledger(size: dict[str, int], identities: Identities, *, spoil_last: bool = False) -> bytes:
    """The workbook: one row per person, with their dwelling's columns; dwellings nobody lives
    in get a row of their own (no name, no ID)."""
    from openpyxl import Workbook

    rng = random.Random("ledger")  # noqa: S311 - synthetic data
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("实有人口")
    sheet.append(HEADER)
    persons_left, dwellings = size["persons"], size["dwellings"]
    rows = 0
    for n in range(dwellings):
        quarter = f"Q{n % QUARTERS + 1:02d}"
        building, room = str(n // 60 + 1), f"{(n % 60) // 4 + 1}0{n % 4 + 1}"
        floor = (n % 60) // 4 + 1
        place = [quarter, building, "1", room, floor, round(rng.uniform(35, 120), 1)]
        # Spread the persons so every dwelling but a few vacant ones has somebody.
        left_dwellings = dwellings - n
        household = min(persons_left, max(1, round(persons_left / left_dwellings)))
        if n % 50 == 0 and persons_left < left_dwellings * 5:
            household = 0
        if household == 0:
            sheet.append([*place, "空置", "", "", "", "", "", ""])
            rows += 1
            continue
        tenure = "出租" if n % 5 == 0 else "自住"
        for member in range(household):
            number = identities.next()
            if spoil_last and persons_left == 1 and member == household - 1:
                number = number[:-1] + ("0" if number[-1] != "0" else "1")
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            mobile = f"13{rng.randrange(10**9):09d}"
            relation = RELATIONS[min(member, len(RELATIONS) - 1)]
            sheet.append([*place, tenure, f"H{n:06d}", name, number, mobile, relation, "上海市"])
            persons_left -= 1
            rows += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def setup() -> Any:
    """The sub-district, its quarters and an administrator; returns the administrator's access."""
    from django_scopes import scope

    from linli.core.access import Access
    from linli.core.models import Membership, Subdistrict, User
    from linli.core.roles import Role
    from linli.registry.models import Quarter

    subdistrict = Subdistrict.objects.create(
        code=CODE, name="基准测试街道 (synthetic)", is_synthetic=True
    )
    admin = User.objects.create(username="bench-admin")
    with scope(subdistrict=subdistrict):
        Membership.objects.create(user=admin, subdistrict=subdistrict, role=Role.SUBDISTRICT_ADMIN)
        Quarter.objects.bulk_create(
            Quarter(subdistrict=subdistrict, code=f"Q{n:02d}", name=f"Q{n:02d}")
            for n in range(1, QUARTERS + 1)
        )
    return Access.for_user(admin, subdistrict)


def fill_table(access: Any, total: int, identities: Identities) -> list[str]:
    """Persons up to ``total`` rows in all; returns some of the ID numbers to look up."""
    from django_scopes import scope

    from linli.core import statistics
    from linli.core.pii import encrypt, lookup_hash
    from linli.people.models import Person

    rng = random.Random("table")  # noqa: S311 - synthetic data
    with scope(subdistrict=access.subdistrict):
        missing = total - Person.objects.count()
        sample = []
        batch: list[Person] = []
        for n in range(missing):
            number = identities.next()
            if n % max(1, missing // SEARCHES) == 0:
                sample.append(number)
            batch.append(
                Person(
                    subdistrict=access.subdistrict,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    resident_id_cipher=encrypt(number),
                    resident_id_hash=lookup_hash(number),
                    birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                )
            )
            if len(batch) == 10_000:
                Person.objects.bulk_create(batch)
                batch = []
        Person.objects.bulk_create(batch)
        # These rows stand for earlier ledger imports, each of which ends this way.
        statistics.refresh(Person)
    return sample[:SEARCHES]


def search_times(access: Any, numbers: list[str]) -> list[float]:
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(access.user)
    url = reverse("api:people_persons")
    times = []
    for number in [numbers[0], *numbers]:  # the first one warms the path up, uncounted
        began = time.perf_counter()
        answer = client.get(url, {"resident_id": number})
        times.append(time.perf_counter() - began)
        if answer.status_code != 200 or answer.json()["count"] != 1:
            raise RuntimeError(f"search for a known ID answered {answer.status_code}")
    return times[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3,000 persons, 100,000 in the table")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL

    with database(args.postgres) as url:
        # The database must be chosen before Django reads its settings.
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "linli.settings"
        os.environ.setdefault("LINLI_DEBUG", "0")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections
        from django_scopes import scope

        from linli.people.ledger import import_ledger
        from linli.people.models import Dwelling, Person

        call_command("migrate", verbosity=0, interactive=False)
        access = setup()
        identities = Identities("people")
        workbook = ledger(size, identities)
        spoiled = ledger(size, Identities("spoiled"), spoil_last=True)
        with scope(subdistrict=access.subdistrict):
            began = time.perf_counter()
            dry = import_ledger(access, "ledger.xlsx", workbook, dry_run=True)
            dry_s = time.perf_counter() - began
            began = time.perf_counter()
            report = import_ledger(access, "ledger.xlsx", workbook, dry_run=False)
            import_s = time.perf_counter() - began
            persons, dwellings = Person.objects.count(), Dwelling.objects.count()
            refused = import_ledger(access, "spoiled.xlsx", spoiled, dry_run=False)
            untouched = (Person.objects.count(), Dwelling.objects.count()) == (persons, dwellings)
        problems = [f"row {e.row} {e.column}: {e.message}" for e in report.errors[:3]]
        sample = fill_table(access, size["table"], identities)
        with scope(subdistrict=access.subdistrict):
            table = Person.objects.count()
            times = sorted(search_times(access, sample))
        connections.close_all()

    imported = report.committed and persons == size["persons"] and dwellings == size["dwellings"]
    all_or_nothing = not refused.committed and bool(refused.errors) and untouched
    p95_ms = round(percentile(times, 0.95) * 1000, 2)
    line = {
        "bench": "people_import",
        "quick": args.quick,
        "database": "postgresql" if args.postgres else "sqlite",
        "persons": persons,
        "dwellings": dwellings,
        "dry_run_s": round(dry_s, 2),
        "dry_run_new": dry.new,
        "import_s": round(import_s, 2),
        "all_or_nothing": all_or_nothing,
        "table_persons": table,
        "id_search_p50_ms": round(statistics.median(times) * 1000, 2),
        "id_search_p95_ms": p95_ms,
        "load_average": [round(n, 2) for n in os.getloadavg()],
        "targets": {"import_s": TARGET_IMPORT_S, "id_search_p95_ms": TARGET_SEARCH_P95_MS},
        "targets_met": (
            imported
            and all_or_nothing
            and import_s <= TARGET_IMPORT_S
            and p95_ms <= TARGET_SEARCH_P95_MS
        )
        if not args.quick
        else None,
    }
    if problems:
        line["first_errors"] = problems
    print(json.dumps(line, ensure_ascii=False))
    return 0 if imported and all_or_nothing else 1


if __name__ == "__main__":
    sys.exit(main())
