"""Patrol coverage of a month, per grid and per grid worker: patrols done against patrols
planned, and the points checked in. Plain functions over database aggregates, read through
the patrol visibility policies; the coverage page, its Excel export and the cockpit read them.

Planned patrols are the plans' frequency over the days of the month gone so far (the whole
month once it is over), counted from the day a plan was made if it was made during the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from linli.core import clock
from linli.core.access import Access
from linli.governance.patrols.models import CheckIn, Finding, Patrol, PatrolPlan, PatrolPoint


@dataclass(frozen=True)
class Month:
    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, day: dt.date) -> Month:
        days = calendar.monthrange(day.year, day.month)[1]
        return cls(day.replace(day=1), day.replace(day=days))

    def counted_until(self, today: dt.date) -> dt.date:
        """The last day of the month that counts for "planned" (today, in the current month)."""
        return min(self.last, today)

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        zone = clock.local_zone()
        start = dt.datetime.combine(self.first, dt.time.min, zone)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min, zone)
        return start, end


@dataclass(frozen=True)
class GridCoverage:
    grid_id: int
    grid: str
    planned: int
    done: int
    points: int
    points_checked: int
    check_ins: int
    away: int
    no_location: int
    findings: int

    @property
    def done_share(self) -> float | None:
        return self.done / self.planned if self.planned else None

    @property
    def points_share(self) -> float | None:
        return self.points_checked / self.points if self.points else None


@dataclass(frozen=True)
class WorkerCoverage:
    worker_id: int
    worker: str
    grid: str
    done: int
    check_ins: int
    at_point: int
    away: int
    no_location: int
    points_checked: int
    findings: int


def planned(per_week: int, created: dt.date, month: Month, today: dt.date) -> int:
    """Patrols a plan asks for in the month, up to today."""
    start = max(month.first, created)
    end = month.counted_until(today)
    days = (end - start).days + 1
    return round(per_week * days / 7) if days > 0 else 0


def by_grid(access: Access, day: dt.date | None = None) -> list[GridCoverage]:
    """Each grid with an active plan the person sees, for the month of ``day`` (this month)."""
    today = clock.today()
    month = Month.of(day or today)
    start, end = month.window()
    plans = PatrolPlan.objects.visible_to(access).filter(active=True).select_related("grid")
    grids: dict[int, str] = {}
    planned_by: dict[int, int] = {}
    for plan in plans:
        grids[plan.grid_id] = str(plan.grid)
        created = clock.local_day(plan.created_at)
        planned_by[plan.grid_id] = planned_by.get(plan.grid_id, 0) + planned(
            plan.per_week, created, month, today
        )
    points = dict(
        PatrolPoint.objects.visible_to(access)
        .filter(plan__active=True)
        .values_list("plan__grid_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    in_month = Q(started_at__gte=start, started_at__lt=end)
    done = dict(
        Patrol.objects.visible_to(access)
        .filter(in_month, status=Patrol.Status.DONE)
        .values_list("grid_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    checks = {
        row["patrol__grid_id"]: row
        for row in CheckIn.objects.visible_to(access)
        .filter(at__gte=start, at__lt=end)
        .values("patrol__grid_id")
        .annotate(
            n=Count("pk"),
            points=Count("point", distinct=True),
            away=Count("pk", filter=Q(result=CheckIn.Result.AWAY)),
            blind=Count("pk", filter=Q(result=CheckIn.Result.NO_LOCATION)),
        )
        .order_by()
    }
    findings = dict(
        Finding.objects.visible_to(access)
        .filter(created_at__gte=start, created_at__lt=end)
        .values_list("patrol__grid_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for grid_id, name in sorted(grids.items(), key=lambda item: item[1]):
        check = checks.get(grid_id, {})
        rows.append(
            GridCoverage(
                grid_id=grid_id,
                grid=name,
                planned=planned_by.get(grid_id, 0),
                done=done.get(grid_id, 0),
                points=points.get(grid_id, 0),
                points_checked=check.get("points", 0),
                check_ins=check.get("n", 0),
                away=check.get("away", 0),
                no_location=check.get("blind", 0),
                findings=findings.get(grid_id, 0),
            )
        )
    return rows


def by_worker(access: Access, day: dt.date | None = None) -> list[WorkerCoverage]:
    """Each grid worker who patrolled in the month of ``day``, in the grids the person sees."""
    month = Month.of(day or clock.today())
    start, end = month.window()
    patrols = Patrol.objects.visible_to(access).filter(started_at__gte=start, started_at__lt=end)
    done = {
        (row["worker_id"], row["grid_id"]): row
        for row in patrols.values(
            "worker_id", "worker__username", "worker__display_name", "grid_id", "grid__name"
        )
        .annotate(n=Count("pk", filter=Q(status=Patrol.Status.DONE)))
        .order_by()
    }
    checks = {
        (row["patrol__worker_id"], row["patrol__grid_id"]): row
        for row in CheckIn.objects.visible_to(access)
        .filter(patrol__in=patrols)
        .values("patrol__worker_id", "patrol__grid_id")
        .annotate(
            n=Count("pk"),
            points=Count("point", distinct=True),
            ok=Count("pk", filter=Q(result=CheckIn.Result.AT_POINT)),
            away=Count("pk", filter=Q(result=CheckIn.Result.AWAY)),
            blind=Count("pk", filter=Q(result=CheckIn.Result.NO_LOCATION)),
        )
        .order_by()
    }
    found: dict[tuple[int, int], int] = {}
    for worker_id, grid_id, n in (
        Finding.objects.visible_to(access)
        .filter(patrol__in=patrols)
        .values("patrol__worker_id", "patrol__grid_id")
        .annotate(n=Count("pk"))
        .values_list("patrol__worker_id", "patrol__grid_id", "n")
        .order_by()
    ):
        found[(worker_id, grid_id)] = n
    rows = []
    for key, row in done.items():
        check = checks.get(key, {})
        rows.append(
            WorkerCoverage(
                worker_id=key[0],
                worker=row["worker__display_name"] or row["worker__username"],
                grid=row["grid__name"],
                done=row["n"],
                check_ins=check.get("n", 0),
                at_point=check.get("ok", 0),
                away=check.get("away", 0),
                no_location=check.get("blind", 0),
                points_checked=check.get("points", 0),
                findings=found.get(key, 0),
            )
        )
    return sorted(rows, key=lambda r: (r.grid, r.worker))
