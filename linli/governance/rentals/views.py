"""Group-rental pages: the list of files, a lead, the phone inspection, a file with its next
steps, the notice PDF, joint enforcement, re-inspections, the quarters' certification, the
statistics with their Excel export, and the map."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.cases.models import Case
from linli.core import clock, parameters, spreadsheets
from linli.core.access import Access
from linli.core.http import page_access, pdf_response, show_errors, xlsx_response
from linli.governance.rentals import forms, rules, services, statistics
from linli.governance.rentals.checks import RULE_LABELS, describe
from linli.governance.rentals.map_layers import rental_layers
from linli.governance.rentals.models import GroupRental, RectificationNotice, ReInspection
from linli.governance.rentals.notice import notice_pdf
from linli.people.models import Dwelling
from linli.registry.models import Quarter

PAGE_SIZE = 50
FOUND = 20
RELATED = "dwelling__unit__building__quarter"


def _access(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_see_rentals(access))
    return access


def _file(access: Access, pk: int) -> GroupRental:
    return get_object_or_404(GroupRental.objects.visible_to(access).select_related(RELATED), pk=pk)


@login_required
def file_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    files = GroupRental.objects.visible_to(access).select_related(RELATED)
    stage = request.GET.get("stage", "")
    if stage in GroupRental.Stage.values:
        files = files.filter(stage=stage)
    page = Paginator(files, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rentals/list.html",
        {
            "page": page,
            "rows": [(f, services.address_of(f.dwelling)) for f in page],
            "stages": GroupRental.Stage.choices,
            "stage": stage,
            "query": f"stage={stage}" if stage else "",
        },
    )


@login_required
def find_dwelling(request: HttpRequest) -> HttpResponse:
    """Step one of a lead: find the dwelling among those the person works on."""
    access = _access(request)
    form = forms.DwellingSearchForm(request.GET or None)
    found: list[tuple[Dwelling, str]] = []
    if form.is_valid() and (words := form.cleaned_data["q"].split()):
        dwellings = Dwelling.objects.select_related("unit__building__quarter")
        condition = rules.dwellings_condition(access, "")
        if condition is not True:
            dwellings = dwellings.filter(condition) if condition else dwellings.none()
        for word in words:
            dwellings = dwellings.filter(
                Q(number__icontains=word)
                | Q(unit__number__icontains=word)
                | Q(unit__building__number__icontains=word)
                | Q(unit__building__quarter__name__icontains=word)
                | Q(unit__building__address__icontains=word)
            )
        found = [(d, services.address_of(d)) for d in dwellings.order_by("pk")[:FOUND]]
    return render(
        request,
        "rentals/find.html",
        {"form": form, "found": found, "case": request.GET.get("case", "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_lead(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    condition = rules.dwellings_condition(access, "")
    dwellings = Dwelling.objects.select_related("unit__building__quarter")
    if condition is not True:
        dwellings = dwellings.filter(condition) if condition else dwellings.none()
    dwelling: Dwelling = get_object_or_404(dwellings, pk=pk)
    case_number = request.GET.get("case", "")
    initial = {
        "reported_on": clock.today(),
        "case": case_number,
        "source": GroupRental.Source.CASE if case_number else GroupRental.Source.PATROL,
    }
    form = forms.LeadForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["case"]:
            case = Case.objects.visible_to(access).filter(number=data["case"].strip()).first()
            if case is None:
                form.add_error("case", _("There is no such case."))
        if not form.errors:
            try:
                group_rental = services.record_lead(
                    dwelling,
                    actor=access,
                    source=data["source"],
                    description=data["description"],
                    reported_on=data["reported_on"],
                    case=case,
                )
            except ValidationError as exc:
                show_errors(exc, form)
            else:
                messages.success(request, _("The lead is recorded."))
                return redirect("rentals:detail", pk=group_rental.pk)
    return render(
        request,
        "rentals/lead.html",
        {"form": form, "dwelling": dwelling, "address": services.address_of(dwelling)},
        status=400 if form.errors else 200,
    )


def _breaches(inspection: Any) -> list[dict[str, Any]]:
    rooms = {room.position: room for room in inspection.rooms.all()}
    return [
        {
            "rule": RULE_LABELS.get(b.get("rule"), b.get("rule")),
            "room": rooms.get(b.get("room")),
            "text": describe(b),
            "parameter": b.get("parameter"),
            "parameter_label": parameters.get(b["parameter"]).label if b.get("parameter") else "",
            "limit": b.get("limit"),
            "version": b.get("version"),
        }
        for b in inspection.breaches
    ]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    group_rental = _file(access, pk)
    inspections = [
        (i, _breaches(i))
        for i in group_rental.inspections.prefetch_related("rooms").select_related("inspector")
    ]
    return render(
        request,
        "rentals/detail.html",
        {
            "file": group_rental,
            "address": services.address_of(group_rental.dwelling),
            "inspections": inspections,
            "notices": group_rental.notices.select_related("overdue_case"),
            "enforcements": group_rental.enforcements.prefetch_related("departments"),
            "reinspections": group_rental.reinspections.select_related("overdue_case"),
            "may_inspect": rules.may_inspect(access, group_rental),
            "may_notice": rules.may_issue_notice(access, group_rental),
            "may_enforce": rules.may_record_enforcement(access, group_rental),
            "may_reinspect": rules.may_reinspect(access, group_rental),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspect(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone form: the rooms as originally designed, their area and who sleeps there."""
    access = _access(request)
    group_rental = _file(access, pk)
    access.require(rules.may_inspect(access, group_rental))
    form = forms.InspectionForm(request.POST or None, initial={"inspected_on": clock.today()})
    rooms = forms.RoomFormSet(request.POST or None, prefix="rooms")
    if request.method == "POST" and form.is_valid() and rooms.is_valid():
        try:
            services.record_inspection(
                group_rental,
                actor=access,
                rooms=forms.rooms_of(rooms),
                inspected_on=form.cleaned_data["inspected_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The inspection is recorded."))
            return redirect("rentals:detail", pk=group_rental.pk)
    invalid = request.method == "POST"
    return render(
        request,
        "rentals/inspect.html",
        {
            "form": form,
            "rooms": rooms,
            "file": group_rental,
            "address": services.address_of(group_rental.dwelling),
        },
        status=400 if invalid else 200,
    )


@login_required
@require_POST
def issue_notice(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    group_rental = _file(access, pk)
    access.require(rules.may_issue_notice(access, group_rental))
    try:
        services.issue_notice(group_rental, actor=access)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The notice is issued."))
    return redirect("rentals:detail", pk=group_rental.pk)


@login_required
def notice_file(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    notice = get_object_or_404(
        RectificationNotice.objects.visible_to(access).select_related(
            f"group_rental__{RELATED}", "group_rental__subdistrict", "inspection"
        ),
        pk=pk,
    )
    return pdf_response(notice_pdf(notice), f"{notice.number}.pdf")


def _step_page(
    request: HttpRequest,
    form: Any,
    group_rental: GroupRental,
    record: Any,
    *,
    done: str,
    title: str,
    button: str,
) -> HttpResponse:
    """A step of a file on its own form: the verb ``record(**cleaned_data)`` runs on a valid
    post and its refusals land on their fields; back to the file when it is recorded."""
    if request.method == "POST" and form.is_valid():
        try:
            record(**form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, done)
            return redirect("rentals:detail", pk=group_rental.pk)
    return render(
        request,
        "rentals/form.html",
        {
            "form": form,
            "file": group_rental,
            "address": services.address_of(group_rental.dwelling),
            "title": title,
            "button": button,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enforce(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    group_rental = _file(access, pk)
    access.require(rules.may_record_enforcement(access, group_rental))
    return _step_page(
        request,
        forms.EnforcementForm(request.POST or None, initial={"on": clock.today()}),
        group_rental,
        lambda **data: services.record_enforcement(group_rental, actor=access, **data),
        done=_("The joint enforcement is recorded."),
        title=_("Record joint enforcement"),
        button=_("Save the enforcement"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reinspect(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    reinspection = get_object_or_404(
        ReInspection.objects.visible_to(access).select_related(f"group_rental__{RELATED}"),
        pk=pk,
    )
    group_rental = reinspection.group_rental
    access.require(rules.may_reinspect(access, group_rental))
    return _step_page(
        request,
        forms.ReInspectionForm(request.POST or None, initial={"done_on": clock.today()}),
        group_rental,
        lambda **data: services.record_reinspection(reinspection, actor=access, **data),
        done=_("The re-inspection is recorded."),
        title=_("Re-inspection due on %(date)s") % {"date": reinspection.due_on},
        button=_("Save the re-inspection"),
    )


def _quarters(access: Access) -> Any:
    quarters = Quarter.objects.order_by("name")
    if rules.whole_subdistrict(access):
        return quarters
    condition = rules.dwellings_condition(access, "residential_buildings__units__dwellings")
    return quarters.filter(condition).distinct() if condition else quarters.none()


@login_required
def quarters(request: HttpRequest) -> HttpResponse:
    """Each quarter's files and whether it is certified group-rental-free."""
    access = _access(request)
    figures = {f.quarter_id: f for f in statistics.by_quarter(access)}
    rows = [
        (q, figures.get(q.pk) or statistics.QuarterFigures(q.pk, q.name)) for q in _quarters(access)
    ]
    return render(
        request,
        "rentals/quarters.html",
        {
            "rows": rows,
            "may_certify": rules.may_certify(access),
            "form": forms.CertificationForm(initial={"certified_on": clock.today()}),
        },
    )


@login_required
@require_POST
def certify(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    access.require(rules.may_certify(access))
    quarter: Quarter = get_object_or_404(Quarter.objects.all(), pk=pk)
    form = forms.CertificationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("rentals:quarters")
    try:
        services.certify_quarter(
            quarter,
            actor=access,
            certified_on=form.cleaned_data["certified_on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(quarter)s is certified group-rental-free.") % {"quarter": quarter.name}
        )
    return redirect("rentals:quarters")


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    today = clock.today()
    return render(
        request,
        "rentals/statistics.html",
        {
            "totals": statistics.totals(access, on=today),
            "by_stage": [
                (label, statistics.by_stage(access)[value])
                for value, label in GroupRental.Stage.choices
            ],
            "stages": GroupRental.Stage.choices,
            "quarters": statistics.by_quarter(access),
            "due": [
                (r, services.address_of(r.group_rental.dwelling))
                for r in statistics.reinspections_due(access, on=today)
            ],
            "today": today,
            "may_export": rules.may_act(access),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    access.require(rules.may_act(access))
    today = clock.today()
    stages = GroupRental.Stage.choices
    book = spreadsheets.new_workbook()
    spreadsheets.add_sheet(
        book,
        _("By quarter"),
        [
            [_("Quarter"), *[str(label) for _value, label in stages], _("Open"), _("Certified on")],
            *[
                [
                    q.name,
                    *[q.stages.get(value, 0) for value, _label in stages],
                    q.open,
                    q.certified_on.isoformat() if q.certified_on else "",
                ]
                for q in statistics.by_quarter(access)
            ],
        ],
    )
    spreadsheets.add_sheet(
        book,
        _("Re-inspections due"),
        [
            [_("Dwelling"), _("Due on"), _("Months"), _("Case")],
            *[
                [
                    services.address_of(r.group_rental.dwelling),
                    r.due_on.isoformat(),
                    r.months,
                    r.overdue_case.number if r.overdue_case else "",
                ]
                for r in statistics.reinspections_due(access, on=today)
            ],
        ],
    )
    return xlsx_response(spreadsheets.workbook_bytes(book), f"group-rentals-{today}.xlsx")


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    _access(request)
    return render(request, "rentals/map.html")


@login_required
def map_layers(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    return JsonResponse(rental_layers(access), json_dumps_params={"ensure_ascii": False})
