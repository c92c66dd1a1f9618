"""Caring-visit pages: a visitor's list and the visit log (made for a phone), the plans of an
area, extreme weather, the alert form, 老伙伴 groups and the coverage statistics."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import clock, spreadsheets
from linli.core.access import Access
from linli.core.http import page_access, xlsx_response
from linli.core.roles import ADMINS
from linli.livelihood.caring import forms, planning, rules, services, statistics, weather
from linli.livelihood.caring.models import (
    CaringPlan,
    CaringVisit,
    CompanionMember,
    ExtremeWeather,
)
from linli.people.models import Person
from linli.people.presenting import address_of

PAGE_SIZE = 50
PERSON = "person__dwelling__unit__building__quarter"


def _rows(plans: Any, today: dt.date, now_weather: ExtremeWeather | None) -> list[dict[str, Any]]:
    rows = []
    for plan in plans:
        visit_now = now_weather is not None and (
            plan.last_visited_on is None
            or plan.last_visited_on <= today - dt.timedelta(days=now_weather.every_days)
        )
        rows.append(
            {
                "plan": plan,
                "address": address_of(plan.person.dwelling),
                "overdue": plan.days_overdue(today),
                "visit_now": visit_now,
            }
        )
    return rows


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The people assigned to the reader, the most pressing first."""
    access = page_access(request)
    access.require(rules.may_visit(access))
    today = clock.today()
    assert access.user is not None  # noqa: S101 - login_required
    plans = (
        CaringPlan.objects.visible_to(access)
        .filter(ended_on__isnull=True)
        .filter(Q(visitor_id=access.user.pk) | Q(person_id__in=_companion_persons(access)))
        .select_related(f"{PERSON}", "person__dwelling__unit")
        .order_by("next_due_on", "pk")
    )
    now_weather = weather.in_force(today)
    rows = _rows(plans, today, now_weather)
    rows.sort(key=lambda r: (not r["visit_now"], r["plan"].next_due_on))
    return render(
        request, "caring/mine.html", {"rows": rows, "weather": now_weather, "today": today}
    )


def _companion_persons(access: Access) -> Any:
    assert access.user is not None  # noqa: S101 - login_required
    return CompanionMember.objects.filter(
        left_on__isnull=True, group__ended_on__isnull=True, group__leader__user_id=access.user.pk
    ).values("person_id")


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_oversee(access))
    today = clock.today()
    filters = forms.PlanFilter(request.GET or None)
    found = CaringPlan.objects.visible_to(access).select_related(
        PERSON, "person__dwelling__unit", "visitor"
    )
    found = (
        filters.apply(found, today) if filters.is_valid() else found.filter(ended_on__isnull=True)
    )
    page = Paginator(found.order_by("next_due_on", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    may_manage = rules.may_manage_plans(access)
    return render(
        request,
        "caring/plans.html",
        {
            "page": page,
            "rows": _rows(page, today, None),
            "filters": filters,
            "may_manage": may_manage,
            "without_plan": _without_plan(access, today) if may_manage else 0,
            "query": request.GET.urlencode(),
        },
    )


def _without_plan(access: Access, today: dt.date) -> int:
    persons = planning.without_plan(today)
    if not access.has_any(ADMINS):
        persons = persons.filter(pk__in=Person.objects.visible_to(access, "change").values("pk"))
    return persons.count()


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_manage_plans(access))
    made = planning.plan_everyone(access, clock.today())
    messages.success(request, _("%(n)s visit plans made.") % {"n": made})
    return redirect("caring:plans")


def _plan_page(
    request: HttpRequest,
    access: Access,
    plan: CaringPlan,
    *,
    visit_form: forms.VisitForm | None = None,
    assign_form: forms.AssignForm | None = None,
    end_form: forms.EndForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    may_manage = rules.may_manage_plans(access) and plan.ended_on is None
    return render(
        request,
        "caring/plan.html",
        {
            "plan": plan,
            "address": address_of(plan.person.dwelling),
            "age": plan.person.age_on(today),
            "overdue": plan.days_overdue(today) if plan.ended_on is None else 0,
            "visits": CaringVisit.objects.visible_to(access)
            .filter(person_id=plan.person_id)
            .select_related("visitor", "case")[:30],
            "may_log": rules.may_log_visit(access, plan),
            "may_manage": may_manage,
            "visit_form": visit_form or forms.VisitForm(initial={"on": today}),
            "assign_form": assign_form
            or forms.AssignForm(
                subdistrict_id=plan.subdistrict_id, initial={"visitor": plan.visitor_id}
            ),
            "end_form": end_form or forms.EndForm(),
        },
        status=status,
    )


def _visible_plan(access: Access, pk: int) -> CaringPlan:
    return get_object_or_404(
        CaringPlan.objects.visible_to(access).select_related(
            PERSON, "person__dwelling__unit", "visitor"
        ),
        pk=pk,
    )


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    return _plan_page(request, access, _visible_plan(access, pk))


def _apply_errors(form: Any, exc: ValidationError) -> None:
    for name, texts in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


@login_required
@require_POST
def log(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = _visible_plan(access, pk)
    access.require(rules.may_log_visit(access, found))
    form = forms.VisitForm(request.POST)
    if form.is_valid():
        try:
            visit = services.log_visit(
                access,
                found,
                outcome=form.cleaned_data["outcome"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if visit.case is not None:
                messages.success(
                    request,
                    _("Visit logged. Case %(number)s opened for the residents' committee.")
                    % {"number": visit.case.number},
                )
            else:
                messages.success(request, _("Visit logged."))
            return redirect("caring:plan", pk=found.pk)
    return _plan_page(request, access, found, visit_form=form, status=400)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = _visible_plan(access, pk)
    access.require(rules.may_manage_plans(access))
    form = forms.AssignForm(request.POST, subdistrict_id=found.subdistrict_id)
    if form.is_valid():
        try:
            services.assign_visitor(access, found, form.cleaned_data["visitor"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("caring:plan", pk=found.pk)
    return _plan_page(request, access, found, assign_form=form, status=400)


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = _visible_plan(access, pk)
    access.require(rules.may_manage_plans(access))
    form = forms.EndForm(request.POST)
    if form.is_valid():
        try:
            services.end_plan(access, found, reason=form.cleaned_data["end_reason"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("caring:plan", pk=found.pk)
    return _plan_page(request, access, found, end_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def weather_page(request: HttpRequest) -> HttpResponse:
    """Extreme weather in force and who must be visited now; administrators set it here."""
    access = page_access(request)
    access.require(rules.may_oversee(access))
    may_set = rules.may_set_weather(access)
    form = forms.WeatherForm(request.POST or None) if may_set else None
    status = 200
    if request.method == "POST":
        access.require(may_set)
        assert form is not None  # noqa: S101 - may_set
        if form.is_valid():
            try:
                services.set_weather(access, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect("caring:weather")
        status = 400
    today = clock.today()
    now_weather = weather.in_force(today)
    to_visit: list[dict[str, Any]] = []
    if now_weather is not None:
        due = weather.to_visit_now(
            CaringPlan.objects.visible_to(access), now_weather, today
        ).select_related(PERSON, "person__dwelling__unit", "visitor")
        to_visit = _rows(due.order_by("last_visited_on", "pk"), today, now_weather)
    upcoming = ExtremeWeather.objects.filter(ends_on__gte=today, cancelled_at__isnull=True)
    return render(
        request,
        "caring/weather.html",
        {
            "weather": now_weather,
            "rows": to_visit,
            "upcoming": upcoming,
            "form": form,
            "may_set": may_set,
        },
        status=status,
    )


@login_required
@require_POST
def weather_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = get_object_or_404(ExtremeWeather.objects.visible_to(access), pk=pk)
    access.require(rules.may_set_weather(access))
    # Cancelled already: the page shows it is.
    with contextlib.suppress(ValidationError):
        services.cancel_weather(access, found)
    return redirect("caring:weather")


@login_required
@require_http_methods(["GET", "POST"])
def alert(request: HttpRequest) -> HttpResponse:
    """A caregiver's call or a fall a family member reports: an urgent case at once."""
    access = page_access(request)
    access.require(rules.may_report_alert(access))
    form = forms.AlertForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                raised = services.report_alert(
                    access,
                    person=form.cleaned_data["number"],
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                    caller_name=form.cleaned_data["caller_name"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Urgent case %(number)s opened for the residents' committee.")
                    % {"number": raised.case.number},
                )
                return redirect("caring:alert")
        status = 400
    return render(request, "caring/alert.html", {"form": form}, status=status)


def _month(request: HttpRequest) -> dt.date:
    raw = request.GET.get("month", "")
    try:
        return dt.date.fromisoformat(f"{raw}-01") if raw else clock.today()
    except ValueError:
        return clock.today()


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_see_statistics(access))
    day = _month(request)
    return render(
        request,
        "caring/statistics.html",
        {
            "month": day.strftime("%Y-%m"),
            "total": statistics.coverage(access, day)[0],
            "tables": [
                (_("By quarter"), statistics.coverage(access, day, "quarter")),
                (_("By grid"), statistics.coverage(access, day, "grid")),
                (_("By visitor"), statistics.coverage(access, day, "visitor")),
            ],
            "outcomes": [
                (label, statistics.visits_by_outcome(access, day).get(value, 0))
                for value, label in CaringVisit.Outcome.choices
            ],
            "overdue": statistics.overdue_count(access, clock.today()),
        },
    )


def _percent(rate: Decimal | None) -> float | None:
    """A rate as a number the spreadsheet can sum and chart (a Decimal would be text)."""
    return None if rate is None else float(rate)


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    """The statistics page as one sheet: the month's totals, then the coverage by quarter, grid
    and visitor, under the lines that say what, where, which month and when."""
    access = page_access(request)
    access.require(rules.may_see_statistics(access))
    day = _month(request)
    total = statistics.coverage(access, day)[0]
    outcomes = statistics.visits_by_outcome(access, day)
    header = [_("Name"), _("Visits due"), _("Visits done"), _("Coverage (%)")]
    table: list[list[Any]] = [
        [_("Visits due"), total.due],
        [_("Visits done"), total.done],
        [_("Coverage (%)"), _percent(total.rate)],
        [_("Overdue now"), statistics.overdue_count(access, clock.today())],
        *([label, outcomes.get(value, 0)] for value, label in CaringVisit.Outcome.choices),
    ]
    for title, by in (
        (_("By quarter"), "quarter"),
        (_("By grid"), "grid"),
        (_("By visitor"), "visitor"),
    ):
        rows = statistics.coverage(access, day, by)
        lines = ([r.name or "—", r.due, r.done, _percent(r.rate)] for r in rows)
        table += [[], [title], header, *lines]
    title = _("Caring-visit coverage")
    about = spreadsheets.about_rows(
        title, str(access.subdistrict), [(_("Month"), f"{day:%Y-%m}")], clock.now()
    )
    content = spreadsheets.rows_to_xlsx(title, table, about=about)
    return xlsx_response(content, f"caring-visits-{day:%Y-%m}.xlsx")
