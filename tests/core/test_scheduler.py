import datetime as dt

import pytest

from linli.core import scheduler
from linli.core.models import ScheduledSlot

UTC = dt.UTC


def test_a_nightly_job_slot_starts_at_the_local_hour_it_asks_for():
    # 2026-11-28 05:00 UTC is 13:00 in Shanghai; the 02:00 Shanghai slot began at 18:00 UTC.
    now = dt.datetime(2026, 11, 28, 5, 0, tzinfo=UTC)
    start = scheduler.slot_start(now, dt.timedelta(days=1), dt.timedelta(hours=2))
    assert start == dt.datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def test_before_the_local_hour_the_slot_is_yesterdays():
    # 17:30 UTC on the 28th is 01:30 on the 29th in Shanghai: still the slot of the 28th.
    now = dt.datetime(2026, 11, 28, 17, 30, tzinfo=UTC)
    start = scheduler.slot_start(now, dt.timedelta(days=1), dt.timedelta(hours=2))
    assert start == dt.datetime(2026, 11, 27, 18, 0, tzinfo=UTC)


def test_minute_slots_align_to_the_minute():
    now = dt.datetime(2026, 11, 28, 5, 7, 42, tzinfo=UTC)
    assert scheduler.slot_start(now, dt.timedelta(minutes=1)) == now.replace(second=0)


@pytest.mark.django_db
def test_each_slot_is_enqueued_once_however_often_workers_tick(monkeypatch):
    calls = []
    job = scheduler.PeriodicJob("test.job", dt.timedelta(hours=1), lambda: calls.append(1))
    monkeypatch.setattr(scheduler, "JOBS", {"test.job": job})
    now = dt.datetime(2026, 11, 28, 5, 10, tzinfo=UTC)

    assert scheduler.enqueue_due(now) == ["test.job"]
    assert scheduler.enqueue_due(now + dt.timedelta(minutes=20)) == []
    assert scheduler.enqueue_due(now + dt.timedelta(hours=1)) == ["test.job"]

    assert len(calls) == 2
    assert ScheduledSlot.objects.filter(job="test.job").count() == 2
