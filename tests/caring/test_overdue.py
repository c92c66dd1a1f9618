"""The overdue sweep: the visitor, then the committee, then a case; a second run doubles
nothing; a visit starts the count afresh."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.cases.models import Case
from linli.core.access import Access
from linli.core.models import Notification
from linli.livelihood.caring import overdue, services, tasks
from linli.livelihood.caring.models import CaringPlan, CaringVisit, OverdueStep
from tests.caring.helpers import NOW, TODAY, set_clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(hood, access):
    return services.create_plan(
        access["committee"],
        person=hood.persons[0],
        reason=CaringPlan.Reason.LIVING_ALONE,
        visitor=access["volunteer"].user,
        starts_on=TODAY - dt.timedelta(days=60),
    )


def _sweep(hood, days_after_due: int, plan):
    day = plan.next_due_on + dt.timedelta(days=days_after_due)
    return overdue.sweep(Access.system(hood.subdistrict), day)


def _inbox(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_reminders_then_a_case_after_the_second_limit(hood, access, users, plan):
    assert _sweep(hood, 2, plan).total == 0
    assert _sweep(hood, 3, plan).steps == {"visitor": 1}
    assert any("overdue by 3 days" in t for t in _inbox(users["volunteer"]))
    assert _sweep(hood, 7, plan).steps == {"committee": 1}
    assert any("overdue by 7 days" in t for t in _inbox(users["committee"]))
    assert not Case.objects.exists()
    assert _sweep(hood, 14, plan).steps == {"case": 1}
    case = OverdueStep.objects.get(level="case").case
    assert case.category.code == "caring-overdue"
    assert case.lead_organisation == hood.committee


def test_the_sweep_is_idempotent(hood, users, plan):
    first = _sweep(hood, 20, plan)
    assert dict(first.steps) == {"visitor": 1, "committee": 1, "case": 1}
    notes, cases = Notification.objects.count(), Case.objects.count()
    assert _sweep(hood, 20, plan).total == 0
    assert _sweep(hood, 21, plan).total == 0
    assert (Notification.objects.count(), Case.objects.count()) == (notes, cases)
    assert OverdueStep.objects.count() == 3


def test_a_visit_starts_the_count_afresh(hood, access, plan, monkeypatch):
    _sweep(hood, 3, plan)
    services.log_visit(access["volunteer"], plan, outcome=CaringVisit.Outcome.SEEN_WELL)
    plan.refresh_from_db()
    assert _sweep(hood, 2, plan).total == 0
    assert _sweep(hood, 3, plan).steps == {"visitor": 1}


def test_the_periodic_task_sweeps_every_subdistrict(hood, plan, monkeypatch):
    set_clock(monkeypatch, NOW + dt.timedelta(days=40))
    assert tasks.sweep_overdue_visits.call() == 3
    assert tasks.sweep_overdue_visits.call() == 0
