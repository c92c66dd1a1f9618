"""A case's actions from its page: each action's form posts here, and its verb runs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.cases import rules, services
from linli.cases.actions import COMBINED
from linli.cases.forms import ACTION_FORMS
from linli.cases.models import Case
from linli.cases.presenting import EVENT_LABELS
from linli.cases.views.case import staff_page, visible_case
from linli.cases.workflow import InvalidTransition
from linli.core.access import Access
from linli.core.http import page_access, show_errors


def run_action(access: Access, case: Case, action: str, data: dict[str, Any]) -> Any:
    """Call the verb of ``action`` with a form's cleaned data."""
    s = services
    note = data.get("note", "")
    reason = data.get("reason", "")
    if action == "register":
        return s.register_case(case, actor=access, note=note)
    if action == "reject":
        return s.reject_case(case, actor=access, reason=reason, note=note)
    if action == "dispatch":
        return s.dispatch_case(
            case,
            data["organisation"],
            actor=access,
            note=note,
            resolve_by=data.get("deadline"),
        )
    if action == "register_dispatch":
        return s.register_and_dispatch(
            case,
            data["organisation"],
            actor=access,
            category=None if data["category"].pk == case.category_id else data["category"],
            resolve_by=data.get("deadline"),
            note=note,
        )
    if action in ("accept", "start_handling", "resume", "close"):
        noted = {
            "accept": s.accept_case,
            "start_handling": s.start_handling,
            "resume": s.resume_case,
            "close": s.close_case,
        }[action]
        return noted(case, actor=access, note=note)
    if action in ("return", "deny_extension", "rework", "reopen", "register_long_term"):
        reasoned = {
            "return": s.return_case,
            "deny_extension": s.deny_extension,
            "rework": s.rework_case,
            "reopen": s.reopen_case,
            "register_long_term": s.register_long_term,
        }[action]
        return reasoned(case, actor=access, reason=reason)
    if action == "wait_for_reporter":
        return s.wait_for_reporter(case, actor=access, note=note)
    if action == "request_extension":
        return s.request_extension(case, actor=access, reason=reason, days=data.get("days"))
    if action == "approve_extension":
        return s.approve_extension(case, actor=access, note=note, days=data.get("days"))
    if action == "submit_for_verification":
        return s.submit_for_verification(
            case, actor=access, note=note, before=data["before"], after=data["after"]
        )
    if action == "verify":
        return s.verify_case(case, actor=access, note=note, photos=data["photos"])
    if action == "record_callback":
        return s.record_callback(
            case,
            actor=access,
            satisfaction=data["satisfaction"],
            resolved=data.get("resolved"),
            note=note,
        )
    if action == "merge":
        return s.merge_cases(case, data["into"], actor=access, note=note)
    if action == "add_co_handler":
        return s.add_co_handler(case, data["organisation"], actor=access, part=data["part"])
    if action == "complete_co_handling":
        return s.complete_co_handling(data["co_handler"], actor=access, note=note)
    raise Http404


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    access = page_access(request)
    case = visible_case(access, number)
    if action not in ACTION_FORMS:
        raise Http404
    access.require(rules.works_on(access, case))
    form = ACTION_FORMS[action](
        request.POST, request.FILES, case=case, access=access, auto_id=f"id_{action}_%s"
    )
    if not form.is_valid():
        return staff_page(request, access, case, failed=(action, form))
    try:
        run_action(access, case, action, form.cleaned_data)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        if action in COMBINED:
            # Nothing was written: the case page says why, as it stands now.
            case.refresh_from_db()
            return staff_page(request, access, case, status=409)
    except ValidationError as exc:
        show_errors(exc, form)
        case.refresh_from_db()
        return staff_page(request, access, case, failed=(action, form))
    else:
        messages.success(request, done_message(action, case))
    return redirect("cases:detail", number=number)


def done_message(action: str, case: Case) -> str:
    if action == "register_dispatch":
        return _("Registered and dispatched to %(organisation)s.") % {
            "organisation": case.lead_organisation
        }
    return _("Done: %(what)s.") % {"what": EVENT_LABELS[action]}
