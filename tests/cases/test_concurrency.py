"""On PostgreSQL, 50 threads race each other on one case: exactly one wins at each step, the
losers are refused cleanly, and the history is one unbroken chain of states."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope

from linli.cases import services as s
from linli.cases.models import Case, CaseEvent, SlaMark, State
from linli.cases.tasks import sweep
from linli.cases.workflow import InvalidTransition
from tests.cases.conftest import local

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 50


def race(subdistrict, attempts: list[Callable[[], object]]) -> Counter:
    """Run every attempt in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(attempts))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(attempt: Callable[[], object]) -> None:
        try:
            with scope(subdistrict=subdistrict):
                barrier.wait()
                try:
                    attempt()
                    outcome = "ok"
                except InvalidTransition:
                    outcome = "refused"
                except ValidationError:
                    outcome = "invalid"
                except Exception as exc:  # noqa: BLE001 - anything else is a failure to report
                    outcome = f"error: {exc!r}"
            with lock:
                outcomes[outcome] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    _wait_for_backends_to_exit()
    return outcomes


def _wait_for_backends_to_exit() -> None:
    """A closed connection's server process ends a moment later. Without this wait the next
    race's 50 connections can meet the last race's 50 and, with another file's racing threads
    in the other test worker, reach the server's limit of 100 connections."""
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


def test_fifty_threads_one_winner_at_every_step(office, report, now, transactional_db):
    a = office.access
    d, ha, lead = a(office.dispatcher), a(office.handler_a), a(office.leader)
    gw = a(office.grid_worker)
    sd = office.subdistrict
    case = report(category=office.enquiry, extra={})

    def reload() -> Case:
        return Case.objects.select_related("category", "subdistrict").get(pk=case.pk)

    def half_and_half(first, second):
        return [first if i % 2 else second for i in range(THREADS)]

    steps = [
        [lambda: s.register_case(reload(), actor=d)] * THREADS,
        None,  # dispatch is allowed again from "dispatched" (re-dispatch): done once below
        [lambda: s.accept_case(reload(), actor=ha)] * THREADS,
        [lambda: s.start_handling(reload(), actor=ha)] * THREADS,
        [lambda: s.wait_for_reporter(reload(), actor=ha, note="Which door?")] * THREADS,
        [lambda: s.resume_case(reload(), actor=ha)] * THREADS,
        [lambda: s.request_extension(reload(), actor=ha, reason="More time")] * THREADS,
        half_and_half(
            lambda: s.approve_extension(reload(), actor=lead),
            lambda: s.deny_extension(reload(), actor=lead, reason="No"),
        ),
        [lambda: s.submit_for_verification(reload(), actor=ha, note="Answered")] * THREADS,
        [lambda: s.verify_case(reload(), actor=gw)] * THREADS,
        [lambda: s.record_callback(reload(), actor=d, satisfaction="dissatisfied")] * THREADS,
        [lambda: s.close_case(reload(), actor=d)] * THREADS,
        [lambda: s.reopen_case(reload(), actor=d, reason="Still unanswered")] * THREADS,
    ]
    with scope(subdistrict=sd):
        for attempts in steps:
            if attempts is None:
                s.dispatch_case(reload(), office.dept_a, actor=d)
                continue
            outcomes = race(sd, attempts)
            assert outcomes == {"ok": 1, "refused": THREADS - 1}, (reload().state, outcomes)

        final = reload()
        assert final.state == State.REOPENED
        events = list(CaseEvent.objects.filter(case=case).order_by("id"))
        chain = [e.action for e in events]
        assert len(chain) == 14  # submit + dispatch + one winner for each of the 12 races
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_state == before.to_state
        assert events[-1].to_state == final.state


def test_fifty_concurrent_reports_get_fifty_numbers(office, now, transactional_db):
    sd = office.subdistrict
    actor = office.access(office.resident)
    attempts = [
        lambda: s.submit_case(
            actor=actor, category=office.enquiry, channel="web", description="Opening hours?"
        )
    ] * THREADS
    assert race(sd, attempts) == {"ok": THREADS}
    with scope(subdistrict=sd):
        numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == [f"2026-{n:06d}" for n in range(1, THREADS + 1)]


def test_two_sweeps_at_once_send_each_reminder_once(office, report, now, transactional_db):
    sd = office.subdistrict
    now("2026-09-29 10:00")
    with scope(subdistrict=sd):
        cases = [report() for _ in range(5)]
    outcomes = race(sd, [lambda: sweep(local("2026-09-29 13:00"))] * 4)
    assert outcomes == {"ok": 4}
    with scope(subdistrict=sd):
        assert SlaMark.objects.filter(case__in=cases).count() == 10  # reminder + supervision
