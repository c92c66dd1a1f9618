"""What the pages and the API show: the library in plain language and decisions by enterprise.

Both the views and the API read through these helpers, so the two never disagree about who
sees which enterprise or how a rule reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from linli.core import clock
from linli.core.access import Access
from linli.policies import rules
from linli.policies.describe import (
    ConditionNode,
    compiled,
    condition_tree,
    describe_amount,
    display_date,
    field_label,
    format_amount,
    language,
)
from linli.policies.engine import explain
from linli.policies.models import Application, Decision, Grant, PolicyVersion, ScreeningRun
from linli.policies.screening import enterprise_record
from linli.policies.services import STATUS_OF, current_versions, engine_policy
from linli.registry.models import Enterprise


@dataclass
class RuleView:
    """One policy version as a page shows it."""

    version: PolicyVersion
    shown_on: dt.date
    in_force: bool
    conditions: ConditionNode
    amount: str
    parameters_dated: bool
    # Filled in for staff from the last screening.
    eligible_count: int = 0
    eligible_total: str = ""


def rule_view(version: PolicyVersion, today: dt.date | None = None) -> RuleView:
    today = today or clock.today()
    policy = engine_policy(version)
    on = display_date(policy, today)
    cp = compiled(policy, on)
    return RuleView(
        version=version,
        shown_on=on,
        in_force=policy.active_on(today),
        conditions=condition_tree(cp),
        amount=describe_amount(cp),
        parameters_dated=any(len(p.values) > 1 for p in policy.parameters.values()),
    )


def library_rules(
    *, benefit: str = "", mode: str = "", q: str = "", in_force_only: bool = False
) -> list[RuleView]:
    today = clock.today()
    views = []
    for version in current_versions(today).values():
        if benefit and version.benefit != benefit:
            continue
        if mode and version.mode != mode:
            continue
        if q and not any(
            q.lower() in text.lower()
            for text in (version.title_zh, version.title_en, version.policy_id)
        ):
            continue
        view = rule_view(version, today)
        if in_force_only and not view.in_force:
            continue
        views.append(view)
    return sorted(views, key=lambda v: (not v.in_force, v.version.policy_id))


def last_run() -> ScreeningRun | None:
    return ScreeningRun.objects.order_by("-started_at", "-id").first()


def eligible_decisions(access: Access, policy_id: str) -> models.QuerySet[Decision]:
    """The enterprises eligible for a policy that the person may see, largest amount first."""
    return (
        Decision.objects.filter(policy_id=policy_id, status=Decision.Status.ELIGIBLE)
        .filter(rules.enterprise_filter(access, "enterprise__"))
        .select_related("enterprise", "enterprise__building", "policy_version")
        .order_by(models.F("amount").desc(nulls_last=True), "enterprise__name", "pk")
    )


def eligible_counts(access: Access) -> dict[str, Mapping[str, Any]]:
    rows = (
        Decision.objects.filter(status=Decision.Status.ELIGIBLE)
        .filter(rules.enterprise_filter(access, "enterprise__"))
        .values("policy_id")
        .annotate(n=models.Count("pk"), total=models.Sum("amount"))
    )
    return {row["policy_id"]: row for row in rows}


def unclaimed(access: Access) -> models.QuerySet[Decision]:
    """Eligible benefits not yet applied for nor granted, largest first: the butler's to-do."""
    applied = Application.objects.filter(
        enterprise=models.OuterRef("enterprise"), policy_version=models.OuterRef("policy_version")
    )
    granted = Grant.objects.filter(
        enterprise=models.OuterRef("enterprise"), policy_version=models.OuterRef("policy_version")
    )
    return (
        Decision.objects.filter(status=Decision.Status.ELIGIBLE)
        .exclude(policy_version__mode="notify")
        .filter(rules.enterprise_filter(access, "enterprise__"))
        .exclude(models.Exists(applied))
        .exclude(models.Exists(granted))
        .select_related("enterprise", "enterprise__building", "policy_version")
        .order_by(models.F("amount").desc(nulls_last=True), "enterprise__name", "pk")
    )


@dataclass
class DecisionView:
    decision: Decision
    title: str
    amount: str
    unit: str
    missing: list[str] = field(default_factory=list)
    failed: str = ""
    failed_reason: str = ""
    application: Application | None = None
    grant: Grant | None = None
    can_apply: bool = False
    # Each condition with today's data: (result "pass"/"fail"/"unknown", label, reason).
    reasons: list[tuple[str, str, str]] = field(default_factory=list)
    # Today's data gives another outcome than the last screening did.
    stale: bool = False


def decision_view(
    decision: Decision,
    applications: dict[int, Application],
    grants: dict[int, Grant],
    may_apply: bool,
) -> DecisionView:
    lang = language()
    version = decision.policy_version
    failed = decision.failed_condition or {}
    application = applications.get(version.pk)
    grant = grants.get(version.pk)
    return DecisionView(
        decision=decision,
        title=version.title,
        amount=format_amount(decision.amount),
        unit=version.amount_unit,
        missing=[field_label(name, lang) for name in decision.missing_fields or []],
        failed=(failed.get("label") or {}).get(lang, ""),
        failed_reason=(failed.get("reason") or {}).get(lang, ""),
        application=application,
        grant=grant,
        can_apply=(
            may_apply
            and version.mode == "apply"
            and decision.status in (Decision.Status.ELIGIBLE, Decision.Status.MAYBE)
            and application is None
        ),
    )


@dataclass
class EnterprisePolicies:
    enterprise: Enterprise
    eligible: list[DecisionView]
    maybe: list[DecisionView]
    near_miss: list[DecisionView]
    grants: list[Grant]
    applications: list[Application]
    evaluated_on: dt.date | None

    @property
    def eligible_total(self) -> str:
        total = sum(
            (v.decision.amount for v in self.eligible if v.decision.amount is not None),
            Decimal(0),
        )
        return format_amount(total)


def _explain(views: list[DecisionView], enterprise: Enterprise) -> None:
    """Add every condition's reason, from the enterprise's data as it is now, evaluated on the
    date of the screening (one record for all policies: a few queries, then pure Python)."""
    if not views:
        return
    on = views[0].decision.evaluated_on
    record = enterprise_record(enterprise, on)
    if record is None:
        return
    lang = language()
    for view in views:
        decision = view.decision
        explanation = explain(engine_policy(decision.policy_version), record, decision.evaluated_on)
        view.reasons = [
            (o.result.name.lower(), o.label.get(lang), o.reason(lang))
            for o in explanation.conditions
        ]
        view.stale = STATUS_OF.get(explanation.status) != decision.status


def enterprise_policies(access: Access, enterprise: Enterprise) -> EnterprisePolicies:
    decisions = list(
        Decision.objects.filter(enterprise=enterprise).select_related("policy_version")
    )
    applications = list(
        Application.objects.filter(enterprise=enterprise).select_related("policy_version")
    )
    grants = list(Grant.objects.filter(enterprise=enterprise).select_related("policy_version"))
    by_version_app = {a.policy_version_id: a for a in applications}
    by_version_grant = {g.policy_version_id: g for g in grants}
    may_apply = rules.may_apply(access, enterprise)
    views = [decision_view(d, by_version_app, by_version_grant, may_apply) for d in decisions]
    _explain(views, enterprise)

    def group(status: str) -> list[DecisionView]:
        chosen = [v for v in views if v.decision.status == status]
        return sorted(chosen, key=lambda v: (-(v.decision.amount or 0), v.title))

    return EnterprisePolicies(
        enterprise=enterprise,
        eligible=group(Decision.Status.ELIGIBLE),
        maybe=group(Decision.Status.MAYBE),
        near_miss=group(Decision.Status.NEAR_MISS),
        grants=grants,
        applications=applications,
        evaluated_on=max((d.evaluated_on for d in decisions), default=None),
    )


def visible_enterprise(access: Access, pk: int) -> Enterprise | None:
    return (
        Enterprise.objects.filter(rules.enterprise_filter(access))
        .select_related("building")
        .filter(pk=pk)
        .first()
    )
