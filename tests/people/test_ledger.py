"""Importing the ledger of residents and homes: every error named by row and column, nothing
written unless every row is right, a dry run that says what would change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linli.core.models import AuditEntry
from linli.core.pii import resident_id_check_digit
from linli.core.spreadsheets import rows_to_xlsx
from linli.people.ledger import import_ledger
from linli.people.models import Dwelling, LifeEvent, Person
from linli.registry.importers import ImportFileError
from tests.people.helpers import resident_id

pytestmark = pytest.mark.django_db

HEADER = [
    "姓名",
    "身份证号",
    "手机号",
    "小区",
    "楼号",
    "单元",
    "室号",
    "楼层",
    "建筑面积",
    "户号",
    "与户主关系",
    "户籍地址",
    "人户分离",
]


def ledger(rows: list[list[str]]) -> bytes:
    return rows_to_xlsx("实有人口", [HEADER, *rows])


def impossible_birth_date() -> str:
    first17 = "31010619500230001"  # 30 February
    return first17 + resident_id_check_digit(first17)


def test_a_ledger_with_the_usual_errors_writes_nothing_and_names_each_error(hood, people):
    quarter = hood.quarters[0].name
    good = resident_id(dt.date(1948, 8, 8), 21)
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    content = ledger(
        [
            [
                "张伟",
                good,
                "13912340000",
                quarter,
                "9号楼",
                "1单元",
                "101",
                "1",
                "52.3",
                "",
                "",
                "",
                "",
            ],
            ["李娜", bad_check, "", quarter, "9号楼", "1单元", "102", "1", "48", "", "", "", ""],
            [
                "王芳",
                impossible_birth_date(),
                "",
                quarter,
                "9号楼",
                "1单元",
                "201",
                "2",
                "48",
                "",
                "",
                "",
                "",
            ],
            ["张伟", good, "", quarter, "9号楼", "1单元", "101", "1", "52.3", "", "", "", ""],
            [
                "刘洋",
                resident_id(dt.date(1990, 1, 2), 22),
                "",
                "不存在小区",
                "1号楼",
                "1单元",
                "101",
                "1",
                "50",
                "",
                "",
                "",
                "",
            ],
            [
                "陈静",
                resident_id(dt.date(1985, 3, 4), 23),
                "",
                quarter,
                "9号楼",
                "2单元",
                "301",
                "3",
                "六十",
                "",
                "",
                "",
                "",
            ],
        ]
    )
    persons, dwellings = Person.objects.count(), Dwelling.objects.count()
    for dry_run in (True, False):
        report = import_ledger(people["admin"], "ledger.xlsx", content, dry_run=dry_run)
        found = {(e.row, e.column) for e in report.errors}
        assert found == {
            (3, "身份证号"),
            (4, "身份证号"),
            (5, "身份证号"),
            (6, "小区"),
            (7, "建筑面积"),
        }
        messages = {e.row: e.message for e in report.errors}
        assert "check digit" in messages[3]
        assert "does not exist" in messages[4]
        assert "row 2" in messages[5]
        assert "不存在小区" in messages[6]
        assert "number" in messages[7]
        assert not report.committed
    assert (Person.objects.count(), Dwelling.objects.count()) == (persons, dwellings)


def test_a_dry_run_says_what_would_change_and_the_import_does_it(hood, people):
    quarter = hood.quarters[0].name
    mover, stayer = hood.persons
    rows = [
        [
            "张伟",
            resident_id(dt.date(1948, 8, 8), 21),
            "13912340000",
            quarter,
            "9号楼",
            "1单元",
            "101",
            "1",
            "52.3",
            "H9-1",
            "户主",
            "江苏省南通市",
            "是",
        ],
        [
            "周敏",
            resident_id(dt.date(1952, 1, 9), 24, female=True),
            "",
            quarter,
            "9号楼",
            "1单元",
            "101",
            "1",
            "52.3",
            "H9-1",
            "配偶",
            "",
            "",
        ],
        [
            mover.name,
            mover.resident_id,
            "",
            quarter,
            "9号楼",
            "1单元",
            "102",
            "1",
            "48",
            "",
            "",
            "",
            "",
        ],
        [
            stayer.name,
            stayer.resident_id,
            "",
            stayer.dwelling.unit.building.quarter.name,
            stayer.dwelling.unit.building.number,
            "1单元",
            "301",
            "3",
            "56.4",
            "",
            "",
            "",
            "",
        ],
        ["", "", "", quarter, "9号楼", "1单元", "201", "2", "48", "", "", "", ""],
    ]
    report = import_ledger(people["admin"], "ledger.xlsx", ledger(rows), dry_run=True)
    assert report.ok and not report.committed
    assert (report.new, report.updated, report.unchanged, report.conflicting) == (2, 1, 1, 0)
    assert report.dwellings == 3
    assert not Person.objects.filter(name="张伟").exists()

    report = import_ledger(people["admin"], "ledger.xlsx", ledger(rows), dry_run=False)
    assert report.committed and report.dwellings == 3
    zhang = Person.objects.get(name="张伟")
    assert zhang.mobile == "13912340000" and not zhang.registered_here
    assert zhang.household.number == "H9-1" and zhang.relation == Person.Relation.HEAD
    assert zhang.birth_date == dt.date(1948, 8, 8)
    mover.refresh_from_db()
    assert mover.dwelling.number == "102" and mover.dwelling.unit.building.number == "9号楼"
    assert [e.kind for e in LifeEvent.objects.filter(person=mover)][-2:] == [
        "moved_out",
        "moved_in",
    ]
    assert Dwelling.objects.filter(number="201", tenure=Dwelling.Tenure.OWNER_OCCUPIED).exists()
    entry = AuditEntry.objects.get(action="people.ledger.import")
    assert entry.after["new"] == 2 and "13912340000" not in str(entry.after)
    # The same ledger again changes nothing.
    again = import_ledger(people["admin"], "ledger.xlsx", ledger(rows), dry_run=True)
    assert (again.new, again.updated, again.unchanged, again.dwellings) == (0, 0, 4, 0)


def test_an_id_under_another_name_is_a_conflict(hood, people):
    person = hood.persons[0]
    row = [
        "另一个人",
        person.resident_id,
        "",
        hood.quarters[0].name,
        "1号楼",
        "1单元",
        "301",
        "3",
        "56.4",
        "",
        "",
        "",
        "",
    ]
    report = import_ledger(people["admin"], "ledger.xlsx", ledger([row]), dry_run=True)
    assert report.conflicting == 1
    assert "another name" in report.errors[0].message


def test_only_administrators_import_and_a_ledger_needs_its_columns(hood, people):
    with pytest.raises(PermissionDenied):
        import_ledger(people["committee"], "ledger.xlsx", ledger([]), dry_run=True)
    with pytest.raises(ImportFileError) as caught:
        import_ledger(
            people["admin"], "ledger.xlsx", rows_to_xlsx("x", [["姓名"], ["a"]]), dry_run=True
        )
    assert "小区" in caught.value.message


def test_the_import_page_shows_the_errors_by_row_and_column(hood, people, client_for):
    row = [
        "张伟",
        "310106195002300010",
        "",
        "不存在小区",
        "1号楼",
        "1单元",
        "101",
        "1",
        "五十",
        "",
        "",
        "",
        "",
    ]
    upload = SimpleUploadedFile("台账.xlsx", ledger([row]))
    response = client_for(people["admin"].user).post(
        reverse("people:import"), {"file": upload, "dry_run": "on"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    for column in ("身份证号", "小区", "建筑面积"):
        assert f"<td>{column}</td>" in page
    assert "310106195002300010" not in page  # the ID is named by its column, never echoed


def test_after_an_import_a_search_by_id_goes_straight_to_the_person(hood, people):
    """The import refreshes the planner's statistics: without them SQLite walked every person
    of the sub-district in name order to find one ID (40 ms on the demo, growing with it)."""
    from django.db import connection

    from linli.people.filters import PersonFilter, found

    quarter = hood.quarters[0].name
    numbers = [resident_id(dt.date(1950, 1, 1) + dt.timedelta(days=n), n % 900) for n in range(60)]
    rows = [
        [f"居民{n}", number, "", quarter, "9号楼", "1单元", f"{n + 101}", "1", "50", "", "", "", ""]
        for n, number in enumerate(numbers)
    ]
    assert import_ledger(people["admin"], "ledger.xlsx", ledger(rows), dry_run=False).committed

    query = found(people["admin"], PersonFilter(resident_id=numbers[7])).query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(step[-1]) for step in cursor.fetchall())
        else:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(str(step[0]) for step in cursor.fetchall())
    assert "resident_id" in plan  # an index on the ID hash, not the name order
    assert "people_person_name" not in plan
