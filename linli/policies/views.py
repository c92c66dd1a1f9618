"""Policy pages: the library, one policy with its eligible enterprises, an enterprise's policies,
the butler's unclaimed benefits, applying, and screening on demand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.filters import from_query
from linli.core.http import access_of, xlsx_response
from linli.core.spreadsheets import rows_to_xlsx
from linli.policies import queries, rules
from linli.policies.describe import format_amount
from linli.policies.filters import EligibleFilter, LibraryFilter, UnclaimedFilter
from linli.policies.models import Benefit, Decision, Mode, PolicyVersion
from linli.policies.services import apply_for_policy, current_versions, enqueue_screening
from linli.registry.models import Building

PAGE_SIZE = 25


@login_required
def library(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_library(access))
    params = request.GET
    filters, errors = from_query(LibraryFilter, params)
    views = queries.library_rules(filters)
    counts = queries.eligible_counts(access) if rules.can_list_eligible(access) else {}
    for view in views:
        found = counts.get(view.version.policy_id)
        if found:
            view.eligible_count = found["n"]
            view.eligible_total = format_amount(found["total"])
    return render(
        request,
        "policies/library.html",
        {
            "rules": views,
            "params": params,
            "errors": errors,
            "benefits": Benefit.choices,
            "modes": Mode.choices,
            "show_counts": rules.can_list_eligible(access),
            "can_screen": rules.can_screen(access),
            "last_run": queries.last_run(access),
            "my_enterprises": sorted(access.linked_ids("enterprise")),
        },
    )


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def detail(request: HttpRequest, policy_id: str) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_library(access))
    rule = queries.policy_detail(policy_id)
    if rule is None:
        raise Http404
    context: dict[str, Any] = {
        "rule": rule,
        "versions": rule.versions,
        "can_list": rules.can_list_eligible(access),
    }
    if rules.can_list_eligible(access):
        filters, errors = from_query(EligibleFilter, request.GET)
        decisions = queries.eligible_decisions(access, policy_id, filters)
        page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            rows=[(d, format_amount(d.amount)) for d in page.object_list],
            params=request.GET,
            query=_query(request),
            errors=errors,
            buildings=Building.objects.visible_to(access).order_by("code"),
        )
    return render(request, "policies/detail.html", context)


def _decision_table(decisions: Iterable[Decision], *, with_policy: bool = False) -> list[list]:
    header = [_("Enterprise"), _("Unified Social Credit Code"), _("Building")]
    if with_policy:
        header += [_("Policy"), _("How it is received")]
    header += [
        _("Amount"),
        _("Unit"),
        _("Version"),
        _("Rule hash"),
        _("Evaluation date"),
        "id" if with_policy else "enterprise_id",
    ]
    table: list[list] = [header]
    for decision in decisions:
        version = decision.policy_version
        line: list = [
            decision.enterprise.name,
            decision.enterprise.credit_code,
            str(decision.enterprise.building or ""),
        ]
        if with_policy:
            line += [version.title, version.get_mode_display()]
        line += [
            float(decision.amount) if decision.amount is not None else None,
            version.amount_unit,
            version.version,
            decision.rule_hash,
            decision.evaluated_on.isoformat(),
            decision.pk if with_policy else decision.enterprise_id,
        ]
        table.append(line)
    return table


@login_required
def export(request: HttpRequest, policy_id: str) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_list_eligible(access))
    if not PolicyVersion.objects.filter(policy_id=policy_id).exists():
        raise Http404
    filters, _errors = from_query(EligibleFilter, request.GET)
    decisions = queries.eligible_decisions(access, policy_id, filters).iterator(chunk_size=1000)
    # A sheet's name holds 31 characters in Excel; the file name carries the whole id.
    content = rows_to_xlsx(policy_id[:31], _decision_table(decisions))
    stamp = clock.today().isoformat()
    return xlsx_response(content, f"{policy_id}-eligible-{stamp}.xlsx")


@login_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_decisions(access))
    found = queries.visible_enterprise(access, pk)
    if found is None:
        raise Http404
    overview = queries.enterprise_policies(access, found)
    return render(request, "policies/enterprise.html", {"overview": overview, "enterprise": found})


@login_required
@require_POST
def apply(request: HttpRequest, pk: int, policy_id: str) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_decisions(access))
    found = queries.visible_enterprise(access, pk)
    if found is None:
        raise Http404
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm the application; nothing was filed."))
        return redirect("policies:enterprise", pk=found.pk)
    try:
        application = apply_for_policy(found, policy_id, actor=access)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your application is filed as case %(number)s.")
            % {"number": application.case_number},
        )
    return redirect("policies:enterprise", pk=found.pk)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """An enterprise member's own enterprise(s)."""
    access = access_of(request)
    ids = access.linked_ids("enterprise")
    if not ids:
        raise PermissionDenied(_("Your account is not linked to an enterprise."))
    if len(ids) == 1:
        return redirect("policies:enterprise", pk=next(iter(ids)))
    enterprises = [m.enterprise for m in access.memberships if m.enterprise is not None]
    return render(request, "policies/mine.html", {"enterprises": enterprises})


@login_required
def unclaimed(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_unclaimed(access))
    filters, errors = from_query(UnclaimedFilter, request.GET)
    decisions = queries.unclaimed(access, filters)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, format_amount(d.amount)) for d in page.object_list]
    return render(
        request,
        "policies/unclaimed.html",
        {
            "page": page,
            "rows": rows,
            "params": request.GET,
            "query": _query(request),
            "errors": errors,
            "buildings": Building.objects.visible_to(access).order_by("code"),
            "policies": current_versions(clock.today()).values(),
            "modes": [(Mode.APPLY, Mode.APPLY.label), (Mode.AUTO_GRANT, Mode.AUTO_GRANT.label)],
        },
    )


@login_required
def unclaimed_export(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_unclaimed(access))
    filters, _errors = from_query(UnclaimedFilter, request.GET)
    decisions = queries.unclaimed(access, filters).iterator(chunk_size=1000)
    content = rows_to_xlsx(
        _("Unclaimed benefits")[:31], _decision_table(decisions, with_policy=True)
    )
    return xlsx_response(content, f"unclaimed-benefits-{clock.today().isoformat()}.xlsx")


@login_required
@require_POST
def screen(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_screen(access))
    if access.subdistrict is None:
        raise Http404
    enqueue_screening(access.subdistrict, actor=access)
    messages.success(
        request,
        _("Screening queued: the results replace the current ones in a few moments."),
    )
    return redirect("policies:library")
