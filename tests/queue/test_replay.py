"""A replayed day: 300 tickets for three services at two windows on a fixed clock.

Window 1 serves A and B, window 2 serves B and C; about one ticket in six has priority and a
few people do not show up. The replay drives the real verbs (issue, call next, start, finish,
no-show) event by event, then checks the call order against the rules (first come first served
within each kind, the priority swap per service, each window only its services) and the
statistics against the times the replay itself kept.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import defaultdict
from dataclasses import dataclass

from linli.core.access import Access
from linli.frontoffice.queue import services, statistics
from linli.frontoffice.queue.models import Ticket, TicketState
from tests.queue.conftest import SHANGHAI, local

TICKETS = 300
STREAKS = {"A": 2, "B": 1, "C": 3}


@dataclass
class Visit:
    code: str
    service: str
    kind: str
    issued: dt.datetime
    no_show: bool
    duration: dt.timedelta
    ticket_id: int = 0
    called: dt.datetime | None = None
    counter: int | None = None
    started: dt.datetime | None = None
    finished: dt.datetime | None = None


def plan(rng: random.Random) -> list[tuple[dt.datetime, str, bool, bool, dt.timedelta]]:
    """Arrivals between 09:00 and about 15:30, busier mid-morning: (time, service, priority,
    no-show, service duration)."""
    at = local("2026-11-27 09:00")
    arrivals = []
    for _ in range(TICKETS):
        at += dt.timedelta(seconds=rng.randint(20, 130))
        service = rng.choices("ABC", weights=[4, 3, 3])[0]
        arrivals.append(
            (
                at,
                service,
                rng.random() < 0.17,
                rng.random() < 0.04,
                dt.timedelta(seconds=rng.randint(90, 300)),
            )
        )
    return arrivals


def replay(hallway, now) -> tuple[dict[str, Visit], list[tuple[int, str, dt.datetime]]]:
    h = hallway
    for service in (h.a, h.b, h.c):
        service.priority_streak = STREAKS[service.prefix]
        service.save()
    staff = Access.for_user(h.admin, h.subdistrict)
    kiosk = Access.anonymous(h.subdistrict)
    counters = {1: h.window1, 2: h.window2}
    by_prefix = {"A": h.a, "B": h.b, "C": h.c}
    visits: dict[str, Visit] = {}
    calls: list[tuple[int, str, dt.datetime]] = []
    # Events: (time, order, kind, payload); a window is "free" again when its visit ends.
    events: list[tuple[dt.datetime, int, str, object]] = []
    for n, arrival in enumerate(plan(random.Random(20261127))):
        heapq.heappush(events, (arrival[0], n, "arrive", arrival))
    idle = {1, 2}
    order = TICKETS
    while events:
        at, _n, kind, payload = heapq.heappop(events)
        now(at)
        if kind == "arrive":
            _at, prefix, priority, no_show, duration = payload  # type: ignore[misc]
            ticket, _token = services.issue_ticket(
                by_prefix[prefix],
                actor=kiosk,
                device=h.hall,
                kind="priority" if priority else "normal",
                priority_reason="elderly" if priority else "",
            )
            visits[ticket.code] = Visit(ticket.code, prefix, ticket.kind, at, no_show, duration)
        else:
            number, code = payload  # type: ignore[misc]
            ticket = Ticket.objects.get(pk=visits[code].ticket_id)
            services.finish_service(ticket, actor=staff)
            visits[code].finished = at
            idle.add(number)
        for number in sorted(idle):
            while True:
                called = services.call_next(counters[number], actor=staff)
                if called is None:
                    break
                visit = visits[called.code]
                visit.ticket_id = called.pk
                visit.called, visit.counter = at, number
                calls.append((number, called.code, at))
                if visit.no_show:
                    services.mark_no_show(called, actor=staff)
                    continue
                services.start_service(called, actor=staff)
                visit.started = at
                idle.discard(number)
                order += 1
                heapq.heappush(events, (at + visit.duration, order, "free", (number, called.code)))
                break
    return visits, calls


def test_a_day_of_three_hundred_tickets(in_hall, now):
    h = in_hall
    visits, calls = replay(h, now)

    # Everyone was called once, by a window that serves their service.
    assert len(visits) == TICKETS
    assert len(calls) == TICKETS
    assert len({code for _w, code, _t in calls}) == TICKETS
    serves = {1: {"A", "B"}, 2: {"B", "C"}}
    assert all(visits[code].service in serves[window] for window, code, _t in calls)
    assert Ticket.objects.filter(state=TicketState.DONE).count() == sum(
        not v.no_show for v in visits.values()
    )
    assert Ticket.objects.filter(state=TicketState.NO_SHOW).count() == sum(
        v.no_show for v in visits.values()
    )

    jumps = 0
    for prefix, streak in STREAKS.items():
        called = [visits[code] for _w, code, _t in calls if code.startswith(prefix)]
        # First come, first served within each kind.
        for kind in ("normal", "priority"):
            of_kind = [v.issued for v in called if v.kind == kind]
            assert of_kind == sorted(of_kind), f"{prefix} {kind} tickets out of turn"
        run = 0
        for i, visit in enumerate(called):
            waiting_normal = [
                v
                for v in called[i + 1 :]
                if v.kind == "normal" and v.issued <= visit.called  # type: ignore[operator]
            ]
            if visit.kind == "priority":
                # Past the streak a priority ticket goes only when no normal one waits.
                assert run < streak or not waiting_normal, f"{visit.code} starved a normal ticket"
                jumps += any(v.issued < visit.issued for v in waiting_normal)
                run += 1
            else:
                # A normal ticket goes only when no priority ticket may jump it.
                waiting_priority = [
                    v
                    for v in called[i + 1 :]
                    if v.kind == "priority" and v.issued <= visit.called  # type: ignore[operator]
                ]
                assert run >= streak or not waiting_priority, f"{visit.code} skipped a priority"
                run = 0
    assert jumps > 10  # the swap did happen, many times

    # The statistics agree with the times the replay kept.
    day = local("2026-11-27 12:00").date()
    stats = statistics.statistics(day, day, h.hall, access=Access.system(h.hall.subdistrict))

    def minutes(deltas: list[dt.timedelta]) -> float | None:
        return round(sum(d.total_seconds() for d in deltas) / len(deltas) / 60, 1)

    by_service: dict[str, list[Visit]] = defaultdict(list)
    by_counter: dict[int, list[Visit]] = defaultdict(list)
    by_hour: dict[int, list[Visit]] = defaultdict(list)
    for visit in visits.values():
        by_service[visit.service].append(visit)
        by_counter[visit.counter].append(visit)  # type: ignore[index]
        by_hour[visit.issued.astimezone(SHANGHAI).hour].append(visit)

    def expected(group: list[Visit]) -> tuple:
        served = [v for v in group if not v.no_show]
        return (
            len(group),
            len(served),
            len(group) - len(served),
            minutes([v.called - v.issued for v in group]),  # type: ignore[operator]
            minutes([v.finished - v.started for v in served]),  # type: ignore[operator]
        )

    def got(group: statistics.Group) -> tuple:
        return (
            group.tickets,
            group.served,
            group.no_shows,
            group.mean_wait_minutes,
            group.mean_service_minutes,
        )

    assert got(stats.total) == expected(list(visits.values()))
    assert [got(g) for g in stats.by_service] == [expected(by_service[p]) for p in "ABC"]
    assert [got(g) for g in stats.by_counter] == [expected(by_counter[n]) for n in (1, 2)]
    assert [g.label[:5] for g in stats.by_hour] == [f"{hour:02d}:00" for hour in sorted(by_hour)]
    assert [got(g) for g in stats.by_hour] == [expected(by_hour[k]) for k in sorted(by_hour)]
    # Priority tickets waited less than normal ones, on average.
    wait = {
        kind: minutes([v.called - v.issued for v in visits.values() if v.kind == kind])  # type: ignore[operator]
        for kind in ("normal", "priority")
    }
    assert wait["priority"] < wait["normal"]
