"""Attendance figures per event and per type and period, and their Excel export.

"Registered" counts every registration made (waitlisted and cancelled ones too), "confirmed"
those holding a seat on the day (confirmed or checked in). The no-show rate is the share of
confirmed people who did not check in, for events that have ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core import clock
from linli.core.access import Access
from linli.core.spreadsheets import rows_to_xlsx
from linli.frontoffice.events.models import ATTENDING, Event, Kind, State

FIGURES = {
    "registered": Count("registrations"),
    "confirmed": Count("registrations", filter=Q(registrations__state__in=ATTENDING)),
    "checked_in": Count("registrations", filter=Q(registrations__state=State.CHECKED_IN)),
    "waitlisted": Count("registrations", filter=Q(registrations__state=State.WAITLISTED)),
    "mean_rating": Avg("registrations__rating"),
    "ratings": Count("registrations__rating"),
}


@dataclass(frozen=True)
class Figures:
    label: str
    events: int
    registered: int
    confirmed: int
    checked_in: int
    waitlisted: int
    ratings: int
    mean_rating: float | None
    ended: bool

    @property
    def no_show_rate(self) -> float | None:
        if not self.ended or not self.confirmed:
            return None
        return (self.confirmed - self.checked_in) / self.confirmed


def _figures(label: str, row: Mapping[str, Any], events: int, ended: bool) -> Figures:
    mean = row["mean_rating"]
    return Figures(
        label=label,
        events=events,
        registered=row["registered"],
        confirmed=row["confirmed"],
        checked_in=row["checked_in"],
        waitlisted=row["waitlisted"],
        ratings=row["ratings"],
        mean_rating=round(float(mean), 2) if mean is not None else None,
        ended=ended,
    )


def event_figures(event: Event) -> Figures:
    row = Event.objects.filter(pk=event.pk).aggregate(**FIGURES)
    return _figures(event.title, row, 1, event.ends_at <= clock.now())


def with_figures(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(**FIGURES)


def per_event(access: Access, start: dt.datetime, end: dt.datetime) -> list[tuple[Event, Figures]]:
    """Each ended, not cancelled event ``access`` sees starting in [start, end), newest first,
    with figures."""
    events = with_figures(
        Event.objects.visible_to(access).filter(
            starts_at__gte=start,
            starts_at__lt=end,
            ends_at__lte=clock.now(),
            cancelled_at__isnull=True,
        )
    ).order_by("-starts_at", "-pk")
    return [(e, _figures(e.title, e.__dict__, 1, True)) for e in events]


def by_kind(access: Access, start: dt.datetime, end: dt.datetime) -> list[Figures]:
    """One row per event type for the events ``access`` sees starting in [start, end); only
    ended events count towards the no-show rate, so the period is cut at now for it."""
    events = Event.objects.visible_to(access).filter(
        starts_at__gte=start, starts_at__lt=end, cancelled_at__isnull=True
    )
    now = clock.now()
    labels = dict(Kind.choices)
    rows = {
        row["kind"]: row
        for row in events.filter(ends_at__lte=now)
        .values("kind")
        .annotate(n=Count("id", distinct=True), **FIGURES)
    }
    return [
        _figures(str(labels[kind]), rows[kind], rows[kind]["n"], True)
        for kind in Kind.values
        if kind in rows
    ]


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def figures_xlsx(title: str, kinds: list[Figures], events: list[Figures]) -> bytes:
    """Per type first, then a blank line and one row per event."""
    header = [
        _("Event or type"),
        _("Events"),
        pgettext("event registrations", "Registered"),
        _("Confirmed"),
        _("Checked in"),
        _("Waitlisted"),
        _("No-show rate"),
        _("Ratings"),
        _("Mean rating"),
    ]
    table = [
        [
            r.label,
            r.events,
            r.registered,
            r.confirmed,
            r.checked_in,
            r.waitlisted,
            percent(r.no_show_rate),
            r.ratings,
            r.mean_rating,
        ]
        for r in [*kinds, *events]
    ]
    # An Excel sheet name holds 31 characters; the title is ours, never typed by anyone.
    sheet = title[:31]
    return rows_to_xlsx(sheet, [header, *table[: len(kinds)], [], *table[len(kinds) :]])
