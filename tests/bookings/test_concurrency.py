"""Many people ask for overlapping slots of one room at the same moment: exactly one gets it.

On PostgreSQL 200 threads, each with its own connection, race for the room (at most 40 hold a
connection at once, since the server allows 100 connections in all); the resource row lock
serialises them and the exclusion constraint backs it up. On SQLite the same logic runs with
every request one after another (its writers are serialised by the database itself)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import IntegrityError, connection, transaction
from django_scopes import scope

from linli.core.access import Access
from linli.frontoffice.bookings import services as s
from linli.frontoffice.bookings.checks import BookingRefused
from linli.frontoffice.bookings.models import Booking, State
from tests.bookings.conftest import local

REQUESTS = 200
CONNECTIONS = 40
NOW = local("2026-12-01 08:00")


def attempts(centre, room):
    """200 requests for slots that all overlap 10:00–11:00 (with the 10-minute buffers)."""
    people = [centre.member, centre.beta_member, centre.staff]
    enterprises = [centre.acme, centre.beta, centre.beta]
    for n in range(REQUESTS):
        offset = dt.timedelta(minutes=5 * (n % 12))  # starts 09:30 … 10:25
        start = local("2026-12-01 09:30") + offset
        who = n % 3
        yield people[who], enterprises[who], start, start + dt.timedelta(minutes=60)


def request(centre, room, user, enterprise, start, end) -> str:
    try:
        s.request_booking(
            room,
            actor=Access.for_user(user, centre.subdistrict),
            enterprise=enterprise,
            start=start,
            end=end,
            now=NOW,
        )
    except BookingRefused as exc:
        return "refused: " + ",".join(sorted(exc.rules))
    return "ok"


def assert_one_winner(outcomes: Counter, room) -> None:
    assert outcomes == {"ok": 1, "refused: overlap": REQUESTS - 1}, outcomes
    active = Booking.objects.filter(resource=room, state=State.CONFIRMED)
    assert active.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_requests_confirm_exactly_one_on_postgresql(centre):
    room = centre.room(buffer_before_minutes=10, buffer_after_minutes=10)
    gate = threading.BoundedSemaphore(CONNECTIONS)
    start_together = threading.Event()
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(args) -> None:
        start_together.wait()
        with gate:
            try:
                with scope(subdistrict=centre.subdistrict):
                    outcome = request(centre, room, *args)
            except Exception as exc:  # noqa: BLE001 - anything else is a failure to report
                outcome = f"error: {exc!r}"
            finally:
                connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts(centre, room)]
    for thread in threads:
        thread.start()
    start_together.set()
    for thread in threads:
        thread.join(timeout=300)
    assert_one_winner(outcomes, room)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_exclusion_constraint_refuses_an_overlap_that_skips_the_check(centre):
    room = centre.room()
    begin = local("2026-12-01 10:00")

    def row(offset_minutes: int, state: str = State.CONFIRMED) -> Booking:
        start = begin + dt.timedelta(minutes=offset_minutes)
        return Booking(
            subdistrict=centre.subdistrict,
            resource=room,
            booker=centre.member,
            start=start,
            end=start + dt.timedelta(hours=1),
            blocked_start=start,
            blocked_end=start + dt.timedelta(hours=1),
            state=state,
        )

    row(0).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        row(30).save()
    row(30, State.CANCELLED).save()  # inactive rows do not count
    row(60).save()  # touching ends do not overlap


def test_overlapping_requests_confirm_exactly_one(centre):
    """The same 200 requests, one after the other: the logic the lock protects."""
    room = centre.room(buffer_before_minutes=10, buffer_after_minutes=10)
    outcomes = Counter(request(centre, room, *args) for args in attempts(centre, room))
    assert_one_winner(outcomes, room)
