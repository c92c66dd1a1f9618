"""Arriving for a booked window slot: the booking's code becomes an appointment ticket."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.frontoffice.bookings.checks import BookingRefused
from linli.frontoffice.bookings.models import Booking
from linli.frontoffice.bookings.models import State as BookingState
from linli.frontoffice.bookings.queries import Arrival, booking_for_arrival
from linli.frontoffice.bookings.services import check_in as check_in_booking
from linli.frontoffice.queue import rules
from linli.frontoffice.queue.models import (
    Hall,
    Service,
    Ticket,
    TicketKind,
)
from linli.frontoffice.queue.services.issuing import QueueRefusal, create_ticket


def _latest(ticket: Ticket) -> Ticket:
    while ticket.transferred_to_id is not None:
        ticket = Ticket.objects.select_related("service", "counter").get(
            pk=ticket.transferred_to_id
        )
    return ticket


def _refuse_booking(booking: Booking, arrival: Arrival, now: dt.datetime) -> None:
    """Why a booking cannot become a ticket now, as a refusal for the kiosk (or nothing)."""
    when = {
        "time": f"{clock.local(booking.start):%H:%M}",
        "day": f"{clock.local(booking.start):%Y-%m-%d}",
        "opens": f"{clock.local(arrival.opens):%H:%M}",
        "closes": f"{clock.local(arrival.closes):%H:%M}",
    }
    if booking.state in (BookingState.REQUESTED, BookingState.PENDING_APPROVAL):
        message = _("This appointment is not confirmed yet, so it cannot be checked in.")
        code = "not_confirmed"
    elif booking.state in (BookingState.CANCELLED, BookingState.REJECTED):
        message = _("This appointment was cancelled. Please take a normal number.")
        code = "cancelled"
    elif booking.state == BookingState.COMPLETED:
        message = _("This appointment code has already been used.")
        code = "already_used"
    elif booking.state == BookingState.RELEASED_NO_SHOW or (
        clock.local_day(booking.start) == clock.local_day(now) and now > arrival.closes
    ):
        message = (
            _(
                "Too late: your appointment at %(time)s could be checked in until %(closes)s. "
                "Please take a normal number."
            )
            % when
        )
        code = "too_late"
    elif clock.local_day(booking.start) != clock.local_day(now):
        message = _("This appointment is on %(day)s at %(time)s, not today.") % when
        code = "wrong_day"
    elif now < arrival.opens:
        message = (
            _("Too early: your appointment is at %(time)s. Please check in from %(opens)s.") % when
        )
        code = "too_early"
    else:
        return
    raise QueueRefusal(message, code=code)


def check_in_appointment(
    hall: Hall, code: str, *, actor: Access, device: Hall | None = None
) -> tuple[Ticket, str]:
    """Someone who booked a window slot arrives: find the booking by its code, check it in
    (through the bookings verb) and issue an appointment ticket with the slot's times, all in
    one transaction. Scanning the same code again shows the same ticket while it is open;
    anything that does not fit (unknown code, another hall, another day, too early or late,
    already used) is a ``QueueRefusal`` and issues nothing."""
    actor.require(rules.may_check_in_appointment(actor, hall, device=device))
    now = clock.now()
    unknown = QueueRefusal(
        _("No appointment at %(hall)s has this code. Check the code, or take a normal number.")
        % {"hall": hall.name},
        code="unknown_code",
    )
    arrival = booking_for_arrival(code, hall.organisation, now=now)
    if arrival is None:
        raise unknown
    booking = arrival.booking
    service = Service.objects.filter(
        hall=hall, active=True, appointment_resource=arrival.resource_code
    ).first()
    if service is None:
        raise unknown
    with transaction.atomic():
        # One arrival of a service at a time: two scans of one code find each other's ticket.
        Service.objects.select_for_update().filter(pk=service.pk).first()
        issued = (
            Ticket.objects.select_related("service", "counter")
            .filter(subdistrict_id=hall.subdistrict_id, booking_ref=booking.pk)
            .first()
        )
        if issued is not None:
            latest = _latest(issued)
            if latest.is_open:
                return latest, arrival.secret
            raise QueueRefusal(
                _("This appointment code has already been used (ticket %(code)s).")
                % {"code": latest.code},
                code="already_used",
            )
        _refuse_booking(booking, arrival, now)
        try:
            check_in_booking(booking, actor=actor, code=code, now=now)
        except BookingRefused as exc:
            raise QueueRefusal(" ".join(exc.messages), code="checkin_refused") from exc
        ticket = create_ticket(
            service,
            actor=actor,
            token=arrival.secret,
            kind=TicketKind.APPOINTMENT,
            channel=Ticket.Channel.KIOSK if device is not None else Ticket.Channel.STAFF,
            slot_start=booking.start,
            slot_end=booking.end,
            booking_ref=booking.pk,
        )
    return ticket, arrival.secret
