"""Policy pages: the library, one policy with its eligible enterprises, an enterprise's policies,
the butler's unclaimed benefits, applying, and screening on demand."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from linli.core import clock
from linli.core.http import access_of, xlsx_response
from linli.policies import queries, rules
from linli.policies.describe import format_amount
from linli.policies.models import Benefit, Mode, PolicyVersion
from linli.policies.services import apply_for_policy, current_versions, enqueue_screening

PAGE_SIZE = 25


@login_required
def library(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_library(access))
    params = request.GET
    views = queries.library_rules(
        benefit=params.get("benefit", ""),
        mode=params.get("mode", ""),
        q=params.get("q", "").strip(),
        in_force_only=params.get("in_force") == "1",
    )
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
            "benefits": Benefit.choices,
            "modes": Mode.choices,
            "show_counts": rules.can_list_eligible(access),
            "can_screen": rules.can_screen(access),
            "last_run": queries.last_run(),
            "my_enterprises": sorted(access.linked_ids("enterprise")),
        },
    )


def _versions(policy_id: str) -> list[PolicyVersion]:
    versions = list(PolicyVersion.objects.filter(policy_id=policy_id).order_by("-version"))
    if not versions:
        raise Http404
    return versions


@login_required
def detail(request: HttpRequest, policy_id: str) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_library(access))
    versions = _versions(policy_id)
    current = current_versions(clock.today()).get(policy_id) or versions[0]
    context = {
        "rule": queries.rule_view(current),
        "versions": versions,
        "can_list": rules.can_list_eligible(access),
    }
    if rules.can_list_eligible(access):
        decisions = queries.eligible_decisions(access, policy_id)
        page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [(d, format_amount(d.amount)) for d in page.object_list]
    return render(request, "policies/detail.html", context)


@login_required
def export(request: HttpRequest, policy_id: str) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_list_eligible(access))
    versions = _versions(policy_id)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(policy_id[:31])
    sheet.append(
        [
            _("Enterprise"),
            _("Unified Social Credit Code"),
            _("Building"),
            _("Amount"),
            _("Unit"),
            _("Version"),
            _("Rule hash"),
            _("Evaluation date"),
        ]
    )
    for decision in queries.eligible_decisions(access, policy_id).iterator(chunk_size=1000):
        version = decision.policy_version
        sheet.append(
            [
                decision.enterprise.name,
                decision.enterprise.credit_code,
                str(decision.enterprise.building or ""),
                float(decision.amount) if decision.amount is not None else None,
                version.amount_unit,
                version.version,
                decision.rule_hash,
                decision.evaluated_on.isoformat(),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = clock.today().isoformat()
    return xlsx_response(buffer.getvalue(), f"{versions[0].policy_id}-eligible-{stamp}.xlsx")


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
    page = Paginator(queries.unclaimed(access), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, format_amount(d.amount)) for d in page.object_list]
    return render(request, "policies/unclaimed.html", {"page": page, "rows": rows})


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
