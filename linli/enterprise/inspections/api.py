"""Joint inspections (综合查一次): planned inspections merged into one visit per enterprise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.http import access_of
from linli.core.models import Organisation
from linli.enterprise.inspections import queries, rules, services
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult, JointVisit
from linli.registry.models import Enterprise

router = Router(tags=["inspections"])


class PlanOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    department_id: int
    department: str
    subject: str
    matters: str
    window_start: dt.date
    window_end: dt.date
    inspectors: str
    status: str
    joint_visit_id: int | None


class PlanIn(Schema):
    enterprise_id: int
    department_id: int
    subject: str
    window_start: dt.date
    window_end: dt.date
    matters: str = ""
    inspectors: str = ""


class JointVisitOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    scheduled_on: dt.date
    window_start: dt.date
    window_end: dt.date
    status: str
    visited_on: dt.date | None
    departments: list[str]
    plan_ids: list[int]


class MergeOut(Schema):
    plans_merged: int
    visits_created: int


class ScheduleIn(Schema):
    scheduled_on: dt.date


class ResultIn(Schema):
    outcome: str
    notes: str = ""
    case_category: str = ""  # a case category's code: opens a case for a follow-up


class ResultOut(Schema):
    plan_id: int
    outcome: str
    notes: str
    case_number: str | None
    visit_status: str


class PeriodQuery(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class SparedRow(Schema):
    enterprise_id: int
    enterprise: str
    plans: int
    visits_made: int
    spared: int
    visits_scheduled: int
    to_be_spared: int


class DepartmentRow(Schema):
    department: str
    plans: int
    cancelled: int
    visited: int
    joint: int
    passed: int
    issues: int
    follow_up: int


class SparedOut(Schema):
    start: dt.date
    end: dt.date
    spared: int
    enterprises: list[SparedRow]
    departments: list[DepartmentRow]


def _user(request: HttpRequest) -> Access:
    access = access_of(request)
    access.require(access.subdistrict is not None and rules.may_use(access))
    return access


def _period(query: PeriodQuery) -> queries.Period:
    default = queries.Period.quarter_of(services.today())
    period = queries.Period(query.start or default.start, query.end or default.end)
    if period.end < period.start:
        raise ValidationError({"end": [_("The period cannot end before it starts.")]})
    return period


def _plan(plan: InspectionPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "enterprise_id": plan.enterprise_id,
        "enterprise": plan.enterprise.name,
        "department_id": plan.department_id,
        "department": str(plan.department),
        "subject": plan.subject,
        "matters": plan.matters,
        "window_start": plan.window_start,
        "window_end": plan.window_end,
        "inspectors": plan.inspectors,
        "status": plan.status,
        "joint_visit_id": plan.joint_visit_id,
    }


def _visit(visit: JointVisit) -> dict[str, Any]:
    plans = queries.active_plans(visit)
    return {
        "id": visit.pk,
        "enterprise_id": visit.enterprise_id,
        "enterprise": visit.enterprise.name,
        "scheduled_on": visit.scheduled_on,
        "window_start": visit.window_start,
        "window_end": visit.window_end,
        "status": visit.status,
        "visited_on": visit.visited_on,
        "departments": [str(p.department) for p in plans],
        "plan_ids": [p.pk for p in plans],
    }


@router.get(
    "/plans", response=list[PlanOut], operation_id="inspections_list_plans", url_name="insp_plans"
)
def list_plans(request: HttpRequest) -> Any:
    """Planned inspections: a handler's department's, or all for the coordinators."""
    access = _user(request)
    plans = rules.visible_plans(access).select_related("enterprise", "department")
    return [_plan(p) for p in plans.order_by("-window_start", "-id")[:500]]


@router.post(
    "/plans",
    response={201: PlanOut},
    operation_id="inspections_plan",
    url_name="insp_plan",
)
def plan(request: HttpRequest, payload: PlanIn) -> Any:
    """Plan an inspection; it is merged into a joint visit right away when it can be."""
    access = _user(request)
    plan = services.plan_inspection(
        actor=access,
        enterprise=Enterprise.objects.filter(pk=payload.enterprise_id).first(),
        department=Organisation.objects.filter(pk=payload.department_id).first(),
        subject=payload.subject,
        matters=payload.matters,
        window_start=payload.window_start,
        window_end=payload.window_end,
        inspectors=payload.inspectors,
    )
    return Status(201, _plan(plan))


@router.post(
    "/plans/{pk}/cancel",
    response=PlanOut,
    operation_id="inspections_cancel_plan",
    url_name="insp_cancel_plan",
)
def cancel_plan(request: HttpRequest, pk: int) -> Any:
    access = _user(request)
    plan = get_object_or_404(rules.visible_plans(access), pk=pk)
    return _plan(services.cancel_plan(plan, actor=access))


@router.post(
    "/plans/{pk}/result",
    response={201: ResultOut},
    operation_id="inspections_record_result",
    url_name="insp_record_result",
)
def record_result(request: HttpRequest, pk: int, payload: ResultIn) -> Any:
    access = _user(request)
    plan = get_object_or_404(rules.visible_plans(access), pk=pk)
    category = None
    if payload.case_category:
        category = Category.objects.filter(code=payload.case_category, active=True).first()
        if category is None:
            raise ValidationError({"case_category": [_("There is no such case category.")]})
    result: InspectionResult = services.record_result(
        plan, actor=access, outcome=payload.outcome, notes=payload.notes, category=category
    )
    visit = plan.joint_visit
    assert visit is not None  # noqa: S101 - the verb refuses a plan outside a visit
    visit.refresh_from_db()
    return Status(
        201,
        {
            "plan_id": plan.pk,
            "outcome": result.outcome,
            "notes": result.notes,
            "case_number": result.case.number if result.case else None,
            "visit_status": visit.status,
        },
    )


@router.post("/merge", response=MergeOut, operation_id="inspections_merge", url_name="insp_merge")
def merge(request: HttpRequest) -> Any:
    """Merge every waiting plan into joint visits (idempotent)."""
    access = _user(request)
    report = services.merge_plans(actor=access)
    return {"plans_merged": report.plans_merged, "visits_created": report.visits_created}


@router.get(
    "/visits",
    response=list[JointVisitOut],
    operation_id="inspections_list_visits",
    url_name="insp_visits",
)
def list_visits(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    access = _user(request)
    period = _period(query)
    visits = queries.schedule(rules.visible_visits(access)).filter(
        scheduled_on__range=(period.start, period.end)
    )
    return [_visit(v) for v in visits]


@router.post(
    "/visits/{pk}/schedule",
    response=JointVisitOut,
    operation_id="inspections_schedule_visit",
    url_name="insp_schedule_visit",
)
def schedule_visit(request: HttpRequest, pk: int, payload: ScheduleIn) -> Any:
    access = _user(request)
    visit = get_object_or_404(rules.visible_visits(access).select_related("enterprise"), pk=pk)
    services.schedule_visit(visit, actor=access, on=payload.scheduled_on)
    return _visit(visit)


@router.get(
    "/spared", response=SparedOut, operation_id="inspections_spared", url_name="insp_spared"
)
def spared(request: HttpRequest, query: Query[PeriodQuery]) -> Any:
    """Visits spared per enterprise, and totals per department, in a period (default: this
    quarter)."""
    access = access_of(request)
    access.require(access.subdistrict is not None and rules.is_coordinator(access))
    period = _period(query)
    rows = queries.spared_by_enterprise(period)
    return {
        "start": period.start,
        "end": period.end,
        "spared": sum(r.spared for r in rows),
        "enterprises": [
            {
                "enterprise_id": r.enterprise.pk,
                "enterprise": r.enterprise.name,
                "plans": r.plans,
                "visits_made": r.visits_made,
                "spared": r.spared,
                "visits_scheduled": r.visits_scheduled,
                "to_be_spared": r.to_be_spared,
            }
            for r in rows
        ],
        "departments": [vars(d) for d in queries.totals_by_department(period)],
    }
