"""iCalendar (RFC 5545) documents for bookings, appointments and events, built with icalendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

from linli.core import clock
from linli.core.calendar import local_zone

PRODID = "-//linli//linli//ZH"


@dataclass(frozen=True)
class IcsEvent:
    uid: str  # stable across feed refreshes, so calendar apps update rather than duplicate
    start: dt.datetime  # aware
    end: dt.datetime  # aware
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


def ics_document(name: str, events: Iterable[IcsEvent]) -> bytes:
    """A VCALENDAR with one VEVENT per item, times in Asia/Shanghai with its VTIMEZONE."""
    zone = local_zone()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(zone))
    stamp = clock.now()
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start.astimezone(zone))
        event.add("dtend", item.end.astimezone(zone))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
