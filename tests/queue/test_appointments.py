"""Booked window slots: an enterprise books "Tax window, 10:00–10:15" with the bookings engine,
checks in at the kiosk with the booking's code, gets an appointment ticket and is called first
within its slot. Every code that does not fit is refused with a kiosk message and no ticket."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.frontoffice.bookings import services as bookings
from linli.frontoffice.bookings.arrival import arrival_code, shown_code
from linli.frontoffice.bookings.models import Booking, Resource, State
from linli.frontoffice.queue import services
from linli.frontoffice.queue.models import Hall, Service, Ticket, TicketKind, TicketState
from tests.factories import EnterpriseFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.queue.conftest import local
from tests.queue.test_concurrency import race

WEEKDAY_HOURS = {str(day): [["09:00", "12:00"], ["13:00", "17:00"]] for day in range(7)}


def window_resource(subdistrict, place, code: str = "CK-B") -> Resource:
    return Resource.objects.create(
        subdistrict=subdistrict,
        kind="window",
        code=code,
        name="Tax window appointments",
        place=place,
        opening_hours=WEEKDAY_HOURS,
        open_on_non_working_days=True,
        slot_minutes=15,
        max_duration_minutes=15,
        min_notice_minutes=60,
        quota_per_day=1,
    )


@pytest.fixture
def desk(hallway, in_hall):
    """Service B (tax) of the hall takes appointments booked on resource CK-B; Acme's member
    books them."""
    hallway.b.appointment_resource = "CK-B"
    hallway.b.save()
    resource = window_resource(hallway.subdistrict, hallway.centre)
    with scopes_disabled():
        acme = EnterpriseFactory(subdistrict=hallway.subdistrict, name="Acme Ltd")
        member = UserFactory()
        MembershipFactory(
            user=member,
            subdistrict=hallway.subdistrict,
            role=Role.ENTERPRISE_MEMBER,
            enterprise=acme,
        )
    return {"resource": resource, "acme": acme, "member": member}


def book(hallway, desk, start: str, *, resource: Resource | None = None, **kwargs) -> Booking:
    """Book a 15-minute slot the day before, through the bookings verb and its rules."""
    begin = local(start)
    return bookings.request_booking(
        resource or desk["resource"],
        actor=Access.for_user(desk["member"], hallway.subdistrict),
        enterprise=desk["acme"],
        start=begin,
        end=begin + dt.timedelta(minutes=15),
        now=begin - dt.timedelta(days=1),
        **kwargs,
    )


def arrive(hallway, code: str) -> tuple[Ticket, str]:
    return services.check_in_appointment(
        hallway.hall, code, actor=Access.anonymous(hallway.subdistrict), device=hallway.hall
    )


def take(hallway, service: Service) -> Ticket:
    ticket, _token = services.issue_ticket(
        service, actor=Access.anonymous(hallway.subdistrict), device=hallway.hall
    )
    return ticket


def test_the_booked_person_is_called_before_earlier_numbers_within_the_slot(hallway, desk, now):
    booking = book(hallway, desk, "2026-11-27 10:00")
    assert booking.state == State.CONFIRMED
    now("2026-11-27 09:40")
    first, second = take(hallway, hallway.b), take(hallway, hallway.b)
    now("2026-11-27 09:52")
    ticket, token = arrive(hallway, arrival_code(booking))
    assert (ticket.code, ticket.kind) == ("B003", TicketKind.APPOINTMENT)
    assert (ticket.slot_start, ticket.slot_end) == (booking.start, booking.end)
    assert ticket.booking_ref == booking.pk
    booking.refresh_from_db()
    assert booking.state == State.CHECKED_IN and booking.checked_in_at == local("2026-11-27 09:52")
    now(minutes=1)
    called = [services.call_next(hallway.window1, actor=hallway.access())]
    for _ in range(2):
        services.finish_service(
            services.start_service(called[-1], actor=hallway.access()), actor=hallway.access()
        )
        called.append(services.call_next(hallway.window1, actor=hallway.access()))
    assert [t.code for t in called] == ["B003", first.code, second.code]
    assert services.ticket_for_token(token) == ticket


def test_after_its_slot_the_appointment_stands_in_line_by_the_time_it_was_issued(
    hallway, desk, now
):
    booking = book(hallway, desk, "2026-11-27 10:00")
    now("2026-11-27 09:58")
    earlier = take(hallway, hallway.b)
    now("2026-11-27 10:10")
    ticket, _token = arrive(hallway, booking.checkin_token)
    now("2026-11-27 10:12")
    later = take(hallway, hallway.b)
    now("2026-11-27 10:20")  # the slot ended at 10:15: no more going first
    order = []
    for _ in range(3):
        called = services.call_next(hallway.window2, actor=hallway.access(hallway.admin))
        order.append(called.code)
        services.mark_no_show(called, actor=hallway.access(hallway.admin))
    assert order == [earlier.code, ticket.code, later.code]


def test_scanning_the_code_again_shows_the_same_ticket(hallway, desk, now):
    booking = book(hallway, desk, "2026-11-27 10:00")
    now("2026-11-27 09:50")
    url = reverse("queue:kiosk_appointment", args=[hallway.hall.device_key])
    scanned = f"https://linli.example/bookings/check-in/{booking.checkin_token}/"
    first = Client().post(url, {"code": scanned})
    now(minutes=2)
    again = Client().post(url, {"code": shown_code(booking).lower()})
    assert first.status_code == again.status_code == 200
    assert first.context["ticket"] == again.context["ticket"]
    assert first.context["link"] == again.context["link"]
    body = again.content.decode()
    assert "B001" in body and 'id="ticket-slot"' in body and "10:00–10:15" in body
    with scope(subdistrict=hallway.subdistrict):
        assert Ticket.objects.count() == 1
    assert Client().get(first.context["link"]).status_code == 200


def test_a_scan_after_the_ticket_was_served_is_refused(hallway, desk, now):
    booking = book(hallway, desk, "2026-11-27 10:00")
    now("2026-11-27 09:55")
    ticket, _token = arrive(hallway, arrival_code(booking))
    ticket = services.call_next(hallway.window1, actor=hallway.access())
    services.finish_service(
        services.start_service(ticket, actor=hallway.access()), actor=hallway.access()
    )
    with pytest.raises(services.QueueRefusal) as refused:
        arrive(hallway, arrival_code(booking))
    assert refused.value.code == "already_used"
    assert "B001" in refused.value.message
    assert Ticket.objects.count() == 1


def test_the_ticket_link_follows_a_transfer_and_a_rescan_shows_the_new_number(hallway, desk, now):
    booking = book(hallway, desk, "2026-11-27 10:00")
    now("2026-11-27 09:55")
    ticket, token = arrive(hallway, arrival_code(booking))
    moved = services.transfer_ticket(ticket, hallway.a, actor=hallway.access())
    again, same_token = arrive(hallway, arrival_code(booking))
    assert again == moved and same_token == token
    assert again.kind == TicketKind.APPOINTMENT


def _other_hall_booking(hallway, desk) -> Booking:
    with scopes_disabled():
        sub = OrganisationFactory(
            subdistrict=hallway.subdistrict, kind=Organisation.Kind.SUBCENTRE, code="SUB"
        )
        other = Hall.objects.create(subdistrict=hallway.subdistrict, organisation=sub, name="Sub")
        Service.objects.create(
            subdistrict=hallway.subdistrict,
            hall=other,
            prefix="A",
            name="Desk",
            appointment_resource="SUB-CK",
        )
    resource = window_resource(hallway.subdistrict, sub, code="SUB-CK")
    return book(hallway, desk, "2026-11-27 10:00", resource=resource)


def _room_booking(hallway, desk) -> Booking:
    """A room booking, even with a service that names the room: only window slots count."""
    Service.objects.filter(pk=hallway.a.pk).update(appointment_resource="ROOM")
    resource = Resource.objects.create(
        subdistrict=hallway.subdistrict,
        kind="meeting_room",
        code="ROOM",
        name="Room",
        place=hallway.centre,
        opening_hours=WEEKDAY_HOURS,
        open_on_non_working_days=True,
    )
    return book(hallway, desk, "2026-11-27 10:00", resource=resource)


def _unmapped_booking(hallway, desk) -> Booking:
    resource = window_resource(hallway.subdistrict, hallway.centre, code="CK-Z")
    return book(hallway, desk, "2026-11-27 10:00", resource=resource)


def _pending(hallway, desk) -> Booking:
    desk["resource"].approval_required = True
    desk["resource"].save()
    return book(hallway, desk, "2026-11-27 10:00")


def _cancelled(hallway, desk) -> Booking:
    booking = book(hallway, desk, "2026-11-27 10:00")
    return bookings.cancel_booking(
        booking,
        actor=Access.for_user(desk["member"], hallway.subdistrict),
        now=local("2026-11-26 10:00"),
    )


def _released(hallway, desk) -> Booking:
    booking = book(hallway, desk, "2026-11-27 09:00")
    bookings.release_no_shows(hallway.subdistrict, now=local("2026-11-27 09:30"))
    booking.refresh_from_db()
    assert booking.state == State.RELEASED_NO_SHOW
    return booking


REFUSALS = {
    # case: (make the booking or None for a made-up code, arrival time, refusal code, words)
    "unknown code": (None, "09:55", "unknown_code", "No appointment at Main hall"),
    "another hall's booking": (_other_hall_booking, "09:55", "unknown_code", "No appointment"),
    "a room, not a window": (_room_booking, "09:55", "unknown_code", "No appointment"),
    "no service takes the slots": (_unmapped_booking, "09:55", "unknown_code", "No appointment"),
    "tomorrow's booking": (
        lambda h, d: book(h, d, "2026-11-28 10:00"),
        "09:55",
        "wrong_day",
        "on 2026-11-28 at 10:00, not today",
    ),
    "yesterday's booking": (
        lambda h, d: book(h, d, "2026-11-26 16:00"),
        "09:55",
        "wrong_day",
        "on 2026-11-26",
    ),
    "too early": (
        lambda h, d: book(h, d, "2026-11-27 11:00"),
        "09:55",
        "too_early",
        "appointment is at 11:00. Please check in from 10:45",
    ),
    "too late": (
        lambda h, d: book(h, d, "2026-11-27 09:30"),
        "09:50",
        "too_late",
        "could be checked in until 09:45",
    ),
    "released as a no-show": (_released, "09:40", "too_late", "Too late"),
    "awaiting approval": (_pending, "09:55", "not_confirmed", "not confirmed"),
    "cancelled": (_cancelled, "09:55", "cancelled", "was cancelled"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_codes_that_do_not_fit_are_refused_without_a_ticket(hallway, desk, now, case):
    make, at, code, words = REFUSALS[case]
    booking = make(hallway, desk) if make else None
    before = Booking.objects.get(pk=booking.pk).state if booking else None
    now(f"2026-11-27 {at}")
    typed = arrival_code(booking) if booking else "ABCD-EFGH"
    with pytest.raises(services.QueueRefusal) as refused:
        arrive(hallway, typed)
    assert refused.value.code == code
    assert words in refused.value.message
    assert not Ticket.objects.exists()
    if booking is not None:
        assert Booking.objects.get(pk=booking.pk).state == before


def test_the_kiosk_shows_a_refusal_on_its_page(hallway, desk, now):
    now("2026-11-27 09:55")
    url = reverse("queue:kiosk_appointment", args=[hallway.hall.device_key])
    response = Client().post(url, {"code": "nothing-like-a-code"})
    assert response.status_code == 200
    assert 'id="appointment-refusal"' in response.content.decode()
    empty = Client().post(url, {"code": "  "})
    assert empty.status_code == 400
    assert "Scan or type the code of your booking." in empty.content.decode()
    assert not Ticket.objects.exists()


def test_the_kiosk_offers_the_appointment_button_only_where_slots_can_be_booked(hallway, desk, now):
    url = reverse("queue:kiosk", args=[hallway.hall.device_key])
    assert 'id="kiosk-appointment"' in Client().get(url).content.decode()
    Service.objects.filter(pk=hallway.b.pk).update(appointment_resource="")
    assert 'id="kiosk-appointment"' not in Client().get(url).content.decode()


def test_another_halls_kiosk_cannot_check_in_here(hallway, desk, now):
    booking = book(hallway, desk, "2026-11-27 10:00")
    now("2026-11-27 09:55")
    with scopes_disabled():
        sub = OrganisationFactory(subdistrict=hallway.subdistrict, kind="subcentre", code="S2")
        other = Hall.objects.create(subdistrict=hallway.subdistrict, organisation=sub, name="S2")
    with pytest.raises(PermissionDenied):
        services.check_in_appointment(
            hallway.hall,
            arrival_code(booking),
            actor=Access.anonymous(hallway.subdistrict),
            device=other,
        )
    assert not Ticket.objects.exists()


def test_window_staff_may_check_a_booking_in_at_the_desk(hallway, desk, now):
    booking = book(hallway, desk, "2026-11-27 10:00")
    now("2026-11-27 09:55")
    ticket, _token = services.check_in_appointment(
        hallway.hall, arrival_code(booking), actor=hallway.access()
    )
    assert ticket.channel == Ticket.Channel.STAFF and ticket.state == TicketState.ISSUED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_code_scanned_at_two_kiosks_at_once_gives_one_ticket(hallway, desk, now):
    booking = book(hallway, desk, "2026-11-27 10:00")
    now("2026-11-27 09:55")
    code = arrival_code(booking)

    def attempt() -> str:
        return arrive(hallway, code)[0].code

    outcomes, codes = race(hallway.subdistrict, [attempt] * 12, 6)
    assert outcomes == Tally(ok=12), outcomes
    assert set(codes) == {"B001"}
    with scope(subdistrict=hallway.subdistrict):
        assert Ticket.objects.count() == 1
        assert Booking.objects.get(pk=booking.pk).state == State.CHECKED_IN
