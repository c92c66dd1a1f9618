"""On PostgreSQL, 10,000 registration attempts race for a 50-seat event: exactly 50 people
get a seat, the other 9,950 are waitlisted in the order the event's lock let them in; and
colleagues racing for their enterprise's few seats, while others cancel, never pass a limit."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope, scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Membership, Organisation, Subdistrict, User
from linli.core.roles import Role
from linli.frontoffice.events import services
from linli.frontoffice.events.models import (
    ACTIVE,
    SEATED,
    Audience,
    Event,
    Kind,
    Registration,
    State,
)
from tests.factories import EnterpriseFactory, OrganisationFactory, SubdistrictFactory

T = TypeVar("T")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 10_000
SEATS = 50
THREADS = 20


def open_event(code: str, **fields) -> Event:
    """An event in a new sub-district, two days ahead, whose registration is open."""
    subdistrict = SubdistrictFactory(code=code)
    now = clock.now()
    with scopes_disabled():
        place = OrganisationFactory(subdistrict=subdistrict, kind=Organisation.Kind.SERVICE_CENTRE)
        return Event.objects.create(
            subdistrict=subdistrict,
            place=place,
            starts_at=now + dt.timedelta(days=2),
            ends_at=now + dt.timedelta(days=2, hours=3),
            registration_opens_at=now - dt.timedelta(hours=1),
            registration_closes_at=now + dt.timedelta(days=1),
            **fields,
        )


def race(
    subdistrict: Subdistrict,
    attempts: Iterable[T],
    act: Callable[[T], None],
    *,
    synchronous_commit: bool = True,
) -> None:
    """THREADS threads, one connection each, start together and take the next attempt until
    none is left."""
    lock = threading.Lock()
    queue = iter(attempts)
    start_line = threading.Barrier(THREADS)

    def client() -> None:
        if not synchronous_commit:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
        start_line.wait()
        try:
            with scope(subdistrict=subdistrict):
                while True:
                    with lock:
                        item = next(queue, None)
                    if item is None:
                        return
                    act(item)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


def test_ten_thousand_attempts_fifty_seats(transactional_db):
    event = open_event(
        "310106013",
        kind=Kind.CULTURAL_FESTIVAL,
        title="Lantern festival",
        capacity=SEATS,
        audience=Audience.PUBLIC,
    )
    subdistrict = event.subdistrict
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"crowd{n}", password=unusable) for n in range(ATTEMPTS)
    )
    accesses = [
        Access(user=u, subdistrict=subdistrict, roles=frozenset({Role.RESIDENT})) for u in users
    ]
    random.Random(4).shuffle(accesses)
    outcomes: Counter = Counter()
    counting = threading.Lock()

    def attempt(access: Access) -> None:
        try:
            outcome = services.register(event, actor=access).state
        except Exception as exc:  # noqa: BLE001 - reported by the assert
            outcome = f"error: {exc!r}"
        with counting:
            outcomes[outcome] += 1

    # What is tested is the order of the lock, not the disk: without this every commit would
    # wait for its flush (milliseconds on a VM) while holding the event's lock.
    race(subdistrict, accesses, attempt, synchronous_commit=False)

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


def test_colleagues_and_second_tries_race_for_a_few_seats(transactional_db):
    """Members of a few enterprises each try twice at once, while others cancel: no enterprise
    passes its limit, nobody holds two registrations, no seat is overbooked, the arrival
    numbers stay unbroken and the event's counters equal its registrations."""
    enterprises, members, limit, seats = 6, 8, 3, 10
    event = open_event(
        "310106014",
        kind=Kind.TRAINING,
        title="Tax filing training",
        capacity=seats,
        seats_per_enterprise=limit,
        audience=Audience.ENTERPRISES,
    )
    subdistrict = event.subdistrict
    with scopes_disabled():
        firms = [EnterpriseFactory(subdistrict=subdistrict) for _ in range(enterprises)]
        attempts = []
        for firm in firms:
            for n in range(members):
                user = User.objects.create(username=f"{firm.pk}-{n}", password="!")
                Membership.objects.create(
                    subdistrict=subdistrict, user=user, role=Role.ENTERPRISE_MEMBER, enterprise=firm
                )
                access = Access.for_user(user, subdistrict)
                # Every other member gives the place up again as soon as they have it.
                attempts += [(access, firm.pk, n % 2 == 0), (access, firm.pk, False)]
    random.Random(5).shuffle(attempts)
    errors: list[str] = []
    noting = threading.Lock()

    def attempt(tried: tuple[Access, int, bool]) -> None:
        access, firm, give_up = tried
        try:
            registration = services.register(event, actor=access, enterprise_id=firm)
            if give_up:
                services.cancel_registration(registration, actor=access)
        except ValidationError:
            pass  # the limit, a second try, or a cancellation that came too late
        except Exception as exc:  # noqa: BLE001 - reported by the assert
            with noting:
                errors.append(repr(exc))

    race(subdistrict, attempts, attempt)

    assert errors == []
    with scopes_disabled():
        event.refresh_from_db()
        rows = list(Registration.objects.filter(event=event).order_by("sequence"))
    live = [r for r in rows if r.state in ACTIVE]
    seated = [r for r in rows if r.state in SEATED]
    waiting = [r for r in rows if r.state == State.WAITLISTED]
    assert max(Counter(r.enterprise_id for r in live).values()) <= limit
    assert len({r.user_id for r in live}) == len(live)
    assert len(seated) <= seats
    assert not waiting or len(seated) == seats  # no seat left free while someone waits
    assert [r.sequence for r in rows] == list(range(1, len(rows) + 1))
    assert (event.last_sequence, event.seats_held, event.waitlist_length) == (
        len(rows),
        len(seated),
        len(waiting),
    )
