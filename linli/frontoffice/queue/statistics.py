"""Queue statistics for a range of days: tickets, mean wait and mean service time per service,
per counter and per hour of the day (Shanghai time, by the hour the ticket was issued).

Wait is issue → first call, over the tickets that were called. Service time is start → finish,
over the tickets served to the end; tickets closed by the end-of-day job count in neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.frontoffice.queue.models import Counter, Hall, Service, Ticket, TicketState


@dataclass
class Group:
    label: str
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    waited: int = 0  # tickets called
    wait_total: dt.timedelta = dt.timedelta()
    service_total: dt.timedelta = dt.timedelta()

    @property
    def mean_wait_minutes(self) -> float | None:
        if not self.waited:
            return None
        return round(self.wait_total.total_seconds() / self.waited / 60, 1)

    @property
    def mean_service_minutes(self) -> float | None:
        if not self.served:
            return None
        return round(self.service_total.total_seconds() / self.served / 60, 1)

    def add(self, other: Group) -> None:
        self.tickets += other.tickets
        self.served += other.served
        self.no_shows += other.no_shows
        self.waited += other.waited
        self.wait_total += other.wait_total
        self.service_total += other.service_total


@dataclass
class QueueStatistics:
    start: dt.date
    end: dt.date
    total: Group
    by_service: list[Group]
    by_counter: list[Group]
    by_hour: list[Group]


# Tickets closed by the end-of-day job count as tickets, in no other figure.
COUNTED = Q(closed_at_day_end=False)
CALLED = COUNTED & Q(called_at__isnull=False)
SERVED = COUNTED & Q(state=TicketState.DONE, started_at__isnull=False, finished_at__isnull=False)
FIGURES = {
    "tickets": Count("pk"),
    "served": Count("pk", filter=SERVED),
    "no_shows": Count("pk", filter=COUNTED & Q(state=TicketState.NO_SHOW)),
    "waited": Count("pk", filter=CALLED),
    "wait_total": Sum(F("called_at") - F("issued_at"), filter=CALLED),
    "service_total": Sum(F("finished_at") - F("started_at"), filter=SERVED),
}


def _groups(tickets: QuerySet[Ticket], key: str) -> dict[int | None, Group]:
    """The figures of the tickets per value of ``key``, summed by the database (a year of a
    busy hall is tens of thousands of tickets: none of them is read one by one)."""
    found = {}
    for row in tickets.values(key).annotate(**FIGURES).order_by():
        found[row[key]] = Group(
            "",
            tickets=row["tickets"],
            served=row["served"],
            no_shows=row["no_shows"],
            waited=row["waited"],
            wait_total=row["wait_total"] or dt.timedelta(),
            service_total=row["service_total"] or dt.timedelta(),
        )
    return found


def statistics(
    start: dt.date, end: dt.date, hall: Hall | None = None, *, access: Access
) -> QueueStatistics:
    """The figures of the tickets ``access`` may count (``visible_to(access, "statistics")``)."""
    tickets = Ticket.objects.visible_to(access, "statistics").filter(day__gte=start, day__lte=end)
    if hall is not None:
        tickets = tickets.filter(service__hall=hall)
    by_service = _groups(tickets, "service_id")
    by_counter = _groups(tickets, "counter_id")
    by_counter.pop(None, None)  # tickets never called at a window
    hourly = _groups(tickets.annotate(hour=ExtractHour("issued_at", tzinfo=local_zone())), "hour")
    by_hour = {hour: group for hour, group in hourly.items() if hour is not None}
    total = Group(_("All services"))
    for group in by_service.values():
        total.add(group)
    services = list(
        Service.objects.filter(pk__in=list(by_service))
        .select_related("hall")
        .order_by("hall__name", "position", "prefix")
    )
    for service in services:
        by_service[service.pk].label = f"{service.hall.name} · {service}"
    counters = list(
        Counter.objects.filter(pk__in=list(by_counter))
        .select_related("hall")
        .order_by("hall__name", "number")
    )
    for counter in counters:
        by_counter[counter.pk].label = f"{counter.hall.name} · {counter}"
    for hour, group in by_hour.items():
        group.label = f"{hour:02d}:00–{hour + 1:02d}:00"
    return QueueStatistics(
        start=start,
        end=end,
        total=total,
        by_service=[by_service[s.pk] for s in services],
        by_counter=[by_counter[c.pk] for c in counters],
        by_hour=[by_hour[hour] for hour in sorted(by_hour)],
    )


def table(stats: QueueStatistics) -> list[list[object]]:
    """The statistics as rows for a spreadsheet: one header, then one row per group."""
    rows: list[list[object]] = [
        [
            _("Grouping"),
            _("Group"),
            _("Tickets"),
            _("Served"),
            _("No-shows"),
            _("Mean wait (minutes)"),
            _("Mean service time (minutes)"),
        ]
    ]
    sections = [
        (_("Total"), [stats.total]),
        (_("Service"), stats.by_service),
        (_("Counter"), stats.by_counter),
        (_("Hour"), stats.by_hour),
    ]
    for name, groups in sections:
        for g in groups:
            rows.append(
                [
                    str(name),
                    g.label,
                    g.tickets,
                    g.served,
                    g.no_shows,
                    g.mean_wait_minutes,
                    g.mean_service_minutes,
                ]
            )
    return rows
