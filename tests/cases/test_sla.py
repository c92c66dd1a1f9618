"""The SLA sweep: a reminder at 80% of a limit, supervision to the leaders once it is missed,
nothing sent twice however often it runs, and no clock while waiting for the reporter."""

from __future__ import annotations

import datetime as dt

from linli.cases import services as s
from linli.cases.models import CaseEvent, SlaMark
from linli.cases.tasks import sla_sweep, sweep
from linli.core.models import Notification
from linli.core.scheduler import JOBS
from tests.cases.conftest import local


def inbox(user, word: str) -> int:
    return Notification.objects.filter(user=user, title__contains=word).count()


def dispatched(office, report, now):
    now("2026-09-29 10:00")
    case = report()
    s.register_case(case, actor=office.access(office.dispatcher))
    s.dispatch_case(case, office.dept_a, actor=office.access(office.dispatcher))
    return case


def test_reminder_at_80_percent_then_supervision_each_once(office, report, now):
    case = dispatched(office, report, now)
    assert case.stage_deadline == local("2026-09-29 11:00")
    assert case.reminder_at == local("2026-09-29 10:48")  # 80% of one working hour

    assert sweep(local("2026-09-29 10:47")) == {"reminder": 0, "supervision": 0}
    assert sweep(local("2026-09-29 10:48")) == {"reminder": 1, "supervision": 0}
    assert sweep(local("2026-09-29 10:50")) == {"reminder": 0, "supervision": 0}
    assert inbox(office.handler_a, "reminder") == 1
    assert inbox(office.leader, "supervision") == 0

    assert sweep(local("2026-09-29 11:01")) == {"reminder": 0, "supervision": 1}
    assert sweep(local("2026-09-29 11:02")) == {"reminder": 0, "supervision": 0}
    assert inbox(office.leader, "supervision") == 1
    assert inbox(office.handler_a, "reminder") == 1
    assert SlaMark.objects.filter(case=case).count() == 2
    assert list(
        CaseEvent.objects.filter(case=case, action__in=["reminder", "supervision"]).values_list(
            "action", flat=True
        )
    ) == ["reminder", "supervision"]


def test_a_new_clock_gets_its_own_reminder(office, report, now):
    case = dispatched(office, report, now)
    sweep(local("2026-09-29 11:01"))
    now("2026-09-29 11:05")
    s.accept_case(case, actor=office.access(office.handler_a))  # late, and a new clock starts
    assert case.stage == "first_contact"
    assert sweep(local("2026-09-29 11:06")) == {"reminder": 0, "supervision": 0}
    # First contact within 1 working day: due 30 September 11:05, reminder after 6 h of it.
    assert case.reminder_at == local("2026-09-30 09:35")
    assert sweep(local("2026-09-30 09:35")) == {"reminder": 1, "supervision": 0}


def test_no_reminders_while_waiting_for_the_reporter(office, report, now):
    a = office.access
    case = dispatched(office, report, now)
    s.accept_case(case, actor=a(office.handler_a))
    s.start_handling(case, actor=a(office.handler_a))
    s.wait_for_reporter(case, actor=a(office.handler_a), note="Photo of the socket, please")
    assert sweep(local("2026-12-31 17:00")) == {"reminder": 0, "supervision": 0}


def test_running_twice_at_once_sends_once(office, report, now):
    dispatched(office, report, now)
    first = sweep(local("2026-09-29 11:30"))
    second = sweep(local("2026-09-29 11:30"))
    assert first == {"reminder": 1, "supervision": 1}
    assert second == {"reminder": 0, "supervision": 0}


def test_the_sweep_reads_only_crossed_lines(office, report, now, django_assert_max_num_queries):
    for _ in range(5):
        dispatched(office, report, now)
    with django_assert_max_num_queries(2):
        sweep(local("2026-09-29 10:30"))


def test_the_sweep_is_a_periodic_task_every_minute():
    job = JOBS["cases.sla_sweep"]
    assert job.every == dt.timedelta(minutes=1)
    assert job.enqueue == sla_sweep.enqueue
