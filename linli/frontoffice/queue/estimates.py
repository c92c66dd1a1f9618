"""Where a ticket stands and how long it will wait (DESIGN §6):

    estimated wait = people ahead × rolling mean service time ÷ open counters for the service

People ahead follow the service's call order (booked slots, the priority swap, first come first
served). The rolling mean is over the service's last ``ROLLING_TICKETS`` served tickets of the
last ``ROLLING_DAYS`` days, or the service's expected time until there are ``MIN_SAMPLES``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from linli.core import clock
from linli.frontoffice.queue import ordering
from linli.frontoffice.queue.models import Counter, Service, Ticket, TicketState
from linli.frontoffice.queue.services import current_run, line_rule, waiting_of

ROLLING_TICKETS = 30
ROLLING_DAYS = 14
MIN_SAMPLES = 5


@dataclass(frozen=True)
class Estimate:
    ahead: int
    open_counters: int
    mean_service: dt.timedelta
    wait: dt.timedelta | None  # None when no counter for the service is open

    @property
    def wait_minutes(self) -> int | None:
        return None if self.wait is None else math.ceil(self.wait.total_seconds() / 60)


def mean_service_time(service: Service, now: dt.datetime) -> dt.timedelta:
    rows = list(
        Ticket.objects.filter(
            service=service,
            state=TicketState.DONE,
            closed_at_day_end=False,
            started_at__isnull=False,
            finished_at__gte=now - dt.timedelta(days=ROLLING_DAYS),
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:ROLLING_TICKETS]
    )
    durations = [end - start for start, end in rows if start is not None and end is not None]
    if len(durations) < MIN_SAMPLES:
        return dt.timedelta(minutes=service.default_service_minutes)
    return sum(durations, dt.timedelta()) / len(durations)


def open_counters(service: Service) -> int:
    return Counter.objects.filter(services=service, is_open=True).count()


def people_ahead(ticket: Ticket, now: dt.datetime) -> int:
    order = ordering.call_order(
        waiting_of(ticket.service, ticket.day),
        line_rule(ticket.service),
        current_run(ticket.service, ticket.day),
        now,
    )
    return next((i for i, waiting in enumerate(order) if waiting.id == ticket.pk), len(order))


def estimate(ticket: Ticket) -> Estimate | None:
    """None unless the ticket still waits."""
    if ticket.state != TicketState.ISSUED:
        return None
    now = clock.now()
    ahead = people_ahead(ticket, now)
    mean = mean_service_time(ticket.service, now)
    counters = open_counters(ticket.service)
    wait = ahead * mean / counters if counters else None
    return Estimate(ahead=ahead, open_counters=counters, mean_service=mean, wait=wait)
