"""Queue statistics are summed by the database: the page costs the same few queries for a
handful of tickets or a year's, and its figures are those of the tickets, group by group."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.frontoffice.queue import statistics
from linli.frontoffice.queue.models import Ticket, TicketState
from tests.queue.conftest import SHANGHAI

DAYS = 30


def ticket(hallway, service, counter, day: dt.date, number: int, hour: int, **fields) -> Ticket:
    issued = dt.datetime.combine(day, dt.time(hour), SHANGHAI)
    wait = fields.pop("wait", None)
    if wait is not None:
        fields["called_at"] = issued + dt.timedelta(minutes=wait)
    serve = fields.pop("serve", None)
    if serve is not None:
        fields |= {
            "state": TicketState.DONE,
            "started_at": fields["called_at"],
            "finished_at": fields["called_at"] + dt.timedelta(minutes=serve),
        }
    return Ticket.objects.create(
        subdistrict=hallway.subdistrict,
        service=service,
        counter=counter,
        day=day,
        number=number,
        queued_at=issued,
        issued_at=issued,
        **fields,
    )


def fill(hallway, days: int) -> None:
    """Per day: a served A at window 1 at 9:00 (wait 4, service 8), a served B at window 2 at
    10:00 (wait 10, service 2), a no-show C at window 2 at 10:00 (wait 6) and a C left waiting
    at 11:00, closed at the end of the day (a ticket, in no other figure)."""
    first = dt.date(2026, 11, 27) - dt.timedelta(days=days - 1)
    for n in range(days):
        day = first + dt.timedelta(days=n)
        h = hallway
        ticket(h, h.a, h.window1, day, 1, 9, wait=4, serve=8)
        ticket(h, h.b, h.window2, day, 1, 10, wait=10, serve=2)
        ticket(h, h.c, h.window2, day, 1, 10, wait=6, state=TicketState.NO_SHOW)
        ticket(h, h.c, None, day, 2, 11, state=TicketState.DONE, closed_at_day_end=True)


def figures(group: statistics.Group) -> tuple:
    return (
        group.label,
        group.tickets,
        group.served,
        group.no_shows,
        group.mean_wait_minutes,
        group.mean_service_minutes,
    )


def test_each_group_sums_its_own_tickets(in_hall):
    fill(in_hall, DAYS)
    stats = statistics.statistics(
        dt.date(2026, 10, 1), dt.date(2026, 11, 27), access=in_hall.access(in_hall.admin)
    )
    assert figures(stats.total) == ("All services", 4 * DAYS, 2 * DAYS, DAYS, 6.7, 5.0)
    assert [figures(g) for g in stats.by_service] == [
        ("Main hall · A · Company registration", DAYS, DAYS, 0, 4.0, 8.0),
        ("Main hall · B · Tax", DAYS, DAYS, 0, 10.0, 2.0),
        ("Main hall · C · Social insurance", 2 * DAYS, 0, DAYS, 6.0, None),
    ]
    assert [figures(g) for g in stats.by_counter] == [
        ("Main hall · Window 1", DAYS, DAYS, 0, 4.0, 8.0),
        ("Main hall · Window 2", 2 * DAYS, DAYS, DAYS, 8.0, 2.0),
    ]
    assert [figures(g) for g in stats.by_hour] == [
        ("09:00–10:00", DAYS, DAYS, 0, 4.0, 8.0),
        ("10:00–11:00", 2 * DAYS, DAYS, DAYS, 8.0, 2.0),
        ("11:00–12:00", DAYS, 0, 0, None, None),
    ]


def test_the_page_costs_the_same_queries_for_a_day_or_a_month(
    hallway, client_for, django_assert_max_num_queries
):
    fill(hallway, DAYS)
    admin = client_for(hallway.admin)
    month = f"?start={dt.date(2026, 10, 1)}&end={dt.date(2026, 11, 27)}"
    admin.get(reverse("queue:stats") + month)  # the session and the menu's first reads
    with django_assert_max_num_queries(14):
        page = admin.get(reverse("queue:stats") + month).content.decode()
    assert "Main hall · Window 2" in page
    with django_assert_max_num_queries(14):
        admin.get(reverse("queue:stats") + "?start=2026-11-27&end=2026-11-27")
