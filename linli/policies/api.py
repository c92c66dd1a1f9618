"""Policies API: the library in plain language, eligible enterprises, unclaimed benefits, an
enterprise's decisions, applying, and screening on demand. Labels come in the caller's language
(Accept-Language).

Every output is built by its schema from what the pages show (``queries``: ``RuleView``,
``DecisionView``, ``EnterprisePolicies``) or from the model rows; every list reads the same
filters and the same ``visible_to`` as its page and its Excel export.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from linli.core.filters import PageParams
from linli.core.http import access_of
from linli.policies import queries, rules
from linli.policies.describe import field_label, language
from linli.policies.filters import EligibleFilter, LibraryFilter, UnclaimedFilter
from linli.policies.models import PolicyVersion, ScreeningRun
from linli.policies.services import apply_for_policy, enqueue_screening

router = Router(tags=["policies"])


class ConditionOut(Schema):
    kind: str  # "all", "any" or "leaf"
    label: str
    detail: str = ""
    children: list[ConditionOut] = []


ConditionOut.model_rebuild()


class VersionOut(Schema):
    version: int
    rule_hash: str
    valid_from: dt.date
    valid_to: dt.date | None
    loaded_at: dt.datetime
    in_library: bool = Field(validation_alias="is_active")


def _of_version(name: str) -> Any:
    return Field(validation_alias=f"version.{name}")


class PolicyOut(Schema):
    """Built from a ``queries.RuleView``."""

    policy_id: str = _of_version("policy_id")
    version: int = _of_version("version")
    rule_hash: str = _of_version("rule_hash")
    title: str = _of_version("title")
    summary: str = _of_version("summary")
    issuer: str = _of_version("issuer")
    benefit: str = _of_version("benefit")
    mode: str = _of_version("mode")
    valid_from: dt.date = _of_version("valid_from")
    valid_to: dt.date | None = _of_version("valid_to")
    in_force: bool
    example: bool = _of_version("example")
    source_document: str = _of_version("source_document")
    source_clause: str = _of_version("source_clause")
    conditions: ConditionOut
    amount: str  # the formula in words, with the parameters in force on ``shown_on``
    amount_unit: str = _of_version("amount_unit")
    shown_on: dt.date


class PolicyDetailOut(PolicyOut):
    versions: list[VersionOut]


class EligibleOut(Schema):
    """Built from a ``Decision``."""

    enterprise_id: int
    enterprise: str = Field(validation_alias="enterprise.name")
    credit_code: str = Field(validation_alias="enterprise.credit_code")
    amount: Decimal | None
    unit: str = Field(validation_alias="policy_version.amount_unit")
    version: int = Field(validation_alias="policy_version.version")
    rule_hash: str
    evaluated_on: dt.date


class EligiblePage(Schema):
    count: int
    page: int
    items: list[EligibleOut]


class UnclaimedOut(EligibleOut):
    """Built from a ``Decision`` nobody has claimed yet."""

    id: int
    policy_id: str
    title: str = Field(validation_alias="policy_version.title")
    mode: str = Field(validation_alias="policy_version.mode")


class UnclaimedPage(Schema):
    count: int
    page: int
    items: list[UnclaimedOut]


class FieldOut(Schema):
    name: str
    label: str


class FailedConditionOut(Schema):
    field: str
    label: str
    reason: str


class DecisionOut(Schema):
    """Built from a ``queries.DecisionView``."""

    policy_id: str = Field(validation_alias="decision.policy_id")
    version: int = Field(validation_alias="decision.policy_version.version")
    title: str
    status: str = Field(validation_alias="decision.status")
    amount: Decimal | None = Field(validation_alias="decision.amount")
    unit: str
    mode: str = Field(validation_alias="decision.policy_version.mode")
    missing_fields: list[FieldOut]
    failed_condition: FailedConditionOut | None
    rule_hash: str = Field(validation_alias="decision.rule_hash")
    evaluated_on: dt.date = Field(validation_alias="decision.evaluated_on")
    application_case: str | None
    granted: bool
    # The "Apply" the page offers: the verb's own check (``services.may_apply_now``).
    can_apply: bool

    @staticmethod
    def resolve_missing_fields(view: queries.DecisionView) -> list[dict[str, str]]:
        lang = language()
        names = view.decision.missing_fields or []
        return [{"name": name, "label": field_label(name, lang)} for name in names]

    @staticmethod
    def resolve_failed_condition(view: queries.DecisionView) -> dict[str, str] | None:
        failed = view.decision.failed_condition
        if not failed:
            return None
        lang = language()
        return {
            "field": failed.get("field", ""),
            "label": (failed.get("label") or {}).get(lang, ""),
            "reason": (failed.get("reason") or {}).get(lang, ""),
        }

    @staticmethod
    def resolve_application_case(view: queries.DecisionView) -> str | None:
        return view.application.case_number if view.application else None

    @staticmethod
    def resolve_granted(view: queries.DecisionView) -> bool:
        return view.grant is not None and view.grant.status == view.grant.Status.GRANTED


class EnterprisePoliciesOut(Schema):
    """Built from a ``queries.EnterprisePolicies``."""

    enterprise_id: int = Field(validation_alias="enterprise.pk")
    enterprise: str = Field(validation_alias="enterprise.name")
    evaluated_on: dt.date | None
    eligible: list[DecisionOut]
    maybe: list[DecisionOut]
    near_miss: list[DecisionOut]


class ApplyIn(Schema):
    policy_id: str


class ApplicationOut(Schema):
    """Built from an ``Application``."""

    policy_id: str
    version: int = Field(validation_alias="policy_version.version")
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


def _page(rows: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    start = (params.page - 1) * params.page_size
    return {
        "count": rows.count(),
        "page": params.page,
        "items": list(rows[start : start + params.page_size]),
    }


def _library_access(request: HttpRequest) -> Any:
    access = access_of(request)
    access.require(rules.can_view_library(access))
    return access


@router.get(
    "/library", response=list[PolicyOut], operation_id="list_policies", url_name="list_policies"
)
def list_policies(request: HttpRequest, filters: Query[LibraryFilter]) -> Any:
    """The policies of the library, each in its current version, in plain language."""
    _library_access(request)
    return queries.library_rules(filters)


@router.get(
    "/library/{policy_id}",
    response=PolicyDetailOut,
    operation_id="get_policy",
    url_name="get_policy",
)
def get_policy(request: HttpRequest, policy_id: str) -> Any:
    _library_access(request)
    view = queries.policy_detail(policy_id)
    if view is None:
        raise Http404
    return view


@router.get(
    "/library/{policy_id}/eligible",
    response=EligiblePage,
    operation_id="list_policy_eligible",
    url_name="list_policy_eligible",
)
def list_policy_eligible(
    request: HttpRequest,
    policy_id: str,
    filters: Query[EligibleFilter],
    params: Query[PageParams],
) -> Any:
    """Enterprises eligible for a policy in the last screening (a butler: their portfolio)."""
    access = access_of(request)
    access.require(rules.can_list_eligible(access))
    if not PolicyVersion.objects.filter(policy_id=policy_id).exists():
        raise Http404
    return _page(queries.eligible_decisions(access, policy_id, filters), params)


@router.get(
    "/unclaimed",
    response=UnclaimedPage,
    operation_id="list_unclaimed_benefits",
    url_name="list_unclaimed_benefits",
)
def list_unclaimed(
    request: HttpRequest, filters: Query[UnclaimedFilter], params: Query[PageParams]
) -> Any:
    """Eligible benefits nobody has applied for nor been granted yet, largest first (a
    butler: their portfolio's)."""
    access = access_of(request)
    access.require(rules.can_view_unclaimed(access))
    return _page(queries.unclaimed(access, filters), params)


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
    return queries.enterprise_policies(access, enterprise)


@router.post(
    "/enterprises/{pk}/applications",
    response={201: ApplicationOut},
    operation_id="apply_for_policy",
    url_name="apply_for_policy",
)
def apply(request: HttpRequest, pk: int, payload: ApplyIn) -> Any:
    """Apply for a policy: opens a case with the eligibility explanation attached."""
    access, enterprise = _enterprise(request, pk)
    return Status(201, apply_for_policy(enterprise, payload.policy_id, actor=access))


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
    return list(ScreeningRun.objects.visible_to(access).order_by("-started_at", "-id")[:20])


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
