"""Counters and devices: opening and closing a window, a hall's device key, and the end of
the day's open tickets."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.frontoffice.queue import rules
from linli.frontoffice.queue.models import (
    OPEN_STATES,
    Counter,
    Hall,
    Ticket,
    TicketState,
    new_device_key,
)
from linli.frontoffice.queue.services.calling import current_ticket, lock_counter
from linli.frontoffice.queue.services.issuing import QueueRefusal


def open_counter(counter: Counter, *, actor: Access) -> Counter:
    with transaction.atomic():
        counter = lock_counter(counter, actor)
        if not counter.is_open:
            counter.is_open = True
            counter.save(update_fields=["is_open"])
            audit.record(actor, "queue.counter.open", counter)
    return counter


def close_counter(counter: Counter, *, actor: Access) -> Counter:
    with transaction.atomic():
        counter = lock_counter(counter, actor)
        busy = current_ticket(counter)
        if busy is not None:
            raise QueueRefusal(
                _("Finish, transfer or mark %(code)s a no-show before closing the window.")
                % {"code": busy.code},
                code="counter_busy",
            )
        if counter.is_open:
            counter.is_open = False
            counter.save(update_fields=["is_open"])
            audit.record(actor, "queue.counter.close", counter)
    return counter


def rotate_device_key(hall: Hall, *, actor: Access) -> Hall:
    """A new key for the hall's kiosks and screen; the old URLs stop working at once."""
    actor.require(rules.may_manage_devices(actor))
    with transaction.atomic():
        hall = Hall.objects.select_for_update(of=("self",)).get(pk=hall.pk)
        hall.device_key = new_device_key()
        hall.save(update_fields=["device_key"])
        audit.record(actor, "queue.hall.rotate_device_key", hall)
    return hall


# --- end of day --------------------------------------------------------------------------

DAY_END_STATES = {
    TicketState.ISSUED: TicketState.CANCELLED,
    TicketState.CALLED: TicketState.NO_SHOW,
    TicketState.SERVING: TicketState.DONE,
}


def close_past_days(subdistrict: Subdistrict, *, actor: Access, today: dt.date) -> int:
    """Close the tickets of days before ``today`` still open: waiting ones are cancelled,
    called ones are no-shows, those being served are done. They are marked, so their times
    stay out of the statistics. Running it twice closes nothing more."""
    actor.require(actor.is_system or actor.has_any(rules.ADMINS))
    now = clock.now()
    closed = 0
    with transaction.atomic():
        stale = Ticket.objects.filter(subdistrict=subdistrict, day__lt=today, state__in=OPEN_STATES)
        for state, final in DAY_END_STATES.items():
            closed += stale.filter(state=state).update(
                state=final, finished_at=now, closed_at_day_end=True
            )
        if closed:
            audit.record(
                actor,
                "queue.day.close",
                object_type="queue.ticket",
                note=_("%(count)s tickets closed before %(day)s")
                % {"count": closed, "day": today.isoformat()},
            )
    return closed
