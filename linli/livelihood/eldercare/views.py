"""Elderly care pages: the elders, an elder's file, an order, the caregiver's day, hours
delivered against hours entitled, care homes and the statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import clock
from linli.core.access import Access
from linli.core.http import page_access, show_errors
from linli.livelihood.eldercare import exports, forms, grades, rules, services, statistics
from linli.livelihood.eldercare.models import (
    Assessment,
    CareOrder,
    CareVisit,
    ElderFile,
    EmergencyContact,
)
from linli.livelihood.eldercare.planner import month_bounds
from linli.people.models import Person
from linli.people.presenting import address_of

PAGE_SIZE = 50


def _elder(access: Access, pk: int) -> Person:
    """A person whose care the reader manages; anyone else does not exist for them (404)."""
    condition = rules.staff_persons(access)
    if condition is False:
        raise Http404
    people = Person.objects.all() if condition is True else Person.objects.filter(condition)
    return get_object_or_404(people.select_related("dwelling__unit__building__quarter"), pk=pk)


def _grade_now() -> Subquery:
    today = clock.today()
    return Subquery(
        Assessment.objects.filter(
            person_id=OuterRef("person_id"), assessed_on__lte=today, valid_until__gte=today
        )
        .order_by("-assessed_on", "-pk")
        .values("grade")[:1]
    )


@login_required
def elders(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.is_care_staff(access))
    name = request.GET.get("name", "").strip()
    files = (
        ElderFile.objects.visible_to(access).select_related("person").annotate(grade=_grade_now())
    )
    if name:
        files = files.filter(person__name__contains=name)
    page = Paginator(files.order_by("person__name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    without_file: list[Person] = []
    if name:
        condition = rules.staff_persons(access)
        born_before = clock.today().replace(year=clock.today().year - services.ELDERLY_AGE)
        candidates = Person.objects.filter(
            name__contains=name, birth_date__lte=born_before, status=Person.Status.LIVING
        ).exclude(elder_file__isnull=False)
        if condition is not True:
            candidates = candidates.filter(condition)
        without_file = list(candidates[:20])
    return render(
        request,
        "eldercare/elders.html",
        {"page": page, "name": name, "without_file": without_file},
    )


ELDER_FORMS = {
    "open": forms.LivingForm,
    "living": forms.LivingForm,
    "contact": forms.ContactForm,
    "assess": forms.AssessmentForm,
    "order": forms.OrderForm,
}


def _elder_action(access: Access, person: Person, action: str, form: Any) -> None:
    data = form.cleaned_data
    file = ElderFile.objects.filter(person=person).first()
    if action == "open":
        services.open_file(access, person, living=data["living"])
    elif file is None:
        raise ValidationError(_("Open the elder's file first."))
    elif action == "living":
        services.set_living(access, file, living=data["living"])
    elif action == "contact":
        services.add_contact(
            access, file, name=data["name"], relation=data["relation"], phone=data["phone"]
        )
    elif action == "assess":
        services.record_assessment(
            access,
            person,
            grade=data["grade"],
            assessed_on=data["assessed_on"],
            assessor=data["assessor"],
            cognitive_impairment=data["cognitive_impairment"],
            legal_basis=data["legal_basis"],
        )
    else:
        services.request_order(
            access,
            person,
            kind=data["kind"],
            provider=data["provider"],
            facility=data["facility"],
            note=data["note"],
        )


@login_required
@require_http_methods(["GET", "POST"])
def elder(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    person = _elder(access, pk)
    bound: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ELDER_FORMS:
            raise Http404
        form = ELDER_FORMS[action](request.POST)
        bound[action] = form
        if form.is_valid():
            try:
                _elder_action(access, person, action, form)
            except ValidationError as exc:
                show_errors(exc, form)
            else:
                return redirect("eldercare:elder", pk=person.pk)
        status = 400
    file = ElderFile.objects.filter(person=person).first()
    today = clock.today()
    context = {
        "person": person,
        "age": person.age_on(today),
        "address": address_of(person.dwelling),
        "file": file,
        "contacts": EmergencyContact.objects.visible_to(access).filter(elder=file) if file else [],
        "assessments": Assessment.objects.visible_to(access).filter(person=person),
        "rights": grades.entitlements(person, today),
        "orders": CareOrder.objects.visible_to(access)
        .filter(person=person)
        .select_related("provider", "facility"),
        **{
            f"{key}_form": bound.get(key)
            or cls(initial={"living": file.living} if file and key == "living" else None)
            for key, cls in ELDER_FORMS.items()
        },
    }
    return render(request, "eldercare/elder.html", context, status=status)


ORDER_STEPS = ("approve", "schedule", "suspend", "resume", "cancel", "rate")


def _order_step(access: Access, order: CareOrder, step: str, data: dict[str, Any]) -> None:
    on = data.get("on") or clock.today()
    if step == "approve":
        services.approve_order(access, order, on=on)
    elif step == "schedule":
        services.schedule_order(access, order, month=data.get("month"))
    elif step == "suspend":
        services.suspend_order(access, order, on=on, reason=data.get("reason") or "")
    elif step == "resume":
        services.resume_order(access, order, on=on)
    elif step == "cancel":
        services.cancel_order(access, order, reason=data.get("reason") or "")
    else:
        visit = get_object_or_404(order.visits.all(), pk=data.get("visit") or 0)
        services.rate_visit(access, visit, rating=data.get("rating") or 0)


@login_required
@require_http_methods(["GET", "POST"])
def order(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    found = get_object_or_404(
        CareOrder.objects.visible_to(access).select_related("person", "provider", "facility"), pk=pk
    )
    manages = rules.may_manage(access, found.person)
    form = forms.ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "")
        if step not in ORDER_STEPS:
            raise Http404
        access.require(manages)
        if form.is_valid():
            try:
                _order_step(access, found, step, form.cleaned_data)
            except ValidationError as exc:
                show_errors(exc, form, aliases={"status": "reason", "on": "on"})
            else:
                return redirect("eldercare:order", pk=found.pk)
        status = 400
    month = clock.today()
    return render(
        request,
        "eldercare/order.html",
        {
            "order": found,
            "address": address_of(found.person.dwelling),
            "manages": manages,
            "form": form,
            "visits": found.visits.order_by("-starts_at")[:62],
            "month": month,
        },
        status=status,
    )


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The caregiver's day, on a phone: name, address, slot, grade; check in and out."""
    access = page_access(request)
    access.require(rules.is_caregiver(access))
    day = clock.today()
    zone = clock.local_zone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    visits = (
        CareVisit.objects.visible_to(access)
        .filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
        .exclude(status=CareVisit.Status.CANCELLED)
        .select_related("order__person__dwelling__unit__building__quarter")
        .order_by("starts_at", "pk")
    )
    rows = [(v, address_of(v.order.person.dwelling)) for v in visits]
    return render(request, "eldercare/today.html", {"rows": rows, "day": day})


@login_required
@require_POST
def visit_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    access = page_access(request)
    if step not in ("check-in", "check-out"):
        raise Http404
    visit = get_object_or_404(CareVisit.objects.visible_to(access).select_related("order"), pk=pk)
    verb = services.check_in if step == "check-in" else services.check_out
    try:
        verb(access, visit, lat=request.POST.get("lat"), lon=request.POST.get("lon"))
    except ValidationError as exc:
        return render(request, "eldercare/refused.html", {"messages_": exc.messages}, status=400)
    return redirect("eldercare:today")


def _month(request: HttpRequest) -> dt.date:
    try:
        return dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()  # noqa: DTZ007 - a month, no time
    except ValueError:
        return month_bounds(clock.today())[0]


@login_required
def hours(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.is_care_staff(access) or rules.is_caregiver(access))
    month = _month(request)
    persons = statistics.hours_by_person(access, month)
    providers = statistics.hours_by_provider(access, month)
    if request.GET.get("export") == "xlsx":
        return exports.hours_workbook(access, month, persons, providers)
    return render(
        request,
        "eldercare/hours.html",
        {"month": month, "persons": persons, "providers": providers},
    )


@login_required
def care_homes(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.is_care_staff(access))
    homes = statistics.care_homes(access)
    for row in homes:
        row["waiting_list"] = statistics.waiting_list(access, row["facility"])
    return render(request, "eldercare/care_homes.html", {"homes": homes})


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_read_statistics(access))
    month = _month(request)
    kinds = dict(CareOrder.Kind.choices)
    figures = {
        "by_grade": [
            {**row, "kind_label": kinds[row["kind"]]} for row in statistics.orders_by_grade(access)
        ],
        "providers": statistics.hours_by_provider(access, month),
        "homes": statistics.care_homes(access),
    }
    if request.GET.get("export") == "xlsx":
        return exports.statistics_workbook(access, month, figures)
    return render(request, "eldercare/statistics.html", {"month": month, **figures})
