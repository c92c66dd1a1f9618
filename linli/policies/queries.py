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
from linli.policies.enterprise_table import enterprise_record
from linli.policies.filters import EligibleFilter, LibraryFilter, UnclaimedFilter
from linli.policies.models import Application, Decision, Grant, PolicyVersion, ScreeningRun
from linli.policies.services import STATUS_OF, current_versions, engine_policy, may_apply_now
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
    # Every stored version of the policy, newest first (filled in by ``policy_detail``).
    versions: list[PolicyVersion] = field(default_factory=list)


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


def library_rules(filters: LibraryFilter | None = None) -> list[RuleView]:
    """Each policy's current version (``current_versions``) that the filters let through,
    those in force first."""
    today = clock.today()
    current = [v.pk for v in current_versions(today).values()]
    versions = PolicyVersion.objects.filter(pk__in=current)
    if filters is not None:
        versions = filters.apply(versions)
    views = [rule_view(version, today) for version in versions]
    return sorted(views, key=lambda v: (not v.in_force, v.version.policy_id))


def policy_detail(policy_id: str) -> RuleView | None:
    """One policy as its page and its API show it: the current version and every version."""
    versions = list(PolicyVersion.objects.filter(policy_id=policy_id).order_by("-version"))
    if not versions:
        return None
    current = current_versions(clock.today()).get(policy_id) or versions[0]
    view = rule_view(current)
    view.versions = versions
    return view


def last_run(access: Access) -> ScreeningRun | None:
    return ScreeningRun.objects.visible_to(access).order_by("-started_at", "-id").first()


def eligible_decisions(
    access: Access, policy_id: str, filters: EligibleFilter | None = None
) -> models.QuerySet[Decision]:
    """The enterprises eligible for a policy that the person may see, largest amount first."""
    decisions = Decision.objects.visible_to(access).filter(
        policy_id=policy_id, status=Decision.Status.ELIGIBLE
    )
    if filters is not None:
        decisions = filters.apply(decisions)
    return decisions.select_related(
        "enterprise", "enterprise__building", "policy_version"
    ).largest_first()


def eligible_counts(access: Access) -> dict[str, Mapping[str, Any]]:
    rows = (
        Decision.objects.visible_to(access)
        .filter(status=Decision.Status.ELIGIBLE)
        .values("policy_id")
        .annotate(n=models.Count("pk"), total=models.Sum("amount"))
        .order_by()
    )
    return {row["policy_id"]: row for row in rows}


def unclaimed(access: Access, filters: UnclaimedFilter | None = None) -> models.QuerySet[Decision]:
    """Eligible benefits not yet applied for nor granted, largest first: the butler's to-do."""
    decisions = Decision.objects.visible_to(access).unclaimed()
    if filters is not None:
        decisions = filters.apply(decisions)
    return decisions.select_related(
        "enterprise", "enterprise__building", "policy_version"
    ).largest_first()


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
    access: Access,
    decision: Decision,
    applications: dict[int, Application],
    grants: dict[int, Grant],
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
        can_apply=may_apply_now(access, decision.enterprise, decision, application),
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
    def about(model: Any) -> Any:
        rows = model.objects.visible_to(access).filter(enterprise=enterprise)
        return list(rows.select_related("policy_version"))

    decisions: list[Decision] = about(Decision)
    applications: list[Application] = about(Application)
    grants: list[Grant] = about(Grant)
    for decision in decisions:
        decision.enterprise = enterprise  # one enterprise: no query per decision
    by_version_app = {a.policy_version_id: a for a in applications}
    by_version_grant = {g.policy_version_id: g for g in grants}
    views = [decision_view(access, d, by_version_app, by_version_grant) for d in decisions]
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
    """The enterprise if ``access`` reads its policy results (its full audience)."""
    return (
        Enterprise.objects.visible_to(access, "view_full")
        .select_related("building")
        .filter(pk=pk)
        .first()
    )
