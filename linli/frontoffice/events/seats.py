"""Taking a place at an event: the one statement that holds the event row's lock.

Arrival numbers run 1, 2, 3… without a gap, so something must be held from the moment an
attempt takes its number until it commits: a number given to an attempt that then fails must
go to the next one. That something is the event row. Seat rows claimed with ``SKIP LOCKED``
would let seats be taken side by side, but every attempt would still queue on the arrival
number (and the waitlist has no rows to claim), and a row per seat would have to follow every
change of the capacity; it would buy nothing here. So the row stays the one point of order,
and the work is to hold it as briefly as possible:

- The event row keeps counters (``seats_held``, ``waitlist_length``, ``last_sequence``), so
  seat or waitlist is decided by one conditional UPDATE on the row itself, with no COUNT.
- That UPDATE, which takes the lock, is the last statement before the commit. Everything that
  can refuse an attempt (the registration window, a second registration of the same person,
  the enterprise's limit) is checked before it, by statements that lock nothing the rest of the
  burst needs (``services.register``).
- On PostgreSQL the same statement also writes the registration and its audit row
  (data-modifying CTEs), so the lock is held for that one statement and the commit, with no
  round trip to Python in between. SQLite locks the whole database at BEGIN (IMMEDIATE), so
  there the UPDATE … RETURNING is followed by ordinary inserts.

A newcomer takes a seat when one is free and nobody is waiting. The verbs offer every free seat
to the waitlist at once, so while registration is open the two never happen together, and the
rule is the old one ("a seat while seats are left"); it also lets the answer say what happened
from the new values alone (PostgreSQL before 18 cannot return a row's old values): the
newcomer was waitlisted exactly when the waitlist is not empty afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model

from linli.core.models import AuditEntry
from linli.frontoffice.events.models import Event, Registration

FREE = "seats_held < capacity AND waitlist_length = 0"

TAKE = (  # names from the model, values as parameters
    "UPDATE {event} SET last_sequence = last_sequence + 1,"  # noqa: S608
    f" seats_held = seats_held + CASE WHEN {FREE} THEN 1 ELSE 0 END,"
    f" waitlist_length = waitlist_length + CASE WHEN {FREE} THEN 0 ELSE 1 END,"
    # Arrival times follow arrival numbers, though the time was read before the lock.
    " last_registered_at = CASE WHEN last_registered_at IS NULL OR last_registered_at < %s"
    " THEN %s ELSE last_registered_at END"
    " WHERE id = %s AND cancelled_at IS NULL AND registration_opens_at <= %s"
    " AND registration_closes_at > %s AND starts_at > %s"
    " RETURNING last_sequence, waitlist_length, last_registered_at"
)


@dataclass(frozen=True)
class Place:
    sequence: int
    waitlisted: bool
    waitlist_length: int  # after this arrival: their place in line when waitlisted
    registered_at: dt.datetime


def _take_params(event_id: int, now: dt.datetime) -> list[Any]:
    at = connection.ops.adapt_datetimefield_value(now)
    return [at, at, event_id, at, at, at]


def take(event: Event, now: dt.datetime) -> Place | None:
    """Take the next arrival number and a seat or a place on the waitlist; None when the event
    is no longer open (it was cancelled or changed since it was read). Outside PostgreSQL
    only: the caller writes the registration after. The row stays locked until the commit."""
    with connection.cursor() as cursor:
        cursor.execute(TAKE.format(event=_table(Event)), _take_params(event.pk, now))
        row = cursor.fetchone()
    if row is None:
        return None
    sequence, waiting, _at = row
    # The whole database is this transaction's (SQLite), so the time read before is current.
    latest = event.last_registered_at
    at = now if latest is None or latest < now else latest
    return Place(int(sequence), waiting > 0, int(waiting), at)


def take_and_write(
    registration: Registration,
    seat_state: str,
    waitlisted_state: str,
    audits: dict[str, AuditEntry],
    now: dt.datetime,
) -> Place | None:
    """PostgreSQL: take the place as ``take`` does and, in the same statement, insert
    ``registration`` (its primary key set by the caller; state, number and times from the
    event row) and the audit row of the state it got (``audits``, one ready per state)."""
    assert connection.vendor == "postgresql"  # noqa: S101 - the caller chooses
    waiting = "taken.waitlist_length > 0"
    at = "taken.last_registered_at"
    confirmed = f"CASE WHEN {waiting} THEN NULL ELSE {at} END" if seat_state == "confirmed" else ""
    registration_sql, registration_params = _insert(
        registration,
        {
            "state": (f"CASE WHEN {waiting} THEN %s ELSE %s END", [waitlisted_state, seat_state]),
            "sequence": ("taken.last_sequence", []),
            "registered_at": (at, []),
            **({"confirmed_at": (confirmed, [])} if confirmed else {}),
        },
    )
    parts = [f"taken AS ({TAKE.format(event=_table(Event))})"]
    params: list[Any] = _take_params(registration.event_id, now)
    parts.append(f"registration AS ({registration_sql})")
    params += registration_params
    for n, (state, entry) in enumerate(audits.items()):
        entry_sql, entry_params = _insert(entry, {})
        condition = waiting if state == waitlisted_state else f"NOT ({waiting})"
        parts.append(f"audit{n} AS ({entry_sql} WHERE {condition})")
        params += entry_params
    sql = (
        f"WITH {', '.join(parts)}"  # noqa: S608 - names from the models, values as parameters
        " SELECT last_sequence, waitlist_length, last_registered_at FROM taken"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    sequence, length, registered_at = row
    return Place(int(sequence), length > 0, int(length), registered_at)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert(
    instance: Model, expressions: dict[str, tuple[str, list[Any]]]
) -> tuple[str, list[Any]]:
    """``INSERT INTO <table> (<every column>) SELECT <values> FROM taken``: the instance's own
    values as parameters, prepared as ``save`` would, except the columns given as SQL."""
    columns, values, params = [], [], []
    for field in instance._meta.concrete_fields:
        value = field.pre_save(instance, add=True)
        if field.primary_key and value is None:
            continue  # the database numbers it
        assert field.column is not None  # noqa: S101 - a concrete field has its column
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in expressions:
            sql, extra = expressions[field.attname]
            values.append(sql)
            params += extra
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    return (
        f"INSERT INTO {_table(type(instance))} ({', '.join(columns)})"  # noqa: S608
        f" SELECT {', '.join(values)} FROM taken",
        params,
    )


def next_registration_id() -> str:
    """SQL for a new registration's primary key, taken before the lock (PostgreSQL)."""
    return f"nextval(pg_get_serial_sequence('{Registration._meta.db_table}', 'id'))"
