"""Queue statistics for a range of days: tickets, mean wait and mean service time per service,
per counter and per hour of the day (Shanghai time, by the hour the ticket was issued).

Wait is issue → first call, over the tickets that were called. Service time is start → finish,
over the tickets served to the end; tickets closed by the end-of-day job count in neither.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.frontoffice.queue.models import Hall, Ticket, TicketState


@dataclass
class Group:
    label: str
    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    waits: list[float] = field(default_factory=list)  # seconds
    services: list[float] = field(default_factory=list)  # seconds

    @property
    def mean_wait_minutes(self) -> float | None:
        return round(sum(self.waits) / len(self.waits) / 60, 1) if self.waits else None

    @property
    def mean_service_minutes(self) -> float | None:
        return round(sum(self.services) / len(self.services) / 60, 1) if self.services else None


@dataclass
class QueueStatistics:
    start: dt.date
    end: dt.date
    total: Group
    by_service: list[Group]
    by_counter: list[Group]
    by_hour: list[Group]


def _add(group: Group, ticket: Ticket) -> None:
    group.tickets += 1
    if ticket.closed_at_day_end:
        return
    if ticket.called_at is not None:
        group.waits.append((ticket.called_at - ticket.issued_at).total_seconds())
    if ticket.state == TicketState.NO_SHOW:
        group.no_shows += 1
    if ticket.state == TicketState.DONE and ticket.started_at and ticket.finished_at:
        group.served += 1
        group.services.append((ticket.finished_at - ticket.started_at).total_seconds())


def compute(tickets: Iterable[Ticket], start: dt.date, end: dt.date) -> QueueStatistics:
    zone = local_zone()
    total = Group(_("All services"))
    services: dict[int, Group] = {}
    counters: dict[int, Group] = {}
    hours: dict[int, Group] = defaultdict(lambda: Group(""))
    service_order: dict[int, tuple] = {}
    counter_order: dict[int, tuple] = {}
    for ticket in tickets:
        _add(total, ticket)
        service = ticket.service
        if service.pk not in services:
            services[service.pk] = Group(f"{service.hall.name} · {service}")
            service_order[service.pk] = (service.hall.name, service.position, service.prefix)
        _add(services[service.pk], ticket)
        if ticket.counter is not None:
            counter = ticket.counter
            if counter.pk not in counters:
                counters[counter.pk] = Group(f"{counter.hall.name} · {counter}")
                counter_order[counter.pk] = (counter.hall.name, counter.number)
            _add(counters[counter.pk], ticket)
        _add(hours[ticket.issued_at.astimezone(zone).hour], ticket)
    by_hour = []
    for hour in sorted(hours):
        group = hours[hour]
        group.label = f"{hour:02d}:00–{hour + 1:02d}:00"
        by_hour.append(group)
    return QueueStatistics(
        start=start,
        end=end,
        total=total,
        by_service=[services[pk] for pk in sorted(services, key=service_order.__getitem__)],
        by_counter=[counters[pk] for pk in sorted(counters, key=counter_order.__getitem__)],
        by_hour=by_hour,
    )


def statistics(
    start: dt.date, end: dt.date, hall: Hall | None = None, *, access: Access
) -> QueueStatistics:
    """The figures of the tickets ``access`` may count (``visible_to(access, "statistics")``)."""
    tickets = (
        Ticket.objects.visible_to(access, "statistics").filter(day__gte=start, day__lte=end)
    ).select_related("service", "service__hall", "counter", "counter__hall")
    if hall is not None:
        tickets = tickets.filter(service__hall=hall)
    return compute(tickets.iterator(chunk_size=2000), start, end)


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
