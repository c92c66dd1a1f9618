"""Who is called next: the call order of a service's line and of a counter's lines.

Plain Python on small records, so the rules can be read and tested on their own:

1. **Booked slots first.** An appointment ticket is inside its window from ``lead`` minutes
   before its slot starts until the slot ends; inside it, it goes before every other ticket
   (earliest slot first). Outside the window it stands in line like a normal ticket.
2. **Priority swap.** A waiting priority ticket (elderly, disability) goes before waiting normal
   tickets, but after ``streak_limit`` priority calls in a row in a service the next call is a
   normal ticket if one waits. So normal tickets are never starved: each waits behind at most
   ``streak_limit`` priority tickets per normal call. Appointment calls neither count towards
   nor break the run.
3. **First come, first served** otherwise, by the time a ticket joined the line
   (``queued_at``, kept across a transfer).

A counter serving several services asks each for its head and takes, in this order, a booked
ticket in its window, then a priority ticket its service lets jump, then the ticket that has
waited longest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NORMAL = "normal"
PRIORITY = "priority"
APPOINTMENT = "appointment"

BOOKED, JUMPING, IN_LINE = 0, 1, 2  # tiers, best first


@dataclass(frozen=True)
class Waiting:
    id: int
    service_id: int
    kind: str
    queued_at: dt.datetime
    slot_start: dt.datetime | None = None
    slot_end: dt.datetime | None = None


@dataclass(frozen=True)
class LineRule:
    streak_limit: int
    lead: dt.timedelta


def in_slot_window(ticket: Waiting, rule: LineRule, now: dt.datetime) -> bool:
    if ticket.kind != APPOINTMENT or ticket.slot_start is None:
        return False
    end = ticket.slot_end or ticket.slot_start
    return ticket.slot_start - rule.lead <= now <= end


def priority_run(recent_kinds: Iterable[str]) -> int:
    """How many priority calls in a row end a service's calls, newest first in ``recent_kinds``."""
    run = 0
    for kind in recent_kinds:
        if kind == APPOINTMENT:
            continue
        if kind != PRIORITY:
            break
        run += 1
    return run


def next_run(run: int, kind: str) -> int:
    if kind == APPOINTMENT:
        return run
    return run + 1 if kind == PRIORITY else 0


def head(
    waiting: Sequence[Waiting], rule: LineRule, run: int, now: dt.datetime
) -> tuple[int, Waiting] | None:
    """The next ticket of one service's line and its tier, or None when nobody waits."""
    booked = [t for t in waiting if in_slot_window(t, rule, now)]
    if booked:
        return BOOKED, min(booked, key=lambda t: (t.slot_start, t.queued_at, t.id))
    line = sorted(waiting, key=lambda t: (t.queued_at, t.id))
    priority = next((t for t in line if t.kind == PRIORITY), None)
    normal = next((t for t in line if t.kind != PRIORITY), None)
    if priority is not None and (run < rule.streak_limit or normal is None):
        return JUMPING, priority
    if normal is not None:
        return IN_LINE, normal
    return None


def pick(heads: Iterable[tuple[int, Waiting]]) -> Waiting | None:
    """What a counter calls among the heads of the services it serves."""

    def key(entry: tuple[int, Waiting]) -> tuple:
        tier, ticket = entry
        since = ticket.slot_start if tier == BOOKED and ticket.slot_start else ticket.queued_at
        return (tier, since, ticket.queued_at, ticket.id)

    best = min(heads, key=key, default=None)
    return best[1] if best is not None else None


def call_order(
    waiting: Sequence[Waiting], rule: LineRule, run: int, now: dt.datetime
) -> list[Waiting]:
    """The order in which one service's line would be called if nobody else joined it."""
    remaining = list(waiting)
    order: list[Waiting] = []
    while remaining:
        found = head(remaining, rule, run, now)
        if found is None:
            break
        ticket = found[1]
        order.append(ticket)
        remaining.remove(ticket)
        run = next_run(run, ticket.kind)
    return order
