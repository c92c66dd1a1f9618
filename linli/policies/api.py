"""Policies API: the library in plain language, eligible enterprises, an enterprise's decisions,
applying, and screening on demand. Labels come in the caller's language (Accept-Language)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status

from linli.core import clock
from linli.core.filters import PageParams
from linli.core.http import access_of
from linli.policies import queries, rules
from linli.policies.describe import ConditionNode, field_label, language
from linli.policies.models import PolicyVersion, ScreeningRun
from linli.policies.services import apply_for_policy, current_versions, enqueue_screening

router = Router(tags=["policies"])


class ConditionOut(Schema):
    kind: str  # "all", "any" or "leaf"
    label: str
    detail: str = ""
    children: list["ConditionOut"] = []


ConditionOut.model_rebuild()


class VersionOut(Schema):
    version: int
    rule_hash: str
    valid_from: dt.date
    valid_to: dt.date | None
    loaded_at: dt.datetime
    in_library: bool


class PolicyOut(Schema):
    policy_id: str
    version: int
    rule_hash: str
    title: str
    summary: str
    issuer: str
    benefit: str
    mode: str
    valid_from: dt.date
    valid_to: dt.date | None
    in_force: bool
    example: bool
    source_document: str
    source_clause: str
    conditions: ConditionOut
    amount: str  # the formula in words, with the parameters in force on ``shown_on``
    amount_unit: str
    shown_on: dt.date


class PolicyDetailOut(PolicyOut):
    versions: list[VersionOut]


class EligibleOut(Schema):
    enterprise_id: int
    enterprise: str
    credit_code: str
    amount: Decimal | None
    unit: str
    version: int
    rule_hash: str
    evaluated_on: dt.date


class EligiblePage(Schema):
    count: int
    page: int
    items: list[EligibleOut]


class FieldOut(Schema):
    name: str
    label: str


class FailedConditionOut(Schema):
    field: str
    label: str
    reason: str


class DecisionOut(Schema):
    policy_id: str
    version: int
    title: str
    status: str
    amount: Decimal | None
    unit: str
    mode: str
    missing_fields: list[FieldOut]
    failed_condition: FailedConditionOut | None
    rule_hash: str
    evaluated_on: dt.date
    application_case: str | None
    granted: bool


class EnterprisePoliciesOut(Schema):
    enterprise_id: int
    enterprise: str
    evaluated_on: dt.date | None
    eligible: list[DecisionOut]
    maybe: list[DecisionOut]
    near_miss: list[DecisionOut]


class ApplyIn(Schema):
    policy_id: str


class ApplicationOut(Schema):
    policy_id: str
    version: int
    case_number: str
    amount: Decimal | None
    rule_hash: str
    evaluated_on: dt.date


class ScreeningQueued(Schema):
    task_id: str
    status: str


class ScreeningRunOut(Schema):
    id: int
    trigger: str
    started_at: dt.datetime
    finished_at: dt.datetime
    evaluated_on: dt.date
    enterprises: int
    policies: int
    eligible: int
    maybe: int
    near_miss: int
    grants: int


def _condition(node: ConditionNode) -> dict[str, Any]:
    return {
        "kind": node.kind,
        "label": node.label,
        "detail": node.detail,
        "children": [_condition(c) for c in node.children],
    }


def _policy(view: queries.RuleView) -> dict[str, Any]:
    v = view.version
    return {
        "policy_id": v.policy_id,
        "version": v.version,
        "rule_hash": v.rule_hash,
        "title": v.title,
        "summary": v.summary,
        "issuer": v.issuer,
        "benefit": v.benefit,
        "mode": v.mode,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "in_force": view.in_force,
        "example": v.example,
        "source_document": v.source_document,
        "source_clause": v.source_clause,
        "conditions": _condition(view.conditions),
        "amount": view.amount,
        "amount_unit": v.amount_unit,
        "shown_on": view.shown_on,
    }


def _library_access(request: HttpRequest) -> Any:
    access = access_of(request)
    access.require(rules.can_view_library(access))
    return access


@router.get(
    "/library", response=list[PolicyOut], operation_id="list_policies", url_name="list_policies"
)
def list_policies(request: HttpRequest) -> Any:
    """The policies of the library, each in its current version, in plain language."""
    _library_access(request)
    return [_policy(view) for view in queries.library_rules()]


@router.get(
    "/library/{policy_id}",
    response=PolicyDetailOut,
    operation_id="get_policy",
    url_name="get_policy",
)
def get_policy(request: HttpRequest, policy_id: str) -> Any:
    _library_access(request)
    versions = list(PolicyVersion.objects.filter(policy_id=policy_id).order_by("-version"))
    if not versions:
        raise Http404
    current = current_versions(clock.today()).get(policy_id) or versions[0]
    return {
        **_policy(queries.rule_view(current)),
        "versions": [
            {
                "version": v.version,
                "rule_hash": v.rule_hash,
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
                "loaded_at": v.loaded_at,
                "in_library": v.is_active,
            }
            for v in versions
        ],
    }


@router.get(
    "/library/{policy_id}/eligible",
    response=EligiblePage,
    operation_id="list_policy_eligible",
    url_name="list_policy_eligible",
)
def list_policy_eligible(request: HttpRequest, policy_id: str, params: Query[PageParams]) -> Any:
    """Enterprises eligible for a policy in the last screening (a butler: their portfolio)."""
    access = access_of(request)
    access.require(rules.can_list_eligible(access))
    if not PolicyVersion.objects.filter(policy_id=policy_id).exists():
        raise Http404
    decisions = queries.eligible_decisions(access, policy_id)
    size = max(1, min(params.page_size, 200))
    page = max(1, params.page)
    return {
        "count": decisions.count(),
        "page": page,
        "items": [
            {
                "enterprise_id": d.enterprise_id,
                "enterprise": d.enterprise.name,
                "credit_code": d.enterprise.credit_code,
                "amount": d.amount,
                "unit": d.policy_version.amount_unit,
                "version": d.policy_version.version,
                "rule_hash": d.rule_hash,
                "evaluated_on": d.evaluated_on,
            }
            for d in decisions[(page - 1) * size : page * size]
        ],
    }


def _decision(view: queries.DecisionView) -> dict[str, Any]:
    d = view.decision
    lang = language()
    failed = d.failed_condition
    return {
        "policy_id": d.policy_id,
        "version": d.policy_version.version,
        "title": view.title,
        "status": d.status,
        "amount": d.amount,
        "unit": view.unit,
        "mode": d.policy_version.mode,
        "missing_fields": [
            {"name": name, "label": field_label(name, lang)} for name in d.missing_fields or []
        ],
        "failed_condition": (
            None
            if not failed
            else {
                "field": failed.get("field", ""),
                "label": (failed.get("label") or {}).get(lang, ""),
                "reason": (failed.get("reason") or {}).get(lang, ""),
            }
        ),
        "rule_hash": d.rule_hash,
        "evaluated_on": d.evaluated_on,
        "application_case": view.application.case_number if view.application else None,
        "granted": view.grant is not None and view.grant.status == "granted",
    }


def _enterprise(request: HttpRequest, pk: int) -> Any:
    access = access_of(request)
    access.require(rules.can_view_decisions(access))
    enterprise = queries.visible_enterprise(access, pk)
    if enterprise is None:
        raise Http404
    return access, enterprise


@router.get(
    "/enterprises/{pk}",
    response=EnterprisePoliciesOut,
    operation_id="get_enterprise_policies",
    url_name="get_enterprise_policies",
)
def get_enterprise_policies(request: HttpRequest, pk: int) -> Any:
    """What an enterprise qualifies for (with amounts), may qualify for (naming the missing
    data) and misses by one condition (naming it)."""
    access, enterprise = _enterprise(request, pk)
    overview = queries.enterprise_policies(access, enterprise)
    return {
        "enterprise_id": enterprise.pk,
        "enterprise": enterprise.name,
        "evaluated_on": overview.evaluated_on,
        "eligible": [_decision(v) for v in overview.eligible],
        "maybe": [_decision(v) for v in overview.maybe],
        "near_miss": [_decision(v) for v in overview.near_miss],
    }


@router.post(
    "/enterprises/{pk}/applications",
    response={201: ApplicationOut},
    operation_id="apply_for_policy",
    url_name="apply_for_policy",
)
def apply(request: HttpRequest, pk: int, payload: ApplyIn) -> Any:
    """Apply for a policy: opens a case with the eligibility explanation attached."""
    access, enterprise = _enterprise(request, pk)
    application = apply_for_policy(enterprise, payload.policy_id, actor=access)
    return Status(
        201,
        {
            "policy_id": application.policy_id,
            "version": application.policy_version.version,
            "case_number": application.case_number,
            "amount": application.amount,
            "rule_hash": application.rule_hash,
            "evaluated_on": application.evaluated_on,
        },
    )


@router.get(
    "/screenings",
    response=list[ScreeningRunOut],
    operation_id="list_screenings",
    url_name="list_screenings",
)
def list_screenings(request: HttpRequest) -> Any:
    """The sub-district's latest screening runs."""
    access = access_of(request)
    access.require(rules.can_screen(access))
    return list(ScreeningRun.objects.order_by("-started_at", "-id")[:20])


@router.post(
    "/screenings",
    response={202: ScreeningQueued},
    operation_id="trigger_screening",
    url_name="trigger_screening",
)
def trigger_screening(request: HttpRequest) -> Any:
    """Queue a screening of the sub-district now (it also runs every night)."""
    access = access_of(request)
    access.require(rules.can_screen(access))
    if access.subdistrict is None:
        raise Http404
    task_id = enqueue_screening(access.subdistrict, actor=access)
    return Status(202, {"task_id": task_id, "status": "queued"})
