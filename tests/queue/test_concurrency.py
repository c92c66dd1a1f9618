"""Kiosks issuing at the same moment never print the same number, and two windows calling at
the same moment never call the same ticket.

On PostgreSQL, 100 threads are released at once. The database allows 100 connections for every
helper and CI job together, so at most ``CONNECTIONS`` threads hold one at a time; the others
wait their turn at a semaphore, which keeps dozens of transactions racing on the same counter
row. On SQLite, kiosks in threads collide on the shared in-memory test database.
"""

from __future__ import annotations

import threading
import time
from collections import Counter as Tally
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection
from django_scopes import scope

from linli.core.access import Access
from linli.frontoffice.queue import services
from linli.frontoffice.queue.models import Counter, CounterService, DayCounter, Ticket, TicketState

THREADS = 100
CONNECTIONS = 20


def race(
    subdistrict, attempts: list[Callable[[], object]], connections: int
) -> tuple[Tally, list[object]]:
    """Run every attempt in its own thread, all released at once; at most ``connections`` of
    them hold a database connection at a time. Returns the outcomes and what the attempts
    returned."""
    barrier = threading.Barrier(len(attempts))
    gate = threading.BoundedSemaphore(connections)
    outcomes: Tally = Tally()
    results: list[object] = []
    lock = threading.Lock()

    def run(attempt: Callable[[], object]) -> None:
        barrier.wait()
        result, outcome = None, "ok"
        with gate, scope(subdistrict=subdistrict):
            try:
                result = attempt()
            except services.QueueRefusal:
                outcome = "refused"
            except Exception as exc:  # noqa: BLE001 - anything else is a failure to report
                outcome = f"error: {exc!r}"
            finally:
                connection.close()
        with lock:
            outcomes[outcome] += 1
            results.append(result)

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return outcomes, results


def issue_in_parallel(hallway, threads: int, connections: int) -> list[str]:
    kiosk = Access.anonymous(hallway.subdistrict)

    def attempt() -> str:
        ticket, _token = services.issue_ticket(hallway.a, actor=kiosk, device=hallway.hall)
        return ticket.code

    outcomes, codes = race(hallway.subdistrict, [attempt] * threads, connections)
    assert outcomes == Tally(ok=threads), outcomes
    return [str(code) for code in codes]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_hundred_kiosks_at_once_get_a_hundred_consecutive_numbers(hallway, now):
    codes = issue_in_parallel(hallway, THREADS, CONNECTIONS)
    assert sorted(codes) == [f"A{n:03d}" for n in range(1, THREADS + 1)]
    with scope(subdistrict=hallway.subdistrict):
        assert Ticket.objects.count() == THREADS
        assert DayCounter.objects.get(service=hallway.a).last_number == THREADS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_windows_calling_at_once_never_share_a_ticket(hallway, now):
    """Ten windows serve B (window 1 also A) and call until nobody waits: every ticket is
    called exactly once."""
    h = hallway
    issue_in_parallel(h, 20, CONNECTIONS)
    staff = Access.for_user(h.admin, h.subdistrict)
    with scope(subdistrict=h.subdistrict):
        windows = [h.window1, h.window2]
        for number in range(3, 11):
            counter = Counter.objects.create(subdistrict=h.subdistrict, hall=h.hall, number=number)
            CounterService.objects.create(subdistrict=h.subdistrict, counter=counter, service=h.b)
            windows.append(counter)
        for _ in range(40):
            services.issue_ticket(h.b, actor=staff)

    def work(counter):
        def attempt() -> list[str]:
            called = []
            while (ticket := services.call_next(counter, actor=staff)) is not None:
                services.mark_no_show(ticket, actor=staff)
                called.append(ticket.code)
            return called

        return attempt

    outcomes, results = race(h.subdistrict, [work(w) for w in windows], len(windows))
    assert outcomes == Tally(ok=len(windows)), outcomes
    called = [code for codes in results for code in codes]  # type: ignore[attr-defined]
    assert len(called) == len(set(called)) == 60
    assert sum(bool(codes) for codes in results) > 2  # several windows took part
    with scope(subdistrict=h.subdistrict):
        assert Ticket.objects.filter(state=TicketState.NO_SHOW, calls=1).count() == 60


@pytest.mark.django_db(transaction=True)
def test_kiosks_in_parallel_on_sqlite_get_distinct_consecutive_numbers(hallway, now):
    """The test database is SQLite's shared in-memory one, where a writer that finds the
    table locked fails at once instead of waiting (a file database in WAL mode with
    ``BEGIN IMMEDIATE`` waits its turn). A failed kiosk retries: its transaction rolled back
    whole, so no number is lost or given twice."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path")
    kiosk = Access.anonymous(hallway.subdistrict)
    failures: Tally = Tally()

    def attempt() -> str:
        for _ in range(200):
            try:
                ticket, _token = services.issue_ticket(hallway.a, actor=kiosk, device=hallway.hall)
            except OperationalError:
                failures["locked"] += 1
                time.sleep(0.005)
                continue
            return ticket.code
        raise AssertionError("never got the lock")

    outcomes, codes = race(hallway.subdistrict, [attempt] * 20, 20)
    assert outcomes == Tally(ok=20), outcomes
    assert sorted(str(code) for code in codes) == [f"A{n:03d}" for n in range(1, 21)]
    assert failures["locked"] > 0  # the kiosks did collide
    with scope(subdistrict=hallway.subdistrict):
        assert DayCounter.objects.get(service=hallway.a).last_number == 20
