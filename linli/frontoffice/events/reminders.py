"""Reminders a day ahead, with the event as a calendar file, and the event's calendar file
itself."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.ics import IcsEvent, ics_document
from linli.core.messaging import Attachment, email_after_commit, notify
from linli.frontoffice.events.availability import local_time
from linli.frontoffice.events.models import Event, Registration, State
from linli.frontoffice.events.services import event_url

REMINDER_LEAD = dt.timedelta(hours=24)


def calendar_entry(event: Event) -> IcsEvent:
    place = event.place.name + (f" · {event.room}" if event.room else "")
    return IcsEvent(
        uid=f"event-{event.subdistrict_id}-{event.pk}@linli",
        start=event.starts_at,
        end=event.ends_at,
        summary=event.title,
        location=place,
        description=event.description,
        cancelled=event.cancelled_at is not None,
    )


def event_ics(event: Event) -> bytes:
    return ics_document(event.title, [calendar_entry(event)])


def _remind(registration: Registration) -> None:
    event = registration.event
    title = _("Reminder: %(event)s on %(start)s") % {
        "event": event.title,
        "start": local_time(event.starts_at),
    }
    body = _(
        "You have a seat at %(event)s, %(place)s, starting %(start)s. Show the QR code under "
        "My registrations at the entrance."
    ) % {"event": event.title, "place": event.place.name, "start": local_time(event.starts_at)}
    notify([registration.user], event.subdistrict, title=title, body=body, url=event_url(event))
    email_after_commit(
        [registration.user.email],
        title,
        body,
        [Attachment("event.ics", event_ics(event), "text/calendar")],
    )


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind every confirmed person of an event starting within a day, once.

    The reminder is claimed by a conditional update (``reminded_at`` still empty) before it is
    sent, so a second run or a second worker sends nothing more.
    """
    now = now or clock.now()
    due = (
        Registration.objects.filter(
            state=State.CONFIRMED,
            reminded_at__isnull=True,
            event__cancelled_at__isnull=True,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_LEAD,
        )
        .select_related("user", "event__place", "event__subdistrict")
        .order_by("pk")
    )
    sent = 0
    for registration in due:
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if claimed:
            _remind(registration)
            sent += 1
    return sent
