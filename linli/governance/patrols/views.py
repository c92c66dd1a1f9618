"""Patrol pages: the patrols of the grids a person sees with the plans to start, a plan, the
phone page that runs a patrol (check in at the points, report a finding, end it), the plan
form and the month's coverage with its Excel export. Changes go through ``services``."""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.cases.forms import PATROL, ExtraForm
from linli.core import clock
from linli.core.access import Access
from linli.core.http import page_access, show_errors, xlsx_response
from linli.core.spreadsheets import rows_to_xlsx
from linli.governance.patrols import coverage, rules, services
from linli.governance.patrols.forms import FindingForm, PlanForm
from linli.governance.patrols.models import CheckIn, Patrol, PatrolPlan, PatrolPoint
from linli.people.rules import grids_of
from linli.registry.models import Grid

RECENT = 20


def _user(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_use(access))
    return access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    plans = PatrolPlan.objects.visible_to(access).filter(active=True).select_related("grid")
    patrols = (
        Patrol.objects.visible_to(access)
        .select_related("plan", "grid", "worker")
        .order_by("-started_at", "-id")
    )
    running = patrols.filter(status=Patrol.Status.IN_PROGRESS, worker=access.user)
    return render(
        request,
        "patrols/home.html",
        {
            "plans": [(plan, rules.may_run(access, plan)) for plan in plans],
            "running": list(running),
            "recent": list(patrols[:RECENT]),
            "may_plan": rules.may_plan(access),
        },
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    access.require(rules.may_plan(access))
    form = PlanForm(request.POST or None, grids=Grid.objects.order_by("code"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                actor=access,
                grid=data["grid"],
                name=data["name"],
                points=data["points"],
                per_week=data.get("per_week"),
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Patrol plan saved."))
            return redirect("patrols:plan", pk=plan.pk)
    return render(request, "patrols/plan_form.html", {"form": form})


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    access = _user(request)
    found = get_object_or_404(PatrolPlan.objects.visible_to(access).select_related("grid"), pk=pk)
    patrols = (
        Patrol.objects.visible_to(access)
        .filter(plan=found)
        .select_related("worker")
        .order_by("-started_at", "-id")[:RECENT]
    )
    return render(
        request,
        "patrols/plan.html",
        {
            "plan": found,
            "points": list(found.points.all()),
            "patrols": list(patrols),
            "may_run": rules.may_run(access, found),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    access = _user(request)
    found = get_object_or_404(PatrolPlan.objects.visible_to(access), pk=pk)
    patrol = services.start_patrol(actor=access, plan=found)
    return redirect("patrols:patrol", pk=patrol.pk)


def _patrol(access: Access, pk: int) -> Patrol:
    return get_object_or_404(
        Patrol.objects.visible_to(access).select_related("plan", "grid", "worker"), pk=pk
    )


@login_required
def patrol(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page of a patrol: its points, checked in or not, and what was found."""
    access = _user(request)
    found = _patrol(access, pk)
    check_ins = {c.point_id: c for c in found.check_ins.all()}
    points = [(point, check_ins.get(point.pk)) for point in found.plan.points.all()]
    findings = found.findings.select_related("case", "case__category", "point")
    return render(
        request,
        "patrols/patrol.html",
        {
            "patrol": found,
            "points": points,
            "checked": len(check_ins),
            "findings": list(findings),
            "working": rules.may_work_on(access, found),
            "results": CheckIn.Result,
        },
    )


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and math.isfinite(number) else None


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    access = _user(request)
    found = _patrol(access, pk)
    point_id = request.POST.get("point", "")
    point = (
        PatrolPoint.objects.filter(plan=found.plan, pk=int(point_id)).first()
        if point_id.isdigit()
        else None
    )
    try:
        done = services.check_in(
            actor=access,
            patrol=found,
            point=point,
            lon=_number(request.POST.get("lon")),
            lat=_number(request.POST.get("lat")),
            accuracy_m=_number(request.POST.get("accuracy")),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        text = {
            CheckIn.Result.AT_POINT: _("Checked in at %(point)s."),
            CheckIn.Result.AWAY: _(
                "Checked in at %(point)s, but %(m)d m away from it: recorded as away."
            ),
            CheckIn.Result.NO_LOCATION: _(
                "Checked in at %(point)s without a location: recorded as no location."
            ),
        }[CheckIn.Result(done.result)]
        messages.success(request, text % {"point": done.point.name, "m": done.distance_m or 0})
    return redirect("patrols:patrol", pk=found.pk)


@login_required
def finding(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding becomes a case in one step: what it is (with the category's own questions,
    as on the patrol report), a photo, where."""
    access = _user(request)
    found = _patrol(access, pk)
    access.require(rules.may_work_on(access, found))
    posting = request.method == "POST"
    data = request.POST if posting else None
    files = request.FILES if posting else None
    initial = request.POST.dict() if posting else {"point": request.GET.get("point", "")}
    form = FindingForm(data, files, access=access, plan=found.plan, initial=initial)
    form.fields["category"].widget.attrs.update(
        {
            "hx-get": reverse("cases:fields") + f"?variant={PATROL}",
            "hx-target": "#extra-fields",
            "hx-trigger": "change",
        }
    )
    category = form.chosen_category()
    extra = ExtraForm(category, data, files, initial=initial, with_photos=False)
    if posting and form.is_valid() and extra.is_valid():
        cleaned = form.cleaned_data
        try:
            made = services.report_finding(
                actor=access,
                patrol=found,
                category=category,
                description=cleaned["description"],
                photos=cleaned.get("photos") or [],
                photo_key=extra.photo_key,
                extra=extra.values(),
                lon=cleaned.get("lon"),
                lat=cleaned.get("lat"),
                address=cleaned.get("address") or "",
                point=cleaned.get("point"),
            )
        except ValidationError as exc:
            aliases = {"lon": "address", f"extra.{extra.photo_key}": "photos"}
            show_errors(exc, form, extra, aliases=aliases)
        else:
            messages.success(
                request,
                _("Case %(number)s opened from this patrol.") % {"number": made.case.number},
            )
            return redirect("patrols:patrol", pk=found.pk)
    return render(
        request,
        "patrols/finding.html",
        {"patrol": found, "form": form, "extra": extra, "category": category, "variant": PATROL},
    )


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    access = _user(request)
    found = _patrol(access, pk)
    services.end_patrol(actor=access, patrol=found)
    messages.success(request, _("Patrol ended."))
    return redirect("patrols:home")


def _month(request: HttpRequest) -> dt.date:
    """The month asked for (``?month=2026-11``), else this month."""
    try:
        return dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return clock.today()


@login_required
def coverage_page(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    day = _month(request)
    return render(
        request,
        "patrols/coverage.html",
        {
            "month": coverage.Month.of(day),
            "grids": coverage.by_grid(access, day),
            "workers": coverage.by_worker(access, day),
            "own_grid": bool(grids_of(access)),
        },
    )


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


@login_required
def coverage_xlsx(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    day = _month(request)
    month = coverage.Month.of(day)
    table: list[list[object]] = [
        [
            _("Grid"),
            _("Patrols planned"),
            _("Patrols done"),
            _("Done"),
            _("Patrol points"),
            _("Points checked in"),
            _("Check-ins"),
            _("Away"),
            _("No location"),
            _("Findings"),
        ]
    ]
    for g in coverage.by_grid(access, day):
        table.append(
            [
                g.grid,
                g.planned,
                g.done,
                _percent(g.done_share),
                g.points,
                g.points_checked,
                g.check_ins,
                g.away,
                g.no_location,
                g.findings,
            ]
        )
    table.append([])
    table.append(
        [
            _("Grid worker"),
            _("Grid"),
            _("Patrols done"),
            _("Check-ins"),
            _("At the point"),
            _("Away"),
            _("No location"),
            _("Points checked in"),
            _("Findings"),
        ]
    )
    for w in coverage.by_worker(access, day):
        table.append(
            [
                w.worker,
                w.grid,
                w.done,
                w.check_ins,
                w.at_point,
                w.away,
                w.no_location,
                w.points_checked,
                w.findings,
            ]
        )
    content = rows_to_xlsx(_("Patrol coverage")[:31], table)
    return xlsx_response(content, f"patrol-coverage-{month.first:%Y-%m}.xlsx")
