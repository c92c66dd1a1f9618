"""Joint inspections (综合查一次): planned inspections merged into one visit per enterprise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from linli.cases.models import Category
from linli.core import limits
from linli.core.access import Access
from linli.core.filters import Id
from linli.core.http import access_of
from linli.core.models import Organisation
from linli.enterprise.inspections import queries, rules, services
from linli.enterprise.inspections.filters import JointVisitFilter, PeriodFilter, PlanFilter
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
    partners: int = Field(
        description="Other departments' plans sharing its joint visit (0: goes alone)."
    )

    @staticmethod
    def resolve_enterprise(obj: InspectionPlan) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_department(obj: InspectionPlan) -> str:
        return str(obj.department)


class PlanIn(Schema):
    enterprise_id: Id
    department_id: Id
    subject: limits.Text(InspectionPlan, "subject")  # type: ignore[valid-type]
    window_start: dt.date
    window_end: dt.date
    matters: str = ""
    inspectors: limits.Text(InspectionPlan, "inspectors") = ""  # type: ignore[valid-type]


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

    @staticmethod
    def resolve_enterprise(obj: JointVisit) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_departments(obj: JointVisit) -> list[str]:
        return [str(p.department) for p in queries.active_plans(obj)]

    @staticmethod
    def resolve_plan_ids(obj: JointVisit) -> list[int]:
        return [p.pk for p in queries.active_plans(obj)]


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

    @staticmethod
    def resolve_case_number(obj: InspectionResult) -> str | None:
        return obj.case.number if obj.case else None

    @staticmethod
    def resolve_visit_status(obj: InspectionResult) -> str:
        visit = obj.plan.joint_visit
        assert visit is not None  # noqa: S101 - a result is recorded on a visit's plan
        return visit.status


class SparedRow(Schema):
    enterprise_id: int
    enterprise: str
    plans: int
    visits_made: int
    spared: int
    visits_scheduled: int
    to_be_spared: int

    @staticmethod
    def resolve_enterprise_id(obj: queries.EnterpriseSpared) -> int:
        return obj.enterprise.pk

    @staticmethod
    def resolve_enterprise(obj: queries.EnterpriseSpared) -> str:
        return obj.enterprise.name


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
    """Read from ``queries.SparedFigures``."""

    start: dt.date
    end: dt.date
    spared: int
    enterprises: list[SparedRow]
    departments: list[DepartmentRow]


def _user(request: HttpRequest) -> Access:
    access = access_of(request)
    access.require(access.subdistrict is not None and rules.may_use(access))
    return access


def _plans(access: Access) -> Any:
    """The plans one may see, with their partners (``with_partners``)."""
    return (
        InspectionPlan.objects.visible_to(access)
        .with_partners()
        .select_related("enterprise", "department")
    )


@router.get(
    "/plans", response=list[PlanOut], operation_id="inspections_list_plans", url_name="insp_plans"
)
def list_plans(request: HttpRequest, filters: Query[PlanFilter]) -> Any:
    """Planned inspections: a handler's department's, or all for the coordinators."""
    access = _user(request)
    return filters.apply(_plans(access)).order_by("-window_start", "-id")


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
        enterprise=Enterprise.objects.visible_to(access).filter(pk=payload.enterprise_id).first(),
        department=Organisation.objects.visible_to(access).filter(pk=payload.department_id).first(),
        subject=payload.subject,
        matters=payload.matters,
        window_start=payload.window_start,
        window_end=payload.window_end,
        inspectors=payload.inspectors,
    )
    return Status(201, _plans(access).get(pk=plan.pk))


@router.post(
    "/plans/{pk}/cancel",
    response=PlanOut,
    operation_id="inspections_cancel_plan",
    url_name="insp_cancel_plan",
)
def cancel_plan(request: HttpRequest, pk: int) -> Any:
    access = _user(request)
    plan = get_object_or_404(_plans(access), pk=pk)
    services.cancel_plan(plan, actor=access)
    return _plans(access).get(pk=plan.pk)


@router.post(
    "/plans/{pk}/result",
    response={201: ResultOut},
    operation_id="inspections_record_result",
    url_name="insp_record_result",
)
def record_result(request: HttpRequest, pk: int, payload: ResultIn) -> Any:
    access = _user(request)
    plan = get_object_or_404(_plans(access), pk=pk)
    category = None
    if payload.case_category:
        category = Category.objects.filter(code=payload.case_category, active=True).first()
        if category is None:
            raise ValidationError({"case_category": [_("There is no such case category.")]})
    result = services.record_result(
        plan, actor=access, outcome=payload.outcome, notes=payload.notes, category=category
    )
    return Status(
        201, InspectionResult.objects.select_related("plan__joint_visit", "case").get(pk=result.pk)
    )


@router.post("/merge", response=MergeOut, operation_id="inspections_merge", url_name="insp_merge")
def merge(request: HttpRequest) -> Any:
    """Merge every waiting plan into joint visits (idempotent)."""
    access = _user(request)
    return services.merge_plans(actor=access)


@router.get(
    "/visits",
    response=list[JointVisitOut],
    operation_id="inspections_list_visits",
    url_name="insp_visits",
)
def list_visits(request: HttpRequest, filters: Query[JointVisitFilter]) -> Any:
    """The joint visits of the period (this quarter unless ``start``/``end`` say otherwise)
    one may see: those one's department takes part in, or all for the coordinators."""
    access = _user(request)
    return filters.apply(queries.schedule(JointVisit.objects.visible_to(access)))


@router.post(
    "/visits/{pk}/schedule",
    response=JointVisitOut,
    operation_id="inspections_schedule_visit",
    url_name="insp_schedule_visit",
)
def schedule_visit(request: HttpRequest, pk: int, payload: ScheduleIn) -> Any:
    access = _user(request)
    visit = get_object_or_404(JointVisit.objects.visible_to(access), pk=pk)
    services.schedule_visit(visit, actor=access, on=payload.scheduled_on)
    return queries.schedule(JointVisit.objects.filter(pk=visit.pk)).get()


@router.get(
    "/spared", response=SparedOut, operation_id="inspections_spared", url_name="insp_spared"
)
def spared(request: HttpRequest, period: Query[PeriodFilter]) -> Any:
    """Visits spared per enterprise, and totals per department, in a period (default: this
    quarter)."""
    access = access_of(request)
    access.require(access.subdistrict is not None and rules.is_coordinator(access))
    return queries.spared_figures(access, period.period())
