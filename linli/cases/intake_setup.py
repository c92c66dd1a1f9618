"""What every intake reads, kept per process: the categories with their fields and time limits,
the routing rules, the dispatch centre and the people who triage, the grids' boundaries and the
work calendar.

These change when an administrator edits them, rarely; cases come in all day. A trigger on each
of these tables (migrations ``0003_setup_stamp`` and ``0004_setup_stamp_people``) gives the stamp
row a new number whenever anything writes to them: the admin, an import, a bulk load, plain SQL.
An intake reads that one number and rebuilds its copy when the number moved. The number is
written in the writer's transaction, so nobody sees it before the change itself, and it is never
handed out twice (PostgreSQL takes it from a sequence, SQLite draws a random 64-bit one), so a
rolled-back change cannot bring back a number that other content was kept under. A database
without the stamp row reads everything afresh.

The objects kept here are shared by the threads of a process: read them, never change them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from linli.cases.models import Category, CategoryField, RoutingRule, TimeLimit
from linli.cases.routing import active_rules, dispatch_centre, dispatchers
from linli.core.calendar import WorkCalendar
from linli.core.models import Membership, Organisation, Subdistrict, User, WorkDay
from linli.registry.models import Grid

STAMP_TABLE = "cases_setup_stamp"
# The tables a Setup is built from: each has the trigger. People's accounts count only for
# whether they are active and where their e-mail goes (the trigger on users watches those
# columns, so a sign-in writing ``last_login`` leaves the kept copy alone).
KEPT = (Category, CategoryField, TimeLimit, RoutingRule, Organisation, WorkDay, Grid, Membership)
KEPT_USER_COLUMNS = ("is_active", "email")


@dataclass
class Setup:
    categories: dict[str, Category]
    fields: list[CategoryField]
    limits: list[TimeLimit]
    rules: list[RoutingRule]
    centre: Organisation | None
    dispatchers: list[User]
    grids: list[tuple[Grid, Any]]
    # Work-calendar years, filled as deadlines reach them.
    years: dict[int, dict[dt.date, bool]] = field(default_factory=dict)

    def category(self, code: str) -> Category | None:
        return self.categories.get(code)

    def calendar(self, subdistrict: Subdistrict) -> WorkCalendar:
        return WorkCalendar(subdistrict.business_hours, years=self.years)

    def grid_at(self, lon: float, lat: float) -> Grid | None:
        from shapely.geometry import Point

        point = Point(lon, lat)
        for grid, shape in self.grids:
            if shape.covers(point):
                return grid
        return None


def _shapes(grids: list[Grid]) -> list[tuple[Grid, Any]]:
    from shapely.geometry import shape

    shaped = []
    for grid in grids:
        geometry = grid.polygon
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        try:
            if geometry:
                shaped.append((grid, shape(geometry)))
        except (ValueError, TypeError, AttributeError, KeyError):
            continue  # a malformed boundary must not block intake
    return shaped


def _tree(categories: list[Category]) -> dict[str, Category]:
    """The categories by code, each linked to its parent object, so that walking a lineage
    (fields and limits are inherited down the tree) reads nothing more."""
    by_id = {c.pk: c for c in categories}
    for category in categories:
        parent = by_id.get(category.parent_id) if category.parent_id is not None else None
        if parent is not None:
            category.parent = parent
    return {c.code: c for c in categories}


def load() -> Setup:
    """Everything afresh from the database (the current sub-district's scope)."""
    return Setup(
        categories=_tree(list(Category.objects.all())),
        fields=list(CategoryField.objects.all()),
        limits=list(TimeLimit.objects.all()),
        rules=active_rules(),
        centre=dispatch_centre(),
        dispatchers=dispatchers(),
        grids=_shapes(list(Grid.objects.filter(polygon__isnull=False))),
    )


# Sub-district id -> (stamp, setup). Replacing an entry is atomic: threads need no lock.
_kept: dict[int, tuple[int, Setup]] = {}


def _stamp() -> int | None:
    if connection.vendor not in ("postgresql", "sqlite"):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {STAMP_TABLE} WHERE id = 1")  # noqa: S608 - a constant
        row = cursor.fetchone()
    return int(row[0]) if row is not None else None


def current(subdistrict: Subdistrict) -> Setup:
    """The sub-district's setup as the database has it now: one small query when kept."""
    stamp = _stamp()
    if stamp is None:
        return load()
    kept = _kept.get(subdistrict.pk)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    setup = load()
    _kept[subdistrict.pk] = (stamp, setup)
    return setup
