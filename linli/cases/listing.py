"""One page of a case list, read in two round trips whatever the page size.

The staff list is the API's busiest read. The ORM decides *which* cases (who may see what, the
queue, the filters, the order: all compiled from the queryset as usual); the page's rows are
then read with one plain SQL statement that names the related rows with scalar subqueries. A
seven-table join costs PostgreSQL more to plan than to run, and building one ORM query per
related table costs Python more than the database; this costs neither.

Each row holds what ``schemas.CaseOut`` reads from a case: its own columns, the related rows'
names under the keys the schema reads from a row (``category_code``, ``grid_code``, …), and the
derived ``state_label``, ``overdue`` (``sla.is_overdue``) and ``routing`` (the row itself, as
``Case.routing`` is the case itself).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from linli.cases import sla
from linli.cases.models import Case, Category, State
from linli.core import clock
from linli.core.models import Organisation, User
from linli.registry.models import Grid

COLUMNS = (
    "id",
    "number",
    "title",
    "description",
    "channel",
    "state",
    "stage",
    "stage_deadline",
    "resolve_deadline",
    "paused_since",
    "received_at",
    "closed_at",
    "lon",
    "lat",
    "address",
    "routing_rule_id",
    "routing_reason",
    "satisfaction",
    "extra",
)
MOMENTS = {"stage_deadline", "resolve_deadline", "paused_since", "received_at", "closed_at"}


@dataclass
class Page:
    count: int
    count_exact: bool
    rows: list[dict[str, Any]]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _related_names() -> list[tuple[str, str]]:
    """(alias, scalar subquery) naming each related row of case ``c``."""
    case, category = _q(Case._meta.db_table), _q(Category._meta.db_table)
    organisation, grid = _q(Organisation._meta.db_table), _q(Grid._meta.db_table)
    user = _q(User._meta.db_table)

    def one(table: str, column: str, key: str) -> str:
        return f"(SELECT r.{_q(column)} FROM {table} r WHERE r.{_q('id')} = c.{_q(key)})"  # noqa: S608

    name = f"COALESCE(NULLIF(r.{_q('display_name')}, ''), r.{_q('username')})"
    display = f"(SELECT {name} FROM {user} r WHERE r.{_q('id')} = c.{_q('assignee_id')})"  # noqa: S608
    return [
        ("category_code", one(category, "code", "category_id")),
        ("category_name", one(category, "name", "category_id")),
        ("grid_code", one(grid, "code", "grid_id")),
        ("lead_organisation_name", one(organisation, "name", "lead_organisation_id")),
        ("routed_organisation_name", one(organisation, "name", "routed_organisation_id")),
        ("assignee_name", display),
        ("merged_into_number", one(case, "number", "merged_into_id")),
    ]


def _moment(value: Any) -> dt.datetime | None:
    # PostgreSQL hands raw SQL aware datetimes; SQLite naive ones (or text), stored in UTC.
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


def read_page(queryset: QuerySet[Case], page: int, size: int, cap: int) -> Page:
    """Page ``page`` (from 1) of ``size`` cases of the ordered ``queryset``, and how many match
    (counted up to ``cap``)."""
    # The first ids up to the cap, in order, from the index: their number is the count, and
    # a page within them is a slice. Only pages beyond the cap need a query of their own.
    head = list(queryset.values_list("pk", flat=True)[: cap + 1])
    start, end = (page - 1) * size, page * size
    if end <= cap or len(head) <= cap:
        ids = head[start:end]
    else:
        ids = list(queryset.values_list("pk", flat=True)[start:end])
    count, exact = min(len(head), cap), len(head) <= cap
    if not ids:
        return Page(count, exact, [])
    related = _related_names()
    select = ", ".join(
        [f"c.{_q(column)}" for column in COLUMNS]
        + [f"{subquery} AS {_q(alias)}" for alias, subquery in related]
    )
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT {select} FROM {_q(Case._meta.db_table)} c WHERE c.{_q('id')} IN ({marks})"  # noqa: S608 - names from the models, values bound
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        names = [column[0] for column in cursor.description]
        found = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    rows = []
    now = clock.now()
    labels = {value: str(label) for value, label in State.choices}
    for pk in ids:
        row = found.get(pk)
        if row is None:
            continue
        for column in MOMENTS:
            row[column] = _moment(row[column])
        if isinstance(row["extra"], str | bytes):
            row["extra"] = json.loads(row["extra"])
        row["state_label"] = labels.get(row["state"], row["state"])
        row["overdue"] = sla.is_overdue(row, now)
        row["routing"] = row
        rows.append(row)
    return Page(count, exact, rows)
