"""Entering a holiday notice moves the deadline of an open case that spans its days, keeping
the working time it had left, and audits the move; cases it does not touch stay as they were."""

from __future__ import annotations

import datetime as dt

from linli.cases import services as s
from linli.core.access import Access
from linli.core.models import AuditEntry
from linli.core.work_calendar import Holiday, Notice, apply_notice
from tests.cases.conftest import local

YEAR = 2030  # beyond the holiday package: every weekday counts until the notice is entered


def handling(office, report, now):
    now(f"{YEAR}-01-21 10:00")  # a Monday
    case = report()
    dispatcher = office.access(office.dispatcher)
    s.register_case(case, actor=dispatcher)
    s.dispatch_case(case, office.dept_a, actor=dispatcher)
    s.accept_case(case, actor=office.access(office.handler_a))
    s.start_handling(case, actor=office.access(office.handler_a))
    case.refresh_from_db()
    return case


def test_a_holiday_inside_the_time_limit_moves_the_deadline_by_a_working_day(
    office, report, now, subdistrict, make_user
) -> None:
    case = handling(office, report, now)
    deadline = case.stage_deadline
    assert deadline.date() == dt.date(YEAR, 1, 28)  # 5 working days: Monday to Monday
    admin = Access.for_user(make_user("subdistrict_admin", subdistrict), subdistrict)

    changed = apply_notice(
        admin, Notice(YEAR, (Holiday(dt.date(YEAR, 1, 23), dt.date(YEAR, 1, 23), "测试"),), ())
    )

    assert changed == [dt.date(YEAR, 1, 23)]
    case.refresh_from_db()
    assert case.stage_deadline == deadline + dt.timedelta(days=1)  # Tuesday instead of Monday
    entry = AuditEntry.objects.get(action="cases.case.recompute_deadline", object_id=str(case.pk))
    assert entry.before["stage_deadline"] == deadline.isoformat()
    assert entry.actor == admin.user


def test_a_case_the_change_does_not_touch_keeps_its_deadline(
    office, report, now, subdistrict, make_user
) -> None:
    case = handling(office, report, now)
    deadline = case.stage_deadline
    admin = Access.for_user(make_user("subdistrict_admin", subdistrict), subdistrict)
    apply_notice(
        admin,
        Notice(
            YEAR,
            (
                Holiday(
                    local(f"{YEAR}-10-01 00:00").date(), local(f"{YEAR}-10-07 00:00").date(), "国庆"
                ),
            ),
            (),
        ),
    )
    case.refresh_from_db()
    assert case.stage_deadline == deadline
    assert not AuditEntry.objects.filter(action="cases.case.recompute_deadline").exists()
