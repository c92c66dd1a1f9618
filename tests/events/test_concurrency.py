"""On PostgreSQL, 10,000 registration attempts race for a 50-seat event: exactly 50 people
get a seat, the other 9,950 are waitlisted in the order the event's lock let them in."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django_scopes import scope, scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation, User
from linli.core.roles import Role
from linli.frontoffice.events import services
from linli.frontoffice.events.models import Audience, Event, Kind, Registration, State
from tests.factories import OrganisationFactory, SubdistrictFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 10_000
SEATS = 50
THREADS = 20


def test_ten_thousand_attempts_fifty_seats(transactional_db):
    subdistrict = SubdistrictFactory(code="310106013")
    now = clock.now()
    with scopes_disabled():
        place = OrganisationFactory(subdistrict=subdistrict, kind=Organisation.Kind.SERVICE_CENTRE)
        event = Event.objects.create(
            subdistrict=subdistrict,
            kind=Kind.CULTURAL_FESTIVAL,
            title="Lantern festival",
            place=place,
            starts_at=now + dt.timedelta(days=2),
            ends_at=now + dt.timedelta(days=2, hours=3),
            capacity=SEATS,
            registration_opens_at=now - dt.timedelta(hours=1),
            registration_closes_at=now + dt.timedelta(days=1),
            audience=Audience.PUBLIC,
        )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"crowd{n}", password=unusable) for n in range(ATTEMPTS)
    )
    accesses = [
        Access(user=u, subdistrict=subdistrict, roles=frozenset({Role.RESIDENT})) for u in users
    ]
    random.Random(4).shuffle(accesses)
    outcomes: Counter = Counter()
    lock = threading.Lock()
    queue = iter(accesses)
    start_line = threading.Barrier(THREADS)

    def client() -> None:
        """One connection per thread, taking the next attempt until none is left."""
        # What is tested is the order of the lock, not the disk: without this every commit
        # would wait for its flush (milliseconds on a VM) while holding the event's lock.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        start_line.wait()
        try:
            with scope(subdistrict=subdistrict):
                while True:
                    with lock:
                        access = next(queue, None)
                    if access is None:
                        return
                    try:
                        outcome = services.register(event, actor=access).state
                    except Exception as exc:  # noqa: BLE001 - reported by the assert
                        outcome = f"error: {exc!r}"
                    with lock:
                        outcomes[outcome] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert outcomes == {State.CONFIRMED: SEATS, State.WAITLISTED: ATTEMPTS - SEATS}, outcomes
    with scopes_disabled():
        rows = list(
            Registration.objects.filter(event=event)
            .order_by("sequence")
            .values("pk", "state", "sequence", "registered_at")
        )
        event.refresh_from_db()
    assert len(rows) == ATTEMPTS
    assert event.last_sequence == ATTEMPTS
    # Every accepted attempt took the next number: 1 … 10,000, no gap, no repeat.
    assert [r["sequence"] for r in rows] == list(range(1, ATTEMPTS + 1))
    # The first fifty in arrival order have the seats; everybody after waits.
    assert {r["state"] for r in rows[:SEATS]} == {State.CONFIRMED}
    assert {r["state"] for r in rows[SEATS:]} == {State.WAITLISTED}
    # Arrival numbers follow the moment each attempt was accepted (under the lock).
    times = [r["registered_at"] for r in rows]
    assert times == sorted(times)
    # Waitlist positions are 1 … 9,950 in arrival order (checked on a sample: each is a query).
    waitlisted = rows[SEATS:]
    sample = sorted(
        {0, 1, len(waitlisted) - 1, *random.Random(9).sample(range(len(waitlisted)), 20)}
    )
    with scopes_disabled():
        for index in sample:
            registration = Registration.objects.get(pk=waitlisted[index]["pk"])
            assert services.waitlist_position(registration) == index + 1
