"""Grants without an application (免申即享): made by a screening run for the eligible
enterprises of auto-grant policies, once per policy version; revoked with a reason, never
deleted."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, clock, limits
from linli.core.access import Access
from linli.core.models import AuditEntry, Subdistrict
from linli.policies import rules
from linli.policies.engine import ScreeningResult, explain_all
from linli.policies.models import Grant, PolicyVersion, ScreeningRun
from linli.policies.services.explanations import explanation_snapshot
from linli.policies.services.notices import members_to_tell, tell_about_grants


def _snapshots(
    result: ScreeningResult, wanted: list[tuple[int, str]]
) -> dict[tuple[int, str], dict[str, Any]]:
    """Explanations as JSON for (row, policy) pairs, reading each enterprise's record once."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for row, policy_id in wanted:
        by_row[row].append(policy_id)
    out = {}
    for row, policy_ids in by_row.items():
        explanations = explain_all(result.policyset, result.table.record(row), policy_ids)
        for policy_id, explanation in zip(policy_ids, explanations, strict=True):
            out[row, policy_id] = explanation_snapshot(explanation)
    return out


def grant_eligible(
    subdistrict: Subdistrict,
    run: ScreeningRun,
    result: ScreeningResult,
    grantable: list[tuple[int, str, PolicyVersion, Decimal | None]],
    enterprise_ids: list[int],
    actor: Access,
) -> list[Grant]:
    """Grant what the run found eligible under auto-grant policies, unless the enterprise
    already holds (or held) a grant of that version; tell the enterprises' members."""
    if not grantable:
        return []
    already = set(
        Grant.objects.filter(
            subdistrict=subdistrict, policy_version__in={v.pk for _, _, v, _ in grantable}
        ).values_list("enterprise_id", "policy_version_id")
    )
    todo = [g for g in grantable if (enterprise_ids[g[0]], g[2].pk) not in already]
    if not todo:
        return []
    members = members_to_tell(subdistrict, (enterprise_ids[row] for row, *_ in todo))
    snapshots = _snapshots(result, [(row, policy_id) for row, policy_id, *_ in todo])
    now = clock.now()
    grants = []
    for row, policy_id, version, amount in todo:
        enterprise_id = enterprise_ids[row]
        grants.append(
            Grant(
                subdistrict=subdistrict,
                enterprise_id=enterprise_id,
                policy_version=version,
                policy_id=policy_id,
                amount=amount,
                rule_hash=version.rule_hash,
                evaluated_on=run.evaluated_on,
                decided_at=now,
                run=run,
                snapshot=snapshots[row, policy_id],
                notified_at=now if members.get(enterprise_id) else None,
            )
        )
    Grant.objects.bulk_create(grants)
    # One audit row per grant, written together: a first screening can grant thousands.
    AuditEntry.objects.bulk_create(
        AuditEntry(
            subdistrict_id=subdistrict.pk,
            at=now,
            actor=actor.user,
            action="policies.grant.create",
            object_type=Grant._meta.label_lower,
            object_id=str(grant.pk),
            object_repr=str(grant)[:200],
            after={
                "policy": grant.policy_version.key,
                "amount": str(grant.amount) if grant.amount is not None else None,
                "rule_hash": grant.rule_hash,
                "evaluated_on": grant.evaluated_on.isoformat(),
            },
        )
        for grant in grants
    )
    tell_about_grants(subdistrict, grants, members)
    return grants


def revoke_grant(grant: Grant, *, actor: Access, reason: str) -> Grant:
    actor.require(rules.can_revoke_grant(actor))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the grant is revoked.")]})
    if len(reason) > (limit := limits.max_length(Grant, "revoke_reason")):
        raise ValidationError({"reason": [limits.too_long(limit, len(reason))]})
    with transaction.atomic():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.status == Grant.Status.REVOKED:
            raise ValidationError(_("This grant is already revoked."))
        before = audit.snapshot(locked)
        locked.status = Grant.Status.REVOKED
        locked.revoked_at = clock.now()
        locked.revoked_by = actor.user
        locked.revoke_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        old, new = audit.changes(before, audit.snapshot(locked))
        audit.record(actor, "policies.grant.revoke", locked, before=old, after=new)
    return locked
