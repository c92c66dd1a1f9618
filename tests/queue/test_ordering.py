"""The call order rules on their own: booked slots first, the priority swap, first come first
served (linli/frontoffice/queue/ordering.py)."""

from __future__ import annotations

import datetime as dt

from linli.frontoffice.queue.ordering import (
    APPOINTMENT,
    NORMAL,
    PRIORITY,
    LineRule,
    Waiting,
    call_order,
    head,
    pick,
    priority_run,
)
from tests.queue.conftest import local

T0 = local("2026-11-27 09:00")
RULE = LineRule(streak_limit=2, lead=dt.timedelta(minutes=10))


def ticket(n: int, kind: str = NORMAL, *, service: int = 1, minute: int | None = None, slot=None):
    start = local(slot) if slot else None
    return Waiting(
        id=n,
        service_id=service,
        kind=kind,
        queued_at=T0 + dt.timedelta(minutes=n if minute is None else minute),
        slot_start=start,
        slot_end=start + dt.timedelta(minutes=30) if start else None,
    )


def codes(order):
    return [w.id for w in order]


def test_priority_jumps_at_most_the_streak_then_a_normal_ticket_goes():
    line = [ticket(1), ticket(2), ticket(3, PRIORITY), ticket(4, PRIORITY), ticket(5, PRIORITY)]
    line += [ticket(6, PRIORITY)]
    # P3 P4 jump; then N1 is due; P5 P6; then N2.
    assert codes(call_order(line, RULE, 0, T0)) == [3, 4, 1, 5, 6, 2]


def test_the_run_carries_over_from_earlier_calls():
    line = [ticket(1), ticket(2, PRIORITY)]
    assert codes(call_order(line, RULE, 2, T0)) == [1, 2]
    assert codes(call_order(line, RULE, 1, T0)) == [2, 1]


def test_priority_tickets_go_when_no_normal_one_waits():
    line = [ticket(1, PRIORITY), ticket(2, PRIORITY), ticket(3, PRIORITY)]
    assert codes(call_order(line, RULE, 2, T0)) == [1, 2, 3]


def test_a_booked_ticket_goes_first_inside_its_window_only():
    booked = ticket(9, APPOINTMENT, slot="2026-11-27 09:30")
    line = [ticket(1), ticket(2, PRIORITY), booked]
    # 09:15: the slot window opens at 09:20, so the booked ticket stands in line by its time.
    assert codes(call_order(line, RULE, 0, local("2026-11-27 09:15"))) == [2, 1, 9]
    # 09:20 – 10:00: it goes first.
    assert codes(call_order(line, RULE, 0, local("2026-11-27 09:20"))) == [9, 2, 1]
    assert codes(call_order(line, RULE, 0, local("2026-11-27 10:00"))) == [9, 2, 1]
    # After the slot it is a normal ticket again.
    assert codes(call_order(line, RULE, 0, local("2026-11-27 10:01"))) == [2, 1, 9]


def test_appointments_neither_count_nor_break_the_run():
    assert priority_run([PRIORITY, APPOINTMENT, PRIORITY, NORMAL, PRIORITY]) == 2
    assert priority_run([NORMAL, PRIORITY]) == 0
    assert priority_run([]) == 0


def test_a_counter_takes_jumping_priority_across_services_but_otherwise_the_longest_wait():
    a_normal = ticket(1, service=1)
    b_priority = ticket(2, PRIORITY, service=2)
    heads = [head([a_normal], RULE, 0, T0), head([b_priority], RULE, 0, T0)]
    assert pick([h for h in heads if h]) == b_priority
    # When B's run is used up its priority ticket no longer jumps: A's older ticket goes.
    heads = [head([a_normal], RULE, 0, T0), head([b_priority, ticket(3, service=2)], RULE, 2, T0)]
    assert pick([h for h in heads if h]) == a_normal
    assert pick([]) is None
