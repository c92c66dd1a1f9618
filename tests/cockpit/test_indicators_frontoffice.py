"""The front-office indicators on crafted tickets, bookings and events: each formula, and what
is left out (a ticket never called or closed at the day's end, a cancelled booking, a booking
elsewhere than at a sub-centre, a cancelled registration or event, a month with nothing)."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.cockpit import catalogue  # noqa: F401 - registers the indicators
from linli.cockpit.indicators import INDICATORS, Period
from linli.core.models import Organisation
from linli.frontoffice.bookings.models import Booking, Resource, ResourceKind
from linli.frontoffice.events.models import Event, Registration
from linli.frontoffice.queue.models import Hall, Service, Ticket
from tests.cases.conftest import local
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.usefixtures("in_scope")
NOVEMBER, OCTOBER = Period(2026, 11), Period(2026, 10)


def figure(access, key: str, period: Period):
    return INDICATORS[key].compute(access, period)


@pytest.fixture
def places(subdistrict):
    subcentre = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.SUBCENTRE, name="Tower A sub-centre"
    )
    centre = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.SERVICE_CENTRE, name="Service centre"
    )
    return subcentre, centre


def test_queue_waits_median_and_mean(subdistrict, places, leader):
    hall = Hall.objects.create(subdistrict=subdistrict, organisation=places[0], name="Hall")
    service = Service.objects.create(subdistrict=subdistrict, hall=hall, prefix="A", name="Tax")
    numbers = iter(range(1, 100))

    def ticket(day: str, wait: int | None, **more) -> None:
        issued = local(f"{day} 09:00")
        Ticket.objects.create(
            subdistrict=subdistrict,
            service=service,
            day=issued.date(),
            number=next(numbers),
            queued_at=issued,
            issued_at=issued,
            called_at=None if wait is None else issued + dt.timedelta(minutes=wait),
            **more,
        )

    for wait in (2, 4, 10, 30):
        ticket("2026-11-03", wait, state="done")
    ticket("2026-11-04", None, state="cancelled")  # never called: no wait
    ticket("2026-11-04", 300, state="no_show", closed_at_day_end=True)  # closed by the job
    ticket("2026-10-30", 60, state="done")  # another month

    median = figure(leader, "frontoffice.queue_wait_median", NOVEMBER)
    assert (median.value, median.base) == (7.0, 4)  # (4 + 10) ÷ 2
    assert "start=2026-11-01" in median.url and "end=2026-11-30" in median.url
    assert figure(leader, "frontoffice.queue_wait_mean", NOVEMBER).value == 11.5
    assert figure(leader, "frontoffice.queue_wait_median", OCTOBER).value == 60
    # An odd number of waits: the middle one.
    ticket("2026-11-05", 5, state="done")
    assert figure(leader, "frontoffice.queue_wait_median", NOVEMBER).value == 5
    for key in ("frontoffice.queue_wait_median", "frontoffice.queue_wait_mean"):
        assert figure(leader, key, Period(2026, 8)).value is None


@pytest.fixture
def bookings(subdistrict, places):
    subcentre, centre = places
    every_day = {str(day): [["09:00", "19:00"]] for day in range(7)}  # 10 hours a day

    def resource(code: str, kind: str, place: Organisation) -> Resource:
        return Resource.objects.create(
            subdistrict=subdistrict,
            kind=kind,
            code=code,
            name=code,
            place=place,
            opening_hours=every_day,
            open_on_non_working_days=True,
        )

    room = resource("R1", ResourceKind.MEETING_ROOM, subcentre)
    advisor = resource("ADV", ResourceKind.ADVISOR, subcentre)
    elsewhere = resource("R2", ResourceKind.MEETING_ROOM, centre)
    booker = UserFactory()

    def book(resource: Resource, day: str, hours: int, state: str) -> None:
        start = local(f"{day} 10:00")
        end = start + dt.timedelta(hours=hours)
        Booking.objects.create(
            subdistrict=subdistrict,
            resource=resource,
            booker=booker,
            start=start,
            end=end,
            blocked_start=start,
            blocked_end=end,
            state=state,
        )

    book(room, "2026-11-02", 2, "confirmed")
    book(room, "2026-11-03", 3, "completed")
    book(room, "2026-11-04", 1, "released_no_show")  # a no-show took the slot
    book(room, "2026-11-05", 4, "cancelled")
    book(advisor, "2026-11-06", 1, "completed")  # an advisor: a booking, not a room
    book(elsewhere, "2026-11-02", 5, "completed")  # not at a sub-centre
    return room


def test_subcentre_bookings_leave_out_cancelled_ones_and_other_places(bookings, leader):
    found = figure(leader, "frontoffice.subcentre_bookings", NOVEMBER)
    assert found.value == 4
    (part,) = found.parts
    assert (part.label, part.value) == ("Tower A sub-centre", 4)
    assert "since=2026-11-01" in part.url and "until=2026-11-30" in part.url
    assert figure(leader, "frontoffice.subcentre_bookings", OCTOBER).value == 0


def test_room_use_is_booked_over_open_hours(bookings, leader):
    use = figure(leader, "frontoffice.room_use", NOVEMBER)
    # 2 + 3 + 1 booked hours in a room open 10 hours on each of November's 30 days.
    assert (use.value, use.base) == (round(6 / 300, 4), 300)
    assert figure(leader, "frontoffice.room_use", OCTOBER).value == 0.0


def test_room_use_without_rooms_is_no_rate(subdistrict, leader):
    use = figure(leader, "frontoffice.room_use", NOVEMBER)
    assert (use.value, use.base) == (None, 0)


def test_event_attendance_counts_those_holding_a_seat(subdistrict, places, leader, now):
    now("2026-12-01 10:00")
    sequence = iter(range(1, 100))

    def event(starts: str, **more) -> Event:
        start = local(starts)
        return Event.objects.create(
            subdistrict=subdistrict,
            kind="training",
            title="Tax training",
            place=places[0],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            capacity=10,
            registration_opens_at=start - dt.timedelta(days=10),
            registration_closes_at=start,
            **more,
        )

    def registrations(to: Event, *states: str) -> None:
        for state in states:
            Registration.objects.create(
                subdistrict=subdistrict,
                event=to,
                user=UserFactory(),
                state=state,
                sequence=next(sequence),
                registered_at=to.registration_opens_at,
            )

    held = event("2026-11-10 14:00")
    registrations(held, "checked_in", "checked_in", "confirmed", "cancelled", "waitlisted")
    called_off = event("2026-11-12 14:00", cancelled_at=local("2026-11-11 09:00"))
    registrations(called_off, "confirmed", "confirmed")
    coming = event("2026-12-20 14:00")  # not ended yet
    registrations(coming, "confirmed")

    attendance = figure(leader, "frontoffice.event_attendance", NOVEMBER)
    assert (attendance.value, attendance.base) == (round(2 / 3, 4), 3)
    assert "start=2026-11-01" in attendance.url
    empty = figure(leader, "frontoffice.event_attendance", Period(2026, 12))
    assert (empty.value, empty.base) == (None, 0)
