"""Mediation pages: the cases (and their Excel export), opening a case, one case with its
parties (phones masked), sessions and outcome, the actions on it, the agreement PDF and the
signed scan. Changes go through ``services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.access import Access
from linli.core.http import page_access, pdf_response, show_errors, uploaded_file, xlsx_response
from linli.core.models import User
from linli.core.spreadsheets import rows_to_xlsx
from linli.governance.mediation import rules, services
from linli.governance.mediation.agreement import agreement_pdf
from linli.governance.mediation.forms import (
    CaseForm,
    CloseForm,
    ConfirmForm,
    FollowUpForm,
    SessionForm,
    SignForm,
)
from linli.governance.mediation.models import MediationCase, Party, SignedScan

PAGE_SIZE = 25


def _user(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_use(access))
    return access


def _cases(access: Access, request: HttpRequest) -> Any:
    found = (
        MediationCase.objects.visible_to(access)
        .select_related("quarter", "mediator")
        .prefetch_related("parties")
    )
    if (status := request.GET.get("status")) in MediationCase.Status.values:
        found = found.filter(status=status)
    return found


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mediation/list.html",
        {
            "page": Paginator(_cases(access, request), PAGE_SIZE).get_page(request.GET.get("page")),
            "statuses": MediationCase.Status.choices,
            "status": request.GET.get("status", ""),
            "query": query.urlencode(),
            "may_open": rules.may_open(access),
        },
    )


@login_required
def cases_xlsx(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    table: list[list[Any]] = [
        [
            _("Case number"),
            _("Quarter"),
            _("Kind of dispute"),
            _("Parties"),
            _("Mediator"),
            _("Status"),
            _("Opened on"),
            _("Closed on"),
            _("Follow-up visit due"),
            _("Judicial confirmation on"),
        ]
    ]
    for case in _cases(access, request):
        table.append(
            [
                case.number,
                str(case.quarter),
                case.get_kind_display(),
                "; ".join(f"{p.name} {p.masked_phone}".strip() for p in case.parties.all()),
                str(case.mediator),
                case.get_status_display(),
                case.opened_on,
                case.closed_on,
                case.follow_up_due,
                case.confirmed_on,
            ]
        )
    content = rows_to_xlsx(_("Mediation cases")[:31], table)
    return xlsx_response(content, f"mediation-cases-{clock.today():%Y%m%d}.xlsx")


@login_required
def new(request: HttpRequest) -> HttpResponse:
    access = _user(request)
    access.require(rules.may_open(access))
    mediators = User.objects.filter(pk__in=rules.mediators(access).values("user_id"))
    form = CaseForm(
        request.POST or None,
        quarters=rules.quarters(access),
        mediators=mediators.order_by("username"),
        initial={"mediator": access.user},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = [
            services.PartyInput(Party.Side.APPLICANT, data["party_0_name"], data["party_0_phone"]),
            services.PartyInput(Party.Side.RESPONDENT, data["party_1_name"], data["party_1_phone"]),
        ]
        try:
            case = services.open_case(
                access,
                quarter=data["quarter"],
                kind=data["kind"],
                summary=data["summary"],
                mediator=data["mediator"],
                parties=parties,
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The mediation case is opened."))
            return redirect("mediation:case", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "mediation/new.html", {"form": form}, status=status)


def _case(request: HttpRequest, pk: int) -> tuple[Access, MediationCase]:
    access = _user(request)
    found = get_object_or_404(
        MediationCase.objects.visible_to(access).select_related("quarter", "mediator"), pk=pk
    )
    return access, found


def _render_case(
    request: HttpRequest,
    access: Access,
    case: MediationCase,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    today = clock.today()
    blank = {
        "session": SessionForm(initial={"held_on": today}),
        "close": CloseForm(initial={"on": today}),
        "sign": SignForm(initial={"signed_on": today}),
        "follow_up": FollowUpForm(initial={"on": today}),
        "confirm": ConfirmForm(initial={"on": today}),
    }
    return render(
        request,
        "mediation/case.html",
        {
            "case": case,
            "parties": case.parties.all(),
            "sessions": case.sessions.all(),
            "scan": SignedScan.objects.filter(case=case).exists(),
            "allowed": rules.actions(access, case),
            "forms": {**blank, **(bound or {})},
        },
        status=status,
    )


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    access, found = _case(request, pk)
    return _render_case(request, access, found)


Verb = Callable[[MediationCase, Access, dict[str, Any]], object]
ACTIONS: dict[str, tuple[type[forms.Form], Verb, Promise]] = {
    "session": (
        SessionForm,
        lambda c, a, d: services.record_session(c, actor=a, **d),
        gettext_lazy("The session is recorded."),
    ),
    "close": (
        CloseForm,
        lambda c, a, d: services.close_case(c, actor=a, **d),
        gettext_lazy("The outcome is recorded."),
    ),
    "sign": (
        SignForm,
        lambda c, a, d: services.sign_agreement(c, actor=a, **d),
        gettext_lazy("The signed agreement is recorded."),
    ),
    "follow_up": (
        FollowUpForm,
        lambda c, a, d: services.record_follow_up(c, actor=a, **d),
        gettext_lazy("The follow-up visit is recorded."),
    ),
    "confirm": (
        ConfirmForm,
        lambda c, a, d: services.confirm_judicially(c, actor=a, **d),
        gettext_lazy("The judicial confirmation is recorded."),
    ),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One of the case's actions (``ACTIONS``): its form, its verb."""
    if action not in ACTIONS:
        raise Http404
    access, found = _case(request, pk)
    form_class, verb, done = ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            verb(found, access, form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, str(done))
            return redirect("mediation:case", pk=found.pk)
    return _render_case(request, access, found, 400, {action: form})


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    _access, found = _case(request, pk)
    if found.status != MediationCase.Status.AGREED:
        raise Http404
    return pdf_response(agreement_pdf(found), f"mediation-agreement-{found.number}.pdf")


@login_required
def scan(request: HttpRequest, pk: int) -> HttpResponseBase:
    _access, found = _case(request, pk)
    stored = SignedScan.objects.filter(case=found).first()
    if stored is None:
        raise Http404
    return uploaded_file(stored.file, stored.content_type)
