"""Joint-inspection pages: a department's plans, the coordinator's schedule (merge, dates),
one visit with its results, the spared-visits list with totals per department, one
enterprise's summary, and the schedule in Excel. Changes go through ``services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import page_access, show_errors, xlsx_response
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.inspections import queries, rules, services
from linli.enterprise.inspections.filters import JointVisitFilter, PeriodFilter, PlanFilter
from linli.enterprise.inspections.forms import PlanForm, ResultForm, ScheduleForm
from linli.enterprise.inspections.models import InspectionPlan, JointVisit
from linli.registry.models import Enterprise

Errors = dict[str, list[str]]


PAGE_SIZE = 25


def _user(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_use(access))
    return access


def filter_refused(errors: dict[str, list[str]]) -> HttpResponse:
    """An export whose filters cannot be read is refused, as the API refuses them (never a
    file of everything)."""
    return HttpResponseBadRequest(
        "; ".join(f"{name}: {' '.join(messages_)}" for name, messages_ in errors.items())
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _filtered_plans(access: Access, request: HttpRequest) -> tuple[Any, PlanFilter, Errors]:
    """The plans of the list and its export: the person's, narrowed by the API's filters."""
    filters, errors = from_query(PlanFilter, request.GET)
    plans = (
        InspectionPlan.objects.visible_to(access)
        .with_partners()
        .select_related("enterprise", "department", "joint_visit")
        .prefetch_related("results")
        .order_by("-window_start", "-id")
    )
    # A filter that cannot be read narrows to nothing (the API answers 422).
    return (plans.none() if errors else filters.apply(plans)), filters, errors


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    found, filters, errors = _filtered_plans(access, request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/plans.html",
        {
            "page": page,
            "rows": [(plan, rules.plan_actions(access, plan)) for plan in page.object_list],
            "filters": filters,
            "errors": errors,
            "statuses": InspectionPlan.Status.choices,
            "departments": rules.departments(access).order_by("code"),
            "query": _query_without_page(request),
            "coordinator": rules.is_coordinator(access),
        },
    )


@login_required
def plans_xlsx(request: HttpRequest) -> HttpResponse:
    """The list's plans (same filters) in Excel."""
    access = _user(request)
    found, _filters, errors = _filtered_plans(access, request)
    if errors:
        return filter_refused(errors)
    content = rows_to_xlsx(_("Inspection plans")[:31], queries.plan_rows(found))
    return xlsx_response(content, f"inspection-plans-{clock.today():%Y%m%d}.xlsx")


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    initial = {}
    if code := request.GET.get("enterprise"):
        initial["enterprise_code"] = code
    form = PlanForm(
        request.POST or None,
        departments=rules.departments(access),
        enterprises=Enterprise.objects.visible_to(access),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_inspection(
                actor=access,
                enterprise=data["enterprise_code"],
                department=data["department"],
                subject=data["subject"],
                matters=data["matters"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                inspectors=data["inspectors"],
            )
        except ValidationError as exc:
            show_errors(exc, form, aliases={"enterprise": "enterprise_code"})
        else:
            messages.success(request, _("The inspection is planned."))
            if plan.joint_visit_id:
                return redirect("inspections:visit", pk=plan.joint_visit_id)
            return redirect("inspections:plans")
    return render(request, "inspections/plan_form.html", {"form": form})


@login_required
@require_POST
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    access = _user(request)
    plan = get_object_or_404(InspectionPlan.objects.visible_to(access), pk=pk)
    try:
        services.cancel_plan(plan, actor=access)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The plan is cancelled."))
    return redirect("inspections:plans")


def _filtered_visits(access: Access, request: HttpRequest) -> tuple[Any, JointVisitFilter, Errors]:
    """The joint visits of the schedule and its export: the person's, in the period and
    status the query string asks for (the API's filters)."""
    filters, errors = from_query(JointVisitFilter, request.GET)
    visits = queries.schedule(JointVisit.objects.visible_to(access))
    try:
        found = filters.apply(visits)
    except ValidationError as exc:
        # A period that ends before it starts (the API answers 400).
        errors = {**errors, **exc.message_dict}
    # A filter that cannot be read narrows to nothing (the API refuses it).
    return (visits.none() if errors else found), filters, errors


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    visits, filters, errors = _filtered_visits(access, request)
    waiting = (
        InspectionPlan.objects.visible_to(access)
        .filter(status=InspectionPlan.Status.PLANNED, joint_visit__isnull=True)
        .count()
        if rules.is_coordinator(access)
        else 0
    )
    rows = [(v, queries.active_plans(v)) for v in visits]
    return render(
        request,
        "inspections/schedule.html",
        {
            "rows": rows,
            "filters": filters,
            "errors": errors,
            "period": filters.shown_period(),
            "statuses": JointVisit.Status.choices,
            "query": _query_without_page(request),
            "waiting": waiting,
            "coordinator": rules.is_coordinator(access),
        },
    )


@login_required
@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    report = services.merge_plans(actor=access)
    messages.success(
        request,
        _("%(plans)s plans merged, %(visits)s new visits.")
        % {"plans": report.plans_merged, "visits": report.visits_created},
    )
    return redirect("inspections:schedule")


def _visit_page(
    request: HttpRequest,
    access: Access,
    visit: JointVisit,
    *,
    schedule_form: ScheduleForm | None = None,
    result_forms: dict[int, ResultForm] | None = None,
) -> HttpResponse:
    result_forms = result_forms or {}
    entries = []
    for plan in queries.active_plans(visit):
        result = next(iter(plan.results.all()), None)
        may = "record" in rules.plan_actions(access, plan)
        form = result_forms.get(plan.pk) or (ResultForm(prefix=f"p{plan.pk}") if may else None)
        entries.append({"plan": plan, "result": result, "form": form})
    return render(
        request,
        "inspections/visit.html",
        {
            "visit": visit,
            "entries": entries,
            "allowed": rules.visit_actions(access, visit),
            "schedule_form": schedule_form
            or ScheduleForm(initial={"scheduled_on": visit.scheduled_on}),
        },
    )


def _visit(access: Access, pk: int) -> JointVisit:
    return get_object_or_404(
        JointVisit.objects.visible_to(access)
        .select_related("enterprise__building")
        .prefetch_related("plans__department", "plans__results__case"),
        pk=pk,
    )


@login_required
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    access = _user(request)
    return _visit_page(request, access, _visit(access, pk))


def _refused(request: HttpRequest, exc: ValidationError, visit_id: int) -> HttpResponse:
    """A refusal about the visit itself (not a field): said on the visit page."""
    messages.error(request, " ".join(exc.messages))
    return redirect("inspections:visit", pk=visit_id)


@login_required
@require_POST
def visit_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    access = _user(request)
    item = _visit(access, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_visit(item, actor=access, on=form.cleaned_data["scheduled_on"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, exc, item.pk)
            show_errors(exc, form)
        else:
            messages.success(request, _("The visit is scheduled."))
            return redirect("inspections:visit", pk=item.pk)
    return _visit_page(request, access, item, schedule_form=form)


@login_required
@require_POST
def record_result(request: HttpRequest, pk: int) -> HttpResponse:
    access = _user(request)
    plan = get_object_or_404(
        InspectionPlan.objects.visible_to(access).select_related(
            "joint_visit", "department", "enterprise"
        ),
        pk=pk,
    )
    if plan.joint_visit_id is None:
        raise Http404
    form = ResultForm(request.POST, prefix=f"p{plan.pk}")
    if form.is_valid():
        try:
            services.record_result(
                plan,
                actor=access,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                category=form.chosen_category(),
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refused(request, exc, plan.joint_visit_id)
            show_errors(exc, form)
        else:
            messages.success(request, _("The result is recorded."))
            return redirect("inspections:visit", pk=plan.joint_visit_id)
    item = _visit(access, plan.joint_visit_id)
    return _visit_page(request, access, item, result_forms={plan.pk: form})


@login_required
def spared(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.is_coordinator(access))
    filters, errors = from_query(PeriodFilter, request.GET)
    try:
        period = filters.period()
    except ValidationError as exc:
        filters, errors = PeriodFilter(), {**errors, **exc.message_dict}
        period = filters.period()
    return render(
        request,
        "inspections/spared.html",
        {
            "filters": filters,
            "errors": errors,
            "period": period,
            "figures": queries.spared_figures(access, period),
        },
    )


@login_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    """What one enterprise went through, for staff who see the enterprise in full."""
    access = page_access(request)
    access.require(rules.may_see_summary(access))
    firm: Enterprise = get_object_or_404(
        Enterprise.objects.visible_to(access, "view_full").select_related("building"), pk=pk
    )
    plans = InspectionPlan.objects.visible_to(access, "history").filter(enterprise=firm)
    visits = JointVisit.objects.visible_to(access, "history").filter(enterprise=firm)
    everything = queries.Period(dt.date.min, dt.date.max)
    found = queries.spared_by_enterprise(everything, [firm.pk], plans=plans, visits=visits)
    return render(
        request,
        "inspections/enterprise.html",
        {
            "enterprise": firm,
            "plans": plans.select_related("department", "joint_visit")
            .prefetch_related("results")
            .order_by("-window_start", "-id"),
            "figures": found[0] if found else None,
        },
    )


@login_required
def schedule_xlsx(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    visits, filters, errors = _filtered_visits(access, request)
    if errors:
        return filter_refused(errors)
    period = filters.period()
    name = f"joint-inspections-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    return xlsx_response(rows_to_xlsx(_("Joint visits")[:31], queries.schedule_rows(visits)), name)
