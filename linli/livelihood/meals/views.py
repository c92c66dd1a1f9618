"""Meals pages: the meal points with the day's figures, a day's orders (the operator's phone
page), taking an order, marking served or cancelling, and the statistics with their export."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import clock
from linli.core.http import page_access, show_errors, xlsx_response
from linli.livelihood.meals import exports, rules, services, statistics
from linli.livelihood.meals.forms import DayForm, MonthForm, OrderForm, PersonSearchForm
from linli.livelihood.meals.models import MealOrder
from linli.people.presenting import address_of

MATCHES = 20


@login_required
def points(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_open_points(access))
    today = clock.today()
    counts = (
        MealOrder.objects.visible_to(access)
        .filter(day=today, status__in=statistics.LIVE)
        .values("point_id")
        .annotate(ordered=Count("pk"), served=Count("pk", filter=statistics.SERVED))
    )
    by_point = {c["point_id"]: c for c in counts}
    rows = [
        (p, by_point.get(p.pk, {}).get("ordered", 0), by_point.get(p.pk, {}).get("served", 0))
        for p in rules.points_for(access).select_related("operator")
    ]
    return render(
        request,
        "meals/points.html",
        {
            "rows": rows,
            "today": today,
            "may_order": rules.may_order(access),
            "may_serve": rules.may_serve_any(access),
            "may_read_statistics": rules.may_read_statistics(access),
            # The whole sub-district's figures: for those who read the statistics.
            "totals": statistics.day_totals(today) if rules.may_read_statistics(access) else None,
        },
    )


@login_required
def day(request: HttpRequest) -> HttpResponse:
    """A day's orders at the points one works with, by point and meal: the operator's phone
    page. Names, meal and mode, and the address of a delivery; a subsidy only to those who may
    see it."""
    access = page_access(request)
    access.require(rules.may_open_points(access))
    points_qs = rules.points_for(access)
    form = DayForm(request.GET or None, points=points_qs)
    chosen_day, chosen_point = clock.today(), None
    if form.is_valid():
        chosen_day = form.cleaned_data["day"] or chosen_day
        chosen_point = form.cleaned_data["point"]
    orders = (
        MealOrder.objects.visible_to(access)
        .filter(day=chosen_day, point__in=points_qs)
        .exclude(status=MealOrder.Status.CANCELLED)
        .select_related("person", "point", "deliver_to__unit__building__quarter")
        .order_by("point__name", "meal", "mode", "person__name", "pk")
    )
    if chosen_point is not None:
        orders = orders.filter(point=chosen_point)
    servable = set(
        MealOrder.objects.visible_to(access, "serve")
        .filter(pk__in=[o.pk for o in orders])
        .values_list("pk", flat=True)
    )
    cancellable = set()
    if rules.may_order(access):
        cancellable = set(
            MealOrder.objects.visible_to(access, "cancel")
            .filter(pk__in=[o.pk for o in orders], status=MealOrder.Status.ORDERED)
            .values_list("pk", flat=True)
        )
    rows = [
        {
            "order": o,
            "address": address_of(o.deliver_to) if o.mode == MealOrder.Mode.DELIVERY else "",
            "may_serve": o.pk in servable and o.status == MealOrder.Status.ORDERED,
            "may_cancel": o.pk in cancellable,
        }
        for o in orders
    ]
    return render(
        request,
        "meals/day.html",
        {
            "form": form,
            "day": chosen_day,
            "rows": rows,
            "served": sum(1 for r in rows if r["order"].status == MealOrder.Status.SERVED),
            "sees_subsidy": rules.sees_subsidy(access),
            "may_order": rules.may_order(access),
            "back": request.get_full_path(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest) -> HttpResponse:
    """Find the person by name among those one may order for, then the point, day, meal and
    whether it is eaten there or delivered."""
    access = page_access(request)
    access.require(rules.may_order(access))
    search = PersonSearchForm(request.GET or None)
    candidates = rules.orderable_persons(access)
    matches = []
    if search.is_valid() and (name := search.cleaned_data["q"].strip()):
        matches = list(
            candidates.filter(name__icontains=name).order_by("name", "pk")[: MATCHES + 1]
        )
    person = None
    if request.GET.get("person", "").isdigit():
        person = get_object_or_404(candidates, pk=int(request.GET["person"]))
    points_qs = rules.points_for(access)
    form = OrderForm(
        request.POST if request.method == "POST" else None,
        points=points_qs,
        initial={"day": clock.today(), "mode": MealOrder.Mode.DINE_IN},
    )
    status = 200
    if request.method == "POST":
        if person is None:
            form.add_error(None, _("Find the person by name and choose them first."))
        if form.is_valid() and person is not None:
            try:
                placed = services.place_order(access, person=person, **form.cleaned_data)
            except ValidationError as exc:
                show_errors(exc, form)
            else:
                url = reverse("meals:day")
                return redirect(f"{url}?day={placed.day.isoformat()}&point={placed.point_id}")
        status = 400
    return render(
        request,
        "meals/order.html",
        {
            "search": search,
            "matches": matches[:MATCHES],
            "more": len(matches) > MATCHES,
            "person": person,
            "address": address_of(person.dwelling) if person and person.dwelling_id else "",
            "form": form,
            "is_operator": rules.is_operator(access),
        },
        status=status,
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("meals:day")
    return redirect(target)


@login_required
@require_POST
def serve(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = get_object_or_404(MealOrder.objects.visible_to(access), pk=pk)
    # Served already (a second tap): the list shows it served.
    with contextlib.suppress(ValidationError):
        services.serve_order(access, found)
    return _back(request)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = get_object_or_404(MealOrder.objects.visible_to(access), pk=pk)
    # Served or cancelled already: the list shows which.
    with contextlib.suppress(ValidationError):
        services.cancel_order(access, found)
    return _back(request)


def _month(request: HttpRequest) -> tuple[MonthForm, dt.date, dt.date]:
    form = MonthForm(request.GET or None)
    first = clock.today().replace(day=1)
    if form.is_valid() and form.cleaned_data["month"]:
        first = form.cleaned_data["month"].replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return form, first, last


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_read_statistics(access))
    form, first, last = _month(request)
    days = statistics.per_point_and_day(first, last)
    return render(
        request,
        "meals/statistics.html",
        {
            "form": form,
            "first": first,
            "days": days,
            "months": statistics.subsidies_per_month(first, last),
            "bands": sorted(
                statistics.subsidy_by_age_band(first, last).items(),
                key=lambda item: -1 if item[0] is None else item[0],
            ),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_read_statistics(access))
    _form, first, last = _month(request)
    return xlsx_response(
        exports.statistics_workbook(access, first, last), f"meals-{first:%Y-%m}.xlsx"
    )
