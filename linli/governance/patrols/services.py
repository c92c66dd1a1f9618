"""Patrol verbs: plan a grid's patrols, start a patrol, check in at a point, report a finding
as a case, end the patrol. Each checks permission, writes in one transaction and leaves an
audit row; a finding becomes a case through the case engine's own intake (``cases.intake``),
the same verb as the grid worker's patrol report."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import intake
from linli.cases.attachments import Photo
from linli.cases.duplicates import haversine_m
from linli.cases.models import Case, CaseAttachment, Category, Channel
from linli.core import audit, clock, limits, parameters
from linli.core.access import Access
from linli.governance.patrols import rules
from linli.governance.patrols.models import CheckIn, Finding, Patrol, PatrolPlan, PatrolPoint
from linli.registry.models import Grid


@dataclass(frozen=True)
class PointSpec:
    """A patrol point as a planner gives it."""

    name: str
    lon: float
    lat: float
    kind: str = PatrolPoint.Kind.OTHER


def create_plan(
    *,
    actor: Access,
    grid: Grid | None,
    name: str,
    points: Sequence[PointSpec],
    per_week: int | None = None,
) -> PatrolPlan:
    """A grid's patrol plan with its points. Without a frequency the plan takes the rule
    parameter in force today, and keeps its version."""
    actor.require(rules.may_plan(actor))
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if grid is None:
        errors["grid"] = [_("Choose the grid this plan patrols.")]
    if not name:
        errors["name"] = [_("Give the plan a name.")]
    if not points:
        errors["points"] = [_("List at least one patrol point.")]
    for spec in points:
        if not spec.name.strip() or not _on_earth(spec.lon, spec.lat):
            errors["points"] = [_("Each point needs a name, a longitude and a latitude.")]
            break
        try:
            limits.refuse_overlong(PatrolPoint, name=spec.name)
        except ValidationError:
            errors["points"] = [_("A point's name is too long.")]
            break
    if per_week is not None and not 1 <= per_week <= 21:
        errors["per_week"] = [_("Between 1 and 21 patrols a week.")]
    try:
        limits.refuse_overlong(PatrolPlan, name=name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert grid is not None  # noqa: S101 - checked above
    version = parameters.value("patrols.per_week")
    with transaction.atomic():
        plan = PatrolPlan.objects.create(
            subdistrict=grid.subdistrict,
            grid=grid,
            name=name,
            per_week=per_week if per_week is not None else int(version.value),
            per_week_version=None if per_week is not None else version.pk,
            per_week_set=per_week is not None,
        )
        PatrolPoint.objects.bulk_create(
            PatrolPoint(
                subdistrict=grid.subdistrict,
                plan=plan,
                name=spec.name.strip(),
                kind=spec.kind,
                lon=spec.lon,
                lat=spec.lat,
                position=index,
            )
            for index, spec in enumerate(points)
        )
        audit.record(actor, "patrols.plan.create", plan, after={"points": len(points)})
    return plan


def _on_earth(lon: float | None, lat: float | None) -> bool:
    return (
        lon is not None
        and lat is not None
        and math.isfinite(lon)
        and math.isfinite(lat)
        and -180 <= lon <= 180
        and -90 <= lat <= 90
    )


def start_patrol(*, actor: Access, plan: PatrolPlan) -> Patrol:
    """Start a patrol on a plan of the worker's grid. A worker who has one running on this plan
    gets it back: a second tap on "Start" does not open a second patrol."""
    actor.require(rules.may_run(actor, plan))
    assert actor.user is not None  # noqa: S101 - a grid worker is a person
    with transaction.atomic():
        running = Patrol.objects.filter(
            plan=plan, worker=actor.user, status=Patrol.Status.IN_PROGRESS
        ).first()
        if running is not None:
            return running
        now = clock.now()
        version = parameters.value("patrols.away_m", on=clock.local_day(now))
        patrol = Patrol.objects.create(
            subdistrict=plan.subdistrict,
            plan=plan,
            grid_id=plan.grid_id,
            worker=actor.user,
            started_at=now,
            away_m=int(version.value),
            away_version=version.pk,
        )
        audit.record(actor, "patrols.patrol.start", patrol)
    return patrol


def check_in(
    *,
    actor: Access,
    patrol: Patrol,
    point: PatrolPoint | None,
    lon: float | None = None,
    lat: float | None = None,
    accuracy_m: float | None = None,
) -> CheckIn:
    """Check in at a point of the patrol's plan, now. Far from the point (beyond the patrol's
    distance) the check-in is kept but marked away; with no location, marked so."""
    actor.require(rules.may_work_on(actor, patrol))
    if point is None or point.plan_id != patrol.plan_id:
        raise ValidationError({"point": [_("Choose a point of this patrol's plan.")]})
    located = _on_earth(lon, lat)
    distance = haversine_m(lon, lat, point.lon, point.lat) if located else None  # type: ignore[arg-type]
    if distance is None:
        result = CheckIn.Result.NO_LOCATION
    elif distance > patrol.away_m:
        result = CheckIn.Result.AWAY
    else:
        result = CheckIn.Result.AT_POINT
    accuracy = accuracy_m if accuracy_m is not None and math.isfinite(accuracy_m) else None
    with transaction.atomic():
        if CheckIn.objects.filter(patrol=patrol, point=point).exists():
            raise ValidationError({"point": [_("You have checked in at this point already.")]})
        done = CheckIn.objects.create(
            subdistrict=patrol.subdistrict,
            patrol=patrol,
            point=point,
            at=clock.now(),
            lon=lon if located else None,
            lat=lat if located else None,
            accuracy_m=accuracy if located else None,
            distance_m=round(distance, 1) if distance is not None else None,
            result=result,
        )
        audit.record(
            actor, "patrols.patrol.check_in", patrol, after={"point": point.pk, "result": result}
        )
    return done


def report_finding(
    *,
    actor: Access,
    patrol: Patrol,
    category: Category | None,
    description: str,
    photos: Sequence[object] = (),
    photo_key: str = "",
    extra: Mapping[str, Any] | None = None,
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    point: PatrolPoint | None = None,
) -> Finding:
    """Something found on the patrol becomes a case in one step, taken in by the case engine as
    a patrol report (routed, numbered, on the clock) and linked to the patrol. Without a
    position of its own, the finding is placed at the point it was found at."""
    actor.require(rules.may_work_on(actor, patrol))
    if category is None:
        raise ValidationError({"category": [_("Choose what the problem is about.")]})
    if point is not None and point.plan_id != patrol.plan_id:
        raise ValidationError({"point": [_("Choose a point of this patrol's plan.")]})
    if not _on_earth(lon, lat) and point is not None:
        lon, lat = point.lon, point.lat
        address = address or point.name
    report = intake.Report(
        category=category,
        channel=Channel.GRID_PATROL,
        description=description,
        lon=lon,
        lat=lat,
        address=address,
        extra=extra,
        photos=[Photo(f, CaseAttachment.Kind.PHOTO, photo_key) for f in photos],
    )
    with transaction.atomic():
        case: Case = intake.submit(report, actor=actor)
        finding = Finding.objects.create(
            subdistrict=patrol.subdistrict, patrol=patrol, case=case, point=point
        )
        audit.record(actor, "patrols.finding.report", patrol, after={"case": case.number})
    return finding


def end_patrol(*, actor: Access, patrol: Patrol) -> Patrol:
    actor.require(rules.may_work_on(actor, patrol))
    with transaction.atomic():
        patrol.status = Patrol.Status.DONE
        patrol.ended_at = clock.now()
        patrol.save(update_fields=["status", "ended_at"])
        audit.record(actor, "patrols.patrol.end", patrol)
    return patrol
