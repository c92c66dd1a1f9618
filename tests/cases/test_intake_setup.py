"""Intake keeps the categories, rules, limits, dispatchers, grids and work calendar per process
(linli/cases/intake_setup.py): a case must still follow every edit, however it was made."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from linli.cases import intake_setup as intake
from linli.cases.models import RoutingRule, Stage, TimeLimit
from linli.core import clock
from linli.core.models import Notification, User, WorkDay
from tests.cases.conftest import local
from tests.factories import MembershipFactory, UserFactory


def test_deadlines_follow_a_holiday_added_after_the_last_case(office, report, now):
    now("2026-06-09 17:00")  # a Tuesday: half an hour left today, the rest on Wednesday
    assert report().stage_deadline == local("2026-06-10 10:30")
    # An administrator declares Wednesday a holiday (a plain UPDATE: no model signals).
    WorkDay.objects.filter(date=dt.date(2026, 6, 10)).update(is_workday=False, name="Local")
    assert report().stage_deadline == local("2026-06-11 10:30")
    WorkDay.objects.filter(date=dt.date(2026, 6, 10)).update(is_workday=True, name="")
    assert report().stage_deadline == local("2026-06-10 10:30")


def test_routing_follows_a_rule_switched_off_in_bulk(office, report, now):
    rule = RoutingRule.objects.create(
        subdistrict=office.subdistrict,
        name="Batteries to urban management",
        category=office.incident,
        organisation=office.dept_a,
    )
    assert report().routed_organisation == office.dept_a
    RoutingRule.objects.filter(pk=rule.pk).update(active=False)
    assert report().routed_organisation == office.centre


def test_limits_fields_and_grids_follow_edits(office, report, now):
    now("2026-06-09 10:00")
    assert report().stage_deadline == local("2026-06-09 12:00")
    TimeLimit.objects.create(
        subdistrict=office.subdistrict,
        category=office.incident,
        stage=Stage.REGISTER,
        amount=1,
        unit=TimeLimit.Unit.WORKING_DAYS,
    )
    case = report()
    assert case.stage_deadline == local("2026-06-10 10:00")
    assert case.grid == office.grid
    office.grid.polygon = None
    office.grid.save()
    assert report().grid is None
    office.battery.fields.filter(key="floor").delete()
    assert report(extra={}).extra == {}


def _stamped_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname = 'cases_setup_changed'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE 'cases_setup_changed%'"
            )
        return {row[0] for row in cursor.fetchall()}


def _stamp() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {intake.STAMP_TABLE} WHERE id = 1")  # noqa: S608
        return int(cursor.fetchone()[0])


def test_a_trigger_stamps_every_table_intake_keeps(office):
    tables = {model._meta.db_table for model in intake.KEPT} | {User._meta.db_table}
    assert tables <= _stamped_tables()


def test_people_change_the_stamp_but_signing_in_does_not(office):
    before = _stamp()
    User.objects.filter(pk=office.resident.pk).update(last_login=clock.now())
    assert _stamp() == before
    User.objects.filter(pk=office.dispatcher.pk).update(email="desk@centre.example")
    assert _stamp() != before


def test_notices_follow_who_works_at_the_dispatch_centre(office, report):
    def told(user) -> int:
        return Notification.objects.filter(user=user, title__contains="new case").count()

    report()
    assert told(office.dispatcher) == 1
    # The dispatcher leaves (a plain UPDATE: no model signals); a colleague joins the centre.
    User.objects.filter(pk=office.dispatcher.pk).update(is_active=False)
    newcomer = UserFactory()
    with scopes_disabled():
        MembershipFactory(
            user=newcomer,
            subdistrict=office.subdistrict,
            role="handler",
            organisation=office.centre,
        )
    report()
    assert told(office.dispatcher) == 1
    assert told(newcomer) == 1


def test_a_later_case_reads_no_setup_and_an_edit_brings_a_fresh_one(office, report, now):
    report()  # seeds the calendar year: a change to the setup
    report()
    with CaptureQueriesContext(connection) as second:
        report()
    read = " ".join(q["sql"] for q in second.captured_queries)
    for kept in ("cases_routingrule", "core_workday", "cases_category", "'dispatch_centre'"):
        assert kept not in read
    office.centre.name = "Operations centre"
    office.centre.save()
    with CaptureQueriesContext(connection) as third:
        assert "Operations centre" in report().routing_reason
    assert "cases_routingrule" in " ".join(q["sql"] for q in third.captured_queries)
