"""Demo patrols: a daily plan for every grid (its quarters' gates, a few residential and
office buildings, its middle), and for each grid with a grid worker a month of patrols with
their check-ins; a few of the grid's patrol reports of that month (the case demo's) are the
patrols' findings."""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db.models import QuerySet
from shapely.geometry import shape

from linli.cases.forms import leaf_categories
from linli.cases.models import Case, Category, CategoryField, Channel
from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep, present
from linli.core.models import Membership, User
from linli.core.roles import Role
from linli.governance.patrols import services
from linli.governance.patrols.models import CheckIn, Finding, Patrol, PatrolPlan, PatrolPoint
from linli.people.models import ResidentialBuilding
from linli.registry.demo.context import DemoContext
from linli.registry.models import Building, Grid, Quarter

DAYS = 30
PATROL_SHARE = 0.85  # days of the month a grid is patrolled
CHECK_IN_SHARE = 0.92  # points checked in on a patrol
AWAY_SHARE = 0.07
NO_LOCATION_SHARE = 0.04
GATES_PER_QUARTER = 1
BUILDINGS_PER_GRID = 4
OFFICES_PER_GRID = 2
FINDINGS_PER_GRID = 6
# What today's patrol found, with the category it is filed under when the sub-district has it.
TODAY_FINDINGS = (
    ("INC-SANI", "门口堆放装修垃圾，占用消防通道。"),
    ("INC-REPAIR", "附近路面井盖松动，行人经过有响声。"),
)
METRES_PER_DEGREE = 111_320.0


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("patrols")
    today = clock.today()
    first_day = today - dt.timedelta(days=DAYS)
    zone = clock.local_zone()
    made = dt.datetime.combine(first_day - dt.timedelta(days=30), dt.time(9), zone)
    plans: list[PatrolPlan] = []
    points: dict[int, list[PatrolPoint]] = {}
    for grid in Grid.objects.filter(subdistrict=ctx.subdistrict).order_by("code"):
        spots = _points(ctx, grid, rng)
        if not spots:
            continue
        plan = PatrolPlan(
            subdistrict=ctx.subdistrict,
            grid=grid,
            name=f"{grid.name}日常巡查",
            per_week=7,
            created_at=made,
        )
        plans.append(plan)
        points[len(plans) - 1] = spots
    PatrolPlan.objects.bulk_create(plans)
    all_points = []
    for index, spots in points.items():
        for position, point in enumerate(spots):
            point.plan = plans[index]
            point.position = position
            all_points.append(point)
    PatrolPoint.objects.bulk_create(all_points)
    workers = dict(
        Membership.objects.filter(
            subdistrict=ctx.subdistrict, role=Role.GRID_WORKER, grid__isnull=False
        )
        .order_by("pk")
        .values_list("grid_id", "user_id")
    )
    # The days a grid's patrol reports came in (the case demo's): patrolled, whatever else.
    reported = {
        (grid, clock.local_day(at))
        for grid, at in _patrol_reports(ctx, first_day).values_list("grid_id", "received_at")
    }
    patrols: list[Patrol] = []
    for plan in plans:
        worker = workers.get(plan.grid_id)
        if worker is None:
            continue
        for offset in range(DAYS):
            day = first_day + dt.timedelta(days=offset)
            if rng.random() > PATROL_SHARE and (plan.grid_id, day) not in reported:
                continue
            start = dt.datetime.combine(day, dt.time(8, 30), zone) + dt.timedelta(
                minutes=rng.randrange(0, 180)
            )
            patrols.append(
                Patrol(
                    subdistrict=ctx.subdistrict,
                    plan=plan,
                    grid_id=plan.grid_id,
                    worker_id=worker,
                    status=Patrol.Status.DONE,
                    started_at=start,
                    ended_at=start + dt.timedelta(minutes=rng.randrange(50, 130)),
                    away_m=100,
                )
            )
    Patrol.objects.bulk_create(patrols, batch_size=500)
    check_ins = _check_ins(ctx, rng, patrols, points, plans)
    CheckIn.objects.bulk_create(check_ins, batch_size=2000)
    findings = _findings(ctx, patrols)
    Finding.objects.bulk_create(findings)
    today_rows = sum(
        _today(ctx, rng, plan, workers[plan.grid_id]) for plan in plans if plan.grid_id in workers
    )
    return len(plans) + len(all_points) + len(patrols) + len(check_ins) + len(findings) + today_rows


def _today(ctx: DemoContext, rng: random.Random, plan: PatrolPlan, worker_id: int) -> int:
    """Today's patrol, under way: two points checked in and two findings reported through the
    patrol verbs, so the worker's workbench and the case map show them as a live patrol does."""
    worker = Access.for_user(User.objects.get(pk=worker_id), ctx.subdistrict)
    patrol = services.start_patrol(actor=worker, plan=plan)
    spots = list(plan.points.all())
    for point in spots[:2]:
        services.check_in(actor=worker, patrol=patrol, point=point, lon=point.lon, lat=point.lat)
    # Incidents whose required questions are choices (answered with the first) or none.
    simple = [
        c
        for c in leaf_categories()
        if c.kind == Category.Kind.INCIDENT
        and not c.fields.filter(required=True).exclude(type=CategoryField.Type.CHOICE).exists()
    ]
    by_code = {c.code: c for c in simple}
    for point, (code, text) in zip(spots, TODAY_FINDINGS, strict=False):
        if not simple:
            break
        category = by_code.get(code) or rng.choice(simple)
        answers = {f.key: _first_choice(f.choices) for f in category.fields.filter(required=True)}
        services.report_finding(
            actor=worker,
            patrol=patrol,
            category=category,
            extra=answers,
            description=f"{point.name}{text}",
            point=point,
        )
    return 1 + min(2, len(spots)) + min(len(spots), len(TODAY_FINDINGS)) * bool(simple)


def _points(ctx: DemoContext, grid: Grid, rng: random.Random) -> list[PatrolPoint]:
    spots = []
    for quarter in Quarter.objects.filter(grid=grid).order_by("code"):
        for number, (lon, lat) in enumerate(quarter.entrances[:GATES_PER_QUARTER], start=1):
            spots.append(
                PatrolPoint(
                    subdistrict=ctx.subdistrict,
                    name=f"{quarter.name}{number}号门",
                    kind=PatrolPoint.Kind.GATE,
                    lon=lon,
                    lat=lat,
                )
            )
    buildings = list(
        ResidentialBuilding.objects.filter(grid=grid, lon__isnull=False)
        .select_related("quarter")
        .order_by("code")
    )
    for building in rng.sample(buildings, min(BUILDINGS_PER_GRID, len(buildings))):
        if building.lon is None or building.lat is None:
            continue
        spots.append(
            PatrolPoint(
                subdistrict=ctx.subdistrict,
                name=str(building),
                kind=PatrolPoint.Kind.BUILDING,
                lon=building.lon,
                lat=building.lat,
            )
        )
    for place in Building.objects.filter(grid=grid, lon__isnull=False).order_by("code")[
        :OFFICES_PER_GRID
    ]:
        spots.append(
            PatrolPoint(
                subdistrict=ctx.subdistrict,
                name=place.name,
                kind=PatrolPoint.Kind.BUILDING,
                lon=place.lon,
                lat=place.lat,
            )
        )
    if grid.polygon:
        # The middle of the grid: the crossroads a patrol passes through.
        middle = shape(grid.polygon).representative_point()
        spots.append(
            PatrolPoint(
                subdistrict=ctx.subdistrict,
                name=f"{grid.name}中心路口",
                kind=PatrolPoint.Kind.STREET,
                lon=round(middle.x, 6),
                lat=round(middle.y, 6),
            )
        )
    return spots


def _first_choice(choices: object) -> str:
    if isinstance(choices, dict):
        return str(next(iter(choices)))
    if isinstance(choices, list) and choices:
        first = choices[0]
        if isinstance(first, dict):
            return str(first.get("key", ""))
        return str(first[0] if isinstance(first, list | tuple) else first)
    return ""


def _check_ins(
    ctx: DemoContext,
    rng: random.Random,
    patrols: list[Patrol],
    points: dict[int, list[PatrolPoint]],
    plans: list[PatrolPlan],
) -> list[CheckIn]:
    index_of = {plan.pk: index for index, plan in enumerate(plans)}
    rows = []
    for patrol in patrols:
        at = patrol.started_at
        for point in points[index_of[patrol.plan_id]]:
            if rng.random() > CHECK_IN_SHARE:
                continue
            at += dt.timedelta(minutes=rng.randrange(4, 15))
            roll = rng.random()
            if roll < NO_LOCATION_SHARE:
                rows.append(_check_in(ctx, patrol, point, at, None, CheckIn.Result.NO_LOCATION))
                continue
            away = roll < NO_LOCATION_SHARE + AWAY_SHARE
            metres = rng.uniform(130, 400) if away else rng.uniform(3, 60)
            result = CheckIn.Result.AWAY if away else CheckIn.Result.AT_POINT
            rows.append(_check_in(ctx, patrol, point, at, (metres, rng.uniform(0, 6.28)), result))
    return rows


def _check_in(
    ctx: DemoContext,
    patrol: Patrol,
    point: PatrolPoint,
    at: dt.datetime,
    offset: tuple[float, float] | None,
    result: str,
) -> CheckIn:
    lon = lat = distance = None
    if offset is not None:
        metres, bearing = offset
        lat = point.lat + metres * math.cos(bearing) / METRES_PER_DEGREE
        lon = point.lon + metres * math.sin(bearing) / (
            METRES_PER_DEGREE * math.cos(math.radians(point.lat))
        )
        distance = round(metres, 1)
    return CheckIn(
        subdistrict=ctx.subdistrict,
        patrol=patrol,
        point=point,
        at=at,
        lon=lon,
        lat=lat,
        accuracy_m=15.0 if offset is not None else None,
        distance_m=distance,
        result=result,
    )


def _patrol_reports(ctx: DemoContext, since: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(
        subdistrict=ctx.subdistrict,
        channel=Channel.GRID_PATROL,
        grid__isnull=False,
        received_at__gte=dt.datetime.combine(since, dt.time.min, clock.local_zone()),
    ).order_by("received_at", "pk")


def _findings(ctx: DemoContext, patrols: list[Patrol]) -> list[Finding]:
    """The grid's patrol reports of the month (the case demo's), each on that day's patrol,
    a few a grid."""
    if not patrols:
        return []
    by_day = {(p.grid_id, clock.local_day(p.started_at)): p for p in patrols}
    first = clock.local_day(min(p.started_at for p in patrols))
    findings: list[Finding] = []
    per_grid: dict[int, int] = {}
    for case in _patrol_reports(ctx, first):
        patrol = by_day.get((case.grid_id or 0, clock.local_day(case.received_at)))
        if patrol is None or per_grid.get(patrol.grid_id, 0) >= FINDINGS_PER_GRID:
            continue
        per_grid[patrol.grid_id] = per_grid.get(patrol.grid_id, 0) + 1
        findings.append(Finding(subdistrict=ctx.subdistrict, patrol=patrol, case=case))
    return findings


STEPS = (
    DemoStep(
        "patrols",
        load,
        present(PatrolPlan),
        after=("registry.staff accounts", "people.homes and residents", "cases.cases"),
    ),
)
