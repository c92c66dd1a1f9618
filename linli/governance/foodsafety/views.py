"""Food-safety pages: the establishments (and their Excel export), one establishment with its
gradings, inspections and rectifications, registering one, generating the year's inspections
and the statistics. Changes go through ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.access import Access
from linli.core.http import page_access, show_errors, xlsx_response
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.inspections import rules as inspection_rules
from linli.enterprise.inspections.models import InspectionPlan
from linli.governance.foodsafety import queries, rules, services, statistics
from linli.governance.foodsafety.forms import (
    FollowUpForm,
    GenerateForm,
    GradeForm,
    ListFilter,
    RectificationForm,
    RegisterForm,
)
from linli.governance.foodsafety.models import (
    Establishment,
    GradeChange,
    Rectification,
    ScheduledInspection,
)
from linli.registry.models import Enterprise

PAGE_SIZE = 25
# The market-regulation office (市场监管所) inspects catering; its usual code is pre-selected.
MARKET_REGULATION = "SCJG"


def _reader(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_read(access))
    return access


def _manager(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_manage(access))
    return access


def _listed(access: Access, request: HttpRequest) -> tuple[ListFilter, QuerySet[Any]]:
    form = ListFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, queries.establishments(Establishment.objects.visible_to(access), filters)


@login_required
def establishments(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    form, rows = _listed(access, request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "foodsafety/list.html",
        {
            "form": form,
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "manager": rules.may_manage(access),
            "today": clock.today(),
        },
    )


@login_required
def establishments_xlsx(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    _form, rows = _listed(access, request)
    content = rows_to_xlsx(_("Catering establishments")[:31], queries.export_rows(rows))
    return xlsx_response(content, f"catering-establishments-{clock.today():%Y%m%d}.xlsx")


def _page(
    request: HttpRequest,
    access: Access,
    establishment: Establishment,
    status: int = 200,
    **forms: object,
) -> HttpResponse:
    scheduled = (
        ScheduledInspection.objects.visible_to(access)
        .filter(establishment=establishment)
        .select_related("plan__joint_visit", "plan__department")
        .prefetch_related("plan__results")
        .order_by("-year", "slot")
    )
    manager = rules.may_manage(access)
    context = {
        "establishment": establishment,
        "gradings": GradeChange.objects.visible_to(access)
        .filter(establishment=establishment)
        .select_related("graded_by"),
        "scheduled": [(s, inspection_rules.plan_actions(access, s.plan)) for s in scheduled],
        "rectifications": Rectification.objects.visible_to(access)
        .filter(establishment=establishment)
        .select_related("plan"),
        "manager": manager,
        "grade_form": forms.get("grade_form") or GradeForm(initial={"graded_on": clock.today()}),
        "rectification_form": forms.get("rectification_form") or RectificationForm(),
        "follow_up_form": FollowUpForm(initial={"on": clock.today(), "rectified": "yes"}),
        "follow_up_errors": forms.get("follow_up_errors"),
    }
    return render(request, "foodsafety/establishment.html", context, status=status)


@login_required
def establishment(request: HttpRequest, pk: int) -> HttpResponse:
    access = _reader(request)
    found = get_object_or_404(
        Establishment.objects.visible_to(access).select_related("enterprise"), pk=pk
    )
    return _page(request, access, found)


@login_required
@require_POST
def grade(request: HttpRequest, pk: int) -> HttpResponse:
    access = _reader(request)
    found = get_object_or_404(Establishment.objects.visible_to(access), pk=pk)
    access.require(rules.may_manage(access))
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.grade_establishment(found, actor=access, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The grading is recorded."))
            return redirect("foodsafety:establishment", pk=found.pk)
    return _page(request, access, found, 400, grade_form=form)


@login_required
@require_POST
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    access = _reader(request)
    found = get_object_or_404(Establishment.objects.visible_to(access), pk=pk)
    access.require(rules.may_manage(access))
    form = RectificationForm(request.POST)
    plan = None
    if raw := request.POST.get("plan"):
        plan = InspectionPlan.objects.visible_to(access, "history").filter(pk=raw).first()
    if form.is_valid():
        try:
            services.order_rectification(
                found, actor=access, requirement=form.cleaned_data["requirement"], plan=plan
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The rectification is ordered."))
            return redirect("foodsafety:establishment", pk=found.pk)
    return _page(request, access, found, 400, rectification_form=form)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    access = _reader(request)
    found = get_object_or_404(Rectification.objects.visible_to(access), pk=pk)
    access.require(rules.may_manage(access))
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_rectification(found, actor=access, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect("foodsafety:establishment", pk=found.establishment_id)
    errors = [m for field in form.errors.values() for m in field]
    return _page(request, access, found.establishment, 400, follow_up_errors=errors)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    access = _manager(request)
    form = RegisterForm(
        request.POST or None,
        enterprises=Enterprise.objects.visible_to(access),
        initial={"graded_on": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = services.register_establishment(
                access,
                enterprise=data["enterprise_code"],
                kind=data["kind"],
                licence_number=data["licence_number"],
                licence_valid_until=data["licence_valid_until"],
                grade=data["grade"],
                graded_on=data["graded_on"],
            )
        except ValidationError as exc:
            show_errors(exc, form, aliases={"enterprise": "enterprise_code"})
        else:
            messages.success(request, _("The establishment is registered."))
            return redirect("foodsafety:establishment", pk=found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "foodsafety/register.html", {"form": form}, status=status)


@login_required
def generate(request: HttpRequest) -> HttpResponse:
    access = _manager(request)
    departments = inspection_rules.departments(access)
    form = GenerateForm(
        request.POST or None,
        departments=departments,
        initial={
            "year": clock.today().year,
            "department": departments.filter(code=MARKET_REGULATION).first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.generate_inspections(access, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(
                request,
                _("%(planned)s inspections planned, %(already)s already planned.")
                % {"planned": report.planned, "already": report.already_planned},
            )
            return redirect(f"{reverse('foodsafety:statistics')}?year={form.cleaned_data['year']}")
    status = 400 if request.method == "POST" else 200
    return render(request, "foodsafety/generate.html", {"form": form}, status=status)


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    year = clock.today().year
    if (raw := request.GET.get("year", "")).isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    figures = statistics.per_grade(
        Establishment.objects.visible_to(access),
        ScheduledInspection.objects.visible_to(access),
        year,
    )
    return render(
        request,
        "foodsafety/statistics.html",
        {"figures": figures, "year": year, "manager": rules.may_manage(access)},
    )
