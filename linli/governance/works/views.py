"""Sporadic-works pages: the ledger with its filters and Excel export, the registration form
(residents and shops at their own place, staff anywhere in their area), works found without
registration, a registration with its verbs as forms (site notice, inspection, waste removal,
completion), the site notice PDF, the public page its QR code opens, and the map layer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST
from django_scopes import scope, scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.http import page_access, pdf_response, show_errors, xlsx_response
from linli.core.spreadsheets import about_rows, rows_to_xlsx
from linli.governance.works import classification, forms, rules, services
from linli.governance.works.map_layers import works_layer
from linli.governance.works.models import Works
from linli.governance.works.notice import notice_pdf

PAGE_SIZE = 50
FOUND = 20


def _access(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_see_works(access))
    return access


def _works(access: Access, pk: int) -> Works:
    return get_object_or_404(
        Works.objects.visible_to(access).select_related("quarter", "grid", "case"), pk=pk
    )


def _filtered(access: Access, request: HttpRequest) -> tuple[forms.ListFilter, QuerySet[Works]]:
    form = forms.ListFilter(request.GET or None)
    rows = Works.objects.visible_to(access).select_related("quarter")
    if form.is_valid():
        data = form.cleaned_data
        if data["stage"]:
            rows = rows.filter(stage=data["stage"])
        if data["quarter"] is not None:
            rows = rows.filter(quarter=data["quarter"])
        if data["classification"]:
            rows = rows.filter(classification=data["classification"])
    return form, rows


@login_required
def works_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form, rows = _filtered(access, request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "works/list.html",
        {
            "form": form,
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "may_export": rules.may_export(access),
            "may_find": rules.may_record_unregistered(access),
        },
        status=400 if form.errors else 200,
    )


@login_required
def works_export(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    access.require(rules.may_export(access))
    form, rows = _filtered(access, request)
    if form.errors:
        return works_list(request)
    shown = [
        (str(form.fields[name].label), str(value))
        for name, value in (form.cleaned_data.items() if form.is_bound else ())
        if value
    ]
    table = [
        [
            _("Number"),
            _("Address"),
            _("Quarter"),
            _("Classification"),
            _("Kind of works"),
            _("Starts on"),
            _("Ends on"),
            _("Contractor"),
            _("Stage"),
            _("Completed on"),
            _("Case"),
        ],
        *[
            [
                w.number,
                w.address,
                w.quarter.name if w.quarter else "",
                classification.label(w.classification) if w.classification else "",
                "、".join(classification.label(code) for code in w.scopes),
                w.starts_on.isoformat(),
                w.ends_on.isoformat(),
                w.contractor,
                w.get_stage_display(),
                w.completed_on.isoformat() if w.completed_on else "",
                w.case.number if w.case else "",
            ]
            for w in rows.select_related("case")
        ],
    ]
    about = about_rows(_("Sporadic works"), str(access.subdistrict), shown, clock.now())
    content = rows_to_xlsx(_("Sporadic works"), table, about=about)
    return xlsx_response(content, f"works-{clock.today():%Y%m%d}.xlsx")


def _place_choices(request: HttpRequest, access: Access) -> dict[str, Any]:
    """The places the page offers: the person's own (a resident's home, a shop's premises),
    or for staff what their search found in their area; and the one chosen (``?dwelling=`` or
    ``?enterprise=``)."""
    search = forms.SearchForm(request.GET or None)
    dwellings = services.dwellings_for(access)
    enterprises = services.enterprises_for(access)
    if rules.is_staff_of_works(access):
        found_dwellings: list[Any] = []
        found_enterprises: list[Any] = []
        if search.is_valid() and (words := search.cleaned_data["q"].split()):
            for word in words:
                dwellings = dwellings.filter(
                    Q(number__icontains=word)
                    | Q(unit__number__icontains=word)
                    | Q(unit__building__number__icontains=word)
                    | Q(unit__building__quarter__name__icontains=word)
                )
                enterprises = enterprises.filter(name__icontains=word)
            found_dwellings = list(dwellings.order_by("pk")[:FOUND])
            found_enterprises = list(enterprises.order_by("pk")[:FOUND])
    else:
        found_dwellings = list(dwellings.order_by("pk")[:FOUND])
        found_enterprises = list(enterprises.order_by("pk")[:FOUND])
    dwelling_pk, enterprise_pk = request.GET.get("dwelling", ""), request.GET.get("enterprise", "")
    if not (rules.is_staff_of_works(access) or dwelling_pk or enterprise_pk):
        # A resident with one home (a shop with one premises) registers there unless they
        # choose otherwise.
        own = [*found_dwellings, *found_enterprises]
        if len(own) == 1:
            dwelling_pk = str(own[0].pk) if found_dwellings else ""
            enterprise_pk = str(own[0].pk) if found_enterprises else ""
    chosen: dict[str, Any] = {}
    if (pk := dwelling_pk).isdigit():
        dwelling = get_object_or_404(services.dwellings_for(access), pk=int(pk))
        chosen = {"place": Works.Place.DWELLING, "dwelling": dwelling.pk}
        chosen_label = services.address_of_dwelling(dwelling)
    elif (pk := enterprise_pk).isdigit():
        enterprise = get_object_or_404(services.enterprises_for(access), pk=int(pk))
        chosen = {"place": Works.Place.PREMISES, "enterprise": enterprise.pk}
        chosen_label = services.address_of_premises(enterprise)
    else:
        chosen = {"place": Works.Place.ADDRESS}
        chosen_label = ""
    return {
        "search": search,
        "staff": rules.is_staff_of_works(access),
        "dwellings": [(d, services.address_of_dwelling(d)) for d in found_dwellings],
        "enterprises": [(e, services.address_of_premises(e)) for e in found_enterprises],
        "initial": chosen,
        "chosen_label": chosen_label,
    }


def _place(access: Access, data: dict[str, Any]) -> services.Place:
    dwelling = enterprise = None
    if data["place"] == Works.Place.DWELLING and data.get("dwelling"):
        dwelling = services.dwellings_for(access).filter(pk=data["dwelling"]).first()
    if data["place"] == Works.Place.PREMISES and data.get("enterprise"):
        enterprise = services.enterprises_for(access).filter(pk=data["enterprise"]).first()
    return services.Place(
        kind=data["place"],
        dwelling=dwelling,
        enterprise=enterprise,
        address=data.get("address", ""),
        grid=data.get("grid"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    access.require(rules.may_register(access))
    places = _place_choices(request, access)
    grids = services.grids_for(access) if places["staff"] else None
    form = forms.RegisterForm(
        request.POST or None,
        grids=grids,
        initial={**places["initial"], "starts_on": clock.today(), "ends_on": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            works = services.register_works(
                actor=access,
                place=_place(access, data),
                scopes=data["scopes"],
                description=data["description"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                contractor=data["contractor"],
                approval=data["approval"],
            )
        except ValidationError as exc:
            show_errors(exc, form, aliases=forms.PLACE_ALIASES)
        else:
            messages.success(
                request, _("The works are registered as %(number)s.") % {"number": works.number}
            )
            return redirect("works:detail", pk=works.pk)
    return render(
        request,
        "works/register.html",
        {
            **places,
            "form": form,
            "title": _("Register works"),
            "button": pgettext("works", "Register"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unregistered(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    access.require(rules.may_record_unregistered(access))
    places = _place_choices(request, access)
    form = forms.UnregisteredForm(
        request.POST or None,
        grids=services.grids_for(access),
        initial={**places["initial"], "found_on": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            works, new = services.record_unregistered(
                actor=access,
                place=_place(access, data),
                scopes=data["scopes"],
                description=data["description"],
                found_on=data["found_on"],
            )
        except ValidationError as exc:
            show_errors(exc, form, aliases=forms.PLACE_ALIASES)
        else:
            if new:
                messages.success(request, _("The finding is recorded and a case is open."))
            else:
                messages.info(request, _("These works were found already; their case is open."))
            return redirect("works:detail", pk=works.pk)
    return render(
        request,
        "works/register.html",
        {
            **places,
            "form": form,
            "title": _("Works found without registration"),
            "button": _("Record the finding"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _detail(
    request: HttpRequest, access: Access, works: Works, status: int = 200, **bound: Any
) -> HttpResponse:
    today = clock.today()
    may = {
        "notice": rules.may_issue_notice(access, works),
        "inspect": rules.may_inspect(access, works),
        "waste": rules.may_book_waste(access, works),
        "complete": rules.may_complete(access, works),
    }
    inspection_form = bound.get("inspection") or forms.InspectionForm(
        initial={"inspected_on": today}, checklist=works.checklist
    )
    return render(
        request,
        "works/detail.html",
        {
            "works": works,
            "scopes": [classification.label(code) for code in works.scopes],
            "class_label": classification.label(works.classification),
            "checklist": [classification.item_label(code) for code in works.checklist],
            "inspections": [
                (i, [(classification.item_label(c.code), c) for c in i.items.all()])
                for i in works.inspections.prefetch_related("items").select_related("inspector")
            ],
            "removals": works.removals.all(),
            "may": may,
            "staff": rules.is_staff_of_works(access),
            "inspection_form": inspection_form,
            "waste_form": bound.get("waste")
            or forms.WasteForm(initial={"on": max(today, works.starts_on)}),
            "completion_form": bound.get("completion")
            or forms.CompletionForm(initial={"on": today}),
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    return _detail(request, access, _works(access, pk))


@login_required
@require_POST
def issue_notice(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    works = _works(access, pk)
    access.require(rules.may_issue_notice(access, works))
    try:
        services.issue_notice(works, actor=access)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The site notice is issued: print it for the door."))
    return redirect("works:detail", pk=works.pk)


def public_url(request: HttpRequest, works: Works) -> str:
    return request.build_absolute_uri(reverse("works:public", kwargs={"token": works.token}))


@login_required
def notice_file(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    works = _works(access, pk)
    if works.notice_issued_on is None:
        raise Http404
    return pdf_response(notice_pdf(works, public_url(request, works)), f"{works.number}.pdf")


def _record(
    request: HttpRequest,
    access: Access,
    works: Works,
    form: Any,
    name: str,
    verb: Any,
    done: str,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """A verb's form posted from the detail page: recorded and back to the page, or the page
    again (400) with the verb's errors on the form's fields."""
    if form.is_valid():
        try:
            verb(form)
        except ValidationError as exc:
            show_errors(exc, form, aliases=aliases)
        else:
            messages.success(request, done)
            return redirect("works:detail", pk=works.pk)
    return _detail(request, access, works, 400, **{name: form})


@login_required
@require_POST
def inspect(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    works = _works(access, pk)
    access.require(rules.may_inspect(access, works))
    return _record(
        request,
        access,
        works,
        forms.InspectionForm(request.POST, checklist=works.checklist),
        "inspection",
        lambda form: services.record_inspection(
            works,
            actor=access,
            results=form.results(),
            inspected_on=form.cleaned_data["inspected_on"],
            note=form.cleaned_data["note"],
        ),
        _("The inspection is recorded."),
    )


@login_required
@require_POST
def book_waste(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    works = _works(access, pk)
    access.require(rules.may_book_waste(access, works))
    return _record(
        request,
        access,
        works,
        forms.WasteForm(request.POST),
        "waste",
        lambda form: services.book_waste_removal(works, actor=access, **form.cleaned_data),
        _("The waste removal is booked."),
    )


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    works = _works(access, pk)
    access.require(rules.may_complete(access, works))
    return _record(
        request,
        access,
        works,
        forms.CompletionForm(request.POST),
        "completion",
        lambda form: services.record_completion(works, actor=access, **form.cleaned_data),
        _("The completion is recorded."),
        aliases={"completion_note": "note"},
    )


def public(request: HttpRequest, token: str) -> HttpResponse:
    """The page the site notice's QR code opens, without signing in: what is done where, when,
    by which contractor, and how far it is; no person, no phone number."""
    with scopes_disabled():
        found = Works.objects.select_related("subdistrict").filter(token=token).first()
    if found is None or found.notice_issued_on is None:
        raise Http404
    with scope(subdistrict=found.subdistrict):
        return render(
            request,
            "works/public.html",
            {
                "works": found,
                "scopes": [classification.label(code) for code in found.scopes],
                "inspections": list(found.inspections.order_by("inspected_on", "pk")),
                "removals": list(found.removals.all()),
            },
        )


@login_required
def map_layers(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    access.require(rules.may_export(access))
    return JsonResponse(works_layer(access), json_dumps_params={"ensure_ascii": False})
