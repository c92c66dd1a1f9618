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

from django.db.models import Min
from django.utils.translation import pgettext

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
    # While none is open: the windows that serve the service, and when they usually open.
    windows: tuple[int, ...] = ()
    usually_opens: dt.time | None = None

    @property
    def wait_minutes(self) -> int | None:
        return None if self.wait is None else math.ceil(self.wait.total_seconds() / 60)

    @property
    def windows_text(self) -> str:
        return pgettext("list separator", ", ").join(str(n) for n in self.windows)


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


def serving_windows(service: Service) -> tuple[int, ...]:
    """The numbers of the windows that serve the service, open or not."""
    return tuple(
        Counter.objects.filter(services=service).order_by("number").values_list("number", flat=True)
    )


def usual_opening(service: Service, now: dt.datetime) -> dt.time | None:
    """When the windows serving the service usually call their first number of the day: the
    median over the last ``ROLLING_DAYS`` days with calls, to the quarter hour below; None
    without any."""
    firsts = sorted(
        clock.local(first).time()
        for first in Ticket.objects.filter(
            counter__services=service,
            called_at__isnull=False,
            called_at__gte=now - dt.timedelta(days=ROLLING_DAYS),
        )
        .order_by()
        .values("day")
        .annotate(first=Min("called_at"))
        .values_list("first", flat=True)
    )
    if not firsts:
        return None
    middle = firsts[len(firsts) // 2]
    return middle.replace(minute=middle.minute - middle.minute % 15, second=0, microsecond=0)


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
    if counters:
        return Estimate(ahead, counters, mean, ahead * mean / counters)
    return Estimate(
        ahead,
        0,
        mean,
        None,
        windows=serving_windows(ticket.service),
        usually_opens=usual_opening(ticket.service, now),
    )
