"""Retention pages: the portfolio, an enterprise's profile, the phone visit log, notes, group
service, portfolio assignment, visit plans, overdue visits and the relocation watch list."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linli.cases.workflow import InvalidTransition
from linli.core import clock
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import access_of, show_errors, xlsx_response
from linli.core.models import Membership
from linli.core.roles import WHOLE_AREA, Role
from linli.enterprise.retention import queries, rules
from linli.enterprise.retention.assessment import assess
from linli.enterprise.retention.filters import EnterpriseFilter, VisitFilter
from linli.enterprise.retention.forms import (
    AssignForm,
    GroupServiceForm,
    NoteForm,
    PlanForm,
    VisitForm,
    butlers,
    demand_formset,
)
from linli.enterprise.retention.models import ButlerNote, VisitPlan
from linli.enterprise.retention.portfolio import enterprises as portfolio_enterprises
from linli.enterprise.retention.portfolio import portfolio_rows, portfolio_xlsx
from linli.enterprise.retention.services import (
    Demand,
    assign_portfolio,
    end_visit_plan,
    log_visit,
    pull_in_departments,
    save_visit_plan,
    write_note,
)
from linli.enterprise.retention.visit_log import case_numbers, visit_log, visit_log_xlsx
from linli.enterprise.retention.watchlist import watchlist, watchlist_xlsx
from linli.registry.models import Building, Enterprise
from linli.registry.rules import may_unmask_enterprise_contact
from linli.registry.timeline import enterprise_timeline

PAGE_SIZE = 50


def _enterprise(access: Access, pk: int) -> Enterprise:
    """The enterprise if ``access`` may see it (the registry's audience), else 404."""
    access.require(rules.can_use(access))
    qs = Enterprise.objects.visible_to(access).select_related("building", "butler")
    return get_object_or_404(qs, pk=pk)


def _visit_errors(form: VisitForm, rows: list[Any], exc: ValidationError) -> None:
    """Put each error next to what it is about: ``demands.<n>.extra.<key>`` on that question
    of that demand, ``demands.<n>.…`` on the demand, the rest on the visit."""
    about_demands = False
    for name, errors in exc.message_dict.items():
        parts = name.split(".")
        row = None
        if parts[0] == "demands" and len(parts) > 2 and int(parts[1]) < len(rows):
            row = rows[int(parts[1])]
            about_demands = True
        for error in errors:
            if row is not None and parts[2] == "extra" and len(parts) > 3:
                row.extra_error(parts[3], error)
            elif row is not None:
                row.add_error(parts[2] if parts[2] in row.fields else None, error)
            else:
                form.add_error(name if name in form.fields else None, error)
    if about_demands:
        form.add_error(None, _("The visit was not saved; please correct the demands below."))


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """Staff: the enterprises they see (a butler: their portfolio); building manager: the
    building's; an enterprise member goes straight to their own profile."""
    access = access_of(request)
    access.require(rules.can_use(access))
    if not rules.can_list_enterprises(access):
        own = sorted(access.linked_ids("enterprise"))
        if not own:
            raise PermissionDenied
        return redirect("retention:profile", pk=own[0])
    filters, errors = from_query(EnterpriseFilter, request.GET)
    page = Paginator(portfolio_enterprises(access, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = portfolio_rows(access, page.object_list)
    return render(
        request,
        "retention/portfolio.html",
        {
            "page": page,
            "rows": rows,
            "params": request.GET,
            "query": _query(request),
            "errors": errors,
            "buildings": Building.objects.visible_to(access).order_by("code"),
            "butlers": butlers(access.subdistrict) if access.has_any(WHOLE_AREA) else [],
            "mine": rules.works_on_portfolio(access),
            "show_risk": any(r.risk is not None for r in rows),
            "show_visits": any(r.visit is not None for r in rows),
            "can_assign": rules.can_assign(access),
            "can_plan": rules.can_plan(access),
            "can_see_overdue": rules.can_see_overdue(access),
            "can_see_watchlist": rules.can_see_watchlist(access),
            "can_list_visits": rules.can_list_visits(access),
        },
    )


@login_required
def portfolio_export(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_list_enterprises(access))
    filters, _errors = from_query(EnterpriseFilter, request.GET)
    rows = portfolio_rows(access, portfolio_enterprises(access, filters))
    return xlsx_response(portfolio_xlsx(rows), f"enterprises-{clock.today().isoformat()}.xlsx")


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    enterprise = _enterprise(access, pk)
    full = rules.sees_full_profile(access, enterprise)
    context: dict[str, Any] = {"enterprise": enterprise, "full": full}
    if full:
        context.update(
            years=enterprise.years.all(),  # type: ignore[attr-defined]
            may_unmask=may_unmask_enterprise_contact(access, enterprise),
            members=Membership.objects.filter(
                enterprise=enterprise, role=Role.ENTERPRISE_MEMBER
            ).select_related("user"),
            timeline=enterprise_timeline(enterprise, access),
            satisfaction=queries.satisfaction_by_quarter(enterprise),
        )
    if rules.may_see_risk(access, enterprise):
        context["assessment"] = assess(enterprise)
    if rules.may_read_notes(access, enterprise):
        context["notes"] = (
            ButlerNote.objects.visible_to(access)
            .filter(enterprise=enterprise)
            .select_related("author")
        )
    if rules.may_write_note(access, enterprise):
        context["note_form"] = NoteForm()
    context["may_log_visit"] = rules.may_log_visit(access, enterprise)
    if rules.may_pull_in_departments(access, enterprise):
        form = GroupServiceForm(enterprise=enterprise)
        if form.fields["case"].queryset.exists():  # type: ignore[attr-defined]
            context["group_form"] = form
    return render(request, "retention/profile.html", context)


@login_required
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page a butler fills in after a visit; demands become cases at once."""
    access = access_of(request)
    enterprise = _enterprise(access, pk)
    access.require(rules.may_log_visit(access, enterprise))
    form = VisitForm(request.POST or None)
    demands = demand_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and demands.is_valid():
        rows = [d for d in demands if d.cleaned_data.get("category")]
        raised = [
            Demand(
                category=d.cleaned_data["category"],
                description=d.cleaned_data["description"],
                extra=d.extra_values(),
            )
            for d in rows
        ]
        try:
            done = log_visit(enterprise, actor=access, demands=raised, **form.cleaned_data)
        except ValidationError as exc:
            _visit_errors(form, rows, exc)
        else:
            numbers = [d.case.number for d in done.demands.select_related("case")]  # type: ignore[attr-defined]
            if numbers:
                messages.success(
                    request,
                    _("Visit saved; demands filed as cases %(cases)s.")
                    % {"cases": ", ".join(numbers)},
                )
            else:
                messages.success(request, _("Visit saved."))
            return redirect("retention:profile", pk=enterprise.pk)
    return render(
        request,
        "retention/visit.html",
        {"enterprise": enterprise, "form": form, "demands": demands},
    )


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    enterprise = _enterprise(access, pk)
    access.require(rules.may_write_note(access, enterprise))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            write_note(enterprise, actor=access, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Note saved."))
    else:
        messages.error(request, _("Write the note first."))
    return redirect("retention:profile", pk=enterprise.pk)


@login_required
@require_POST
def group_service(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    enterprise = _enterprise(access, pk)
    access.require(rules.may_pull_in_departments(access, enterprise))
    form = GroupServiceForm(request.POST, enterprise=enterprise)
    if not form.is_valid():
        for errors in form.errors.values():
            # An ErrorList yields each message as text; the stubs also allow ValidationError.
            messages.error(request, " ".join(cast(list[str], errors)))
        return redirect("retention:profile", pk=enterprise.pk)
    try:
        added = pull_in_departments(
            form.cleaned_data["case"],
            list(form.cleaned_data["organisations"]),
            actor=access,
            part=form.cleaned_data["part"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        # The case engine decides per case: its handler or the dispatch centre, once registered.
        messages.error(
            request,
            _("Departments can be pulled in by whoever handles the case, once it is accepted."),
        )
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s department now co-handles case %(case)s.",
                "%(count)s departments now co-handle case %(case)s.",
                len(added),
            )
            % {"count": len(added), "case": form.cleaned_data["case"].number},
        )
    return redirect("retention:profile", pk=enterprise.pk)


@login_required
def assign(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_assign(access))
    form = AssignForm(request.POST or None, subdistrict=access.subdistrict)
    if request.method == "POST" and form.is_valid():
        try:
            count = assign_portfolio(
                actor=access,
                butler=form.cleaned_data["butler"],
                building=form.cleaned_data["building"],
                industry=form.cleaned_data["industry"],
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s enterprise assigned to %(butler)s.",
                    "%(count)s enterprises assigned to %(butler)s.",
                    count,
                )
                % {"count": count, "butler": form.cleaned_data["butler"]},
            )
            return redirect("retention:assign")
    return render(request, "retention/assign.html", {"form": form})


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_plan(access))
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save_visit_plan(actor=access, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Visit plan saved."))
            return redirect("retention:plans")
    return render(
        request,
        "retention/plans.html",
        {"form": form, "plans": VisitPlan.objects.visible_to(access)},
    )


@login_required
@require_POST
def plan_end(request: HttpRequest, plan_pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_plan(access))
    plan = get_object_or_404(VisitPlan.objects.visible_to(access), pk=plan_pk, active=True)
    end_visit_plan(plan, actor=access)
    messages.success(request, _("Visit plan ended."))
    return redirect("retention:plans")


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Overdue visits: how many each butler has, then the visits themselves a page at a time
    (a leader's list covers the whole sub-district), optionally one butler's only."""
    access = access_of(request)
    access.require(rules.can_see_overdue(access))
    today = clock.today()
    by_butler = queries.overdue_visits(access, today=today)
    chosen = next((b for b in by_butler if str(b.pk) == request.GET.get("butler")), None)
    rows = [r for b, found in by_butler.items() if chosen in (None, b) for r in found]
    return render(
        request,
        "retention/overdue.html",
        {
            "butlers": [(b, len(found)) for b, found in by_butler.items()],
            "chosen": chosen,
            "total": len(rows),
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": _query(request),
            "today": today,
        },
    )


@login_required
def visits(request: HttpRequest) -> HttpResponse:
    """The visit log of the enterprises the person sees (a butler: their portfolio)."""
    access = access_of(request)
    access.require(rules.can_list_visits(access))
    filters, errors = from_query(VisitFilter, request.GET)
    page = Paginator(visit_log(access, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "retention/visits.html",
        {
            "page": page,
            "rows": [(v, case_numbers(v)) for v in page.object_list],
            "params": request.GET,
            "query": _query(request),
            "errors": errors,
        },
    )


@login_required
def visits_export(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_list_visits(access))
    filters, _errors = from_query(VisitFilter, request.GET)
    content = visit_log_xlsx(visit_log(access, filters).iterator(chunk_size=1000))
    return xlsx_response(content, f"visits-{clock.today().isoformat()}.xlsx")


@login_required
def watch(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_see_watchlist(access))
    filters, errors = from_query(EnterpriseFilter, request.GET)
    page = Paginator(watchlist(access, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "retention/watchlist.html",
        {
            "page": page,
            "params": request.GET,
            "query": _query(request),
            "errors": errors,
            "buildings": Building.objects.visible_to(access).order_by("code"),
            "butlers": butlers(access.subdistrict),
        },
    )


@login_required
def watch_xlsx(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_see_watchlist(access))
    filters, _errors = from_query(EnterpriseFilter, request.GET)
    return xlsx_response(watchlist_xlsx(watchlist(access, filters)), "relocation-watch-list.xlsx")
