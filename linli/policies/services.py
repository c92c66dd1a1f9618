"""Policy verbs: load the library, screen a sub-district, grant, apply, record a fact.

The engine (``linli.policies.engine``) knows nothing of Django; these verbs feed it from the
database and store what it decides, with the rule hash and evaluation date on every row.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scope

from linli.core import audit, clock
from linli.core.access import Access
from linli.core.messaging import notify
from linli.core.models import AuditEntry, Membership, Subdistrict, User
from linli.core.roles import ADMINS, Role
from linli.policies import rules
from linli.policies.describe import format_amount
from linli.policies.engine import (
    CONDITION_FIELDS,
    DEFAULT_LIBRARY,
    Explanation,
    Policy,
    PolicySet,
    RecordError,
    ScreeningResult,
    Status,
    explain,
    explain_all,
    load_library,
    load_policy_text,
)
from linli.policies.engine.fields import normalise_value
from linli.policies.models import (
    Application,
    Decision,
    EnterpriseFact,
    Grant,
    Mode,
    PolicyVersion,
    ScreeningRun,
)
from linli.policies.screening import FACT_FIELDS, build_table, enterprise_record
from linli.registry.models import Enterprise

logger = logging.getLogger(__name__)

APPLICATION_CATEGORY_CODE = "policy-application"
STATUS_OF = {
    Status.ELIGIBLE: Decision.Status.ELIGIBLE,
    Status.UNKNOWN: Decision.Status.MAYBE,
    Status.NEAR_MISS: Decision.Status.NEAR_MISS,
}
APPLICABLE = (Decision.Status.ELIGIBLE, Decision.Status.MAYBE)


def library_directory() -> Path:
    return Path(getattr(settings, "LINLI_POLICY_LIBRARY", DEFAULT_LIBRARY))


# --- the library --------------------------------------------------------------------------


class VersionConflict(ValidationError):
    """A file changes the rules of a version that is already loaded."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)  # tests or comments changed, rules not
    reactivated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _version_fields(policy: Policy, text: str) -> dict[str, Any]:
    unit = policy.amount.unit if policy.amount is not None else None
    return {
        "title_zh": policy.title.zh[:200],
        "title_en": policy.title.en[:200],
        "summary_zh": policy.summary.zh if policy.summary else "",
        "summary_en": policy.summary.en if policy.summary else "",
        "issuer_zh": policy.issuer.zh[:200],
        "issuer_en": policy.issuer.en[:200],
        "source_document": policy.source_document[:300],
        "source_clause": policy.source_clause[:300],
        "benefit": policy.benefit,
        "mode": policy.mode,
        "valid_from": policy.valid_from,
        "valid_to": policy.valid_to,
        "amount_unit_zh": unit.zh[:40] if unit else "",
        "amount_unit_en": unit.en[:40] if unit else "",
        "example": bool(policy.example),
        "document": _json_safe(dict(policy.document)),
        "source_text": text,
        "source_file": _short_path(policy.source_file),
    }


def _short_path(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return path[-300:]


def load_policies(
    directory: str | Path | None = None, *, actor: Access, deactivate_missing: bool = True
) -> LoadReport:
    """Bring the stored library in line with the policy files, all or nothing.

    A new id or version is added. A loaded version whose file now has different rules (another
    rule hash) is refused: decisions and grants quote that version, so an edit must be published
    as the next version. A version whose file is gone stays stored (grants refer to it) but
    leaves the library and is no longer screened.
    """
    actor.require(actor.is_system or actor.has_any(ADMINS))
    policies = load_library(directory or library_directory())
    report = LoadReport()
    with transaction.atomic():
        stored = {(v.policy_id, v.version): v for v in PolicyVersion.objects.select_for_update()}
        conflicts = []
        seen: set[int] = set()
        for policy in policies:
            text = Path(policy.source_file).read_text(encoding="utf-8")
            version = stored.get((policy.id, policy.version))
            if version is None:
                version = PolicyVersion.objects.create(
                    policy_id=policy.id,
                    version=policy.version,
                    rule_hash=policy.rule_hash,
                    **_version_fields(policy, text),
                )
                audit.record(
                    actor, "policies.policy.load", version, after={"rule_hash": policy.rule_hash}
                )
                report.created.append(policy.key)
                seen.add(version.pk)
                continue
            seen.add(version.pk)
            if version.rule_hash != policy.rule_hash:
                conflicts.append(
                    _(
                        "%(file)s: %(key)s is already loaded with other rules "
                        "(hash %(old)s…, the file now gives %(new)s…). Publish the change as "
                        "version %(next)s instead of editing version %(version)s."
                    )
                    % {
                        "file": policy.source_file,
                        "key": policy.key,
                        "old": version.rule_hash[:12],
                        "new": policy.rule_hash[:12],
                        "next": policy.version + 1,
                        "version": policy.version,
                    }
                )
                continue
            changed = []
            if version.source_text != text:
                version.source_text = text
                version.document = _json_safe(dict(policy.document))
                version.source_file = _short_path(policy.source_file)
                changed += ["source_text", "document", "source_file"]
                report.refreshed.append(policy.key)
            if not version.is_active:
                version.is_active = True
                changed.append("is_active")
                report.reactivated.append(policy.key)
                audit.record(actor, "policies.policy.reactivate", version)
            if changed:
                version.save(update_fields=changed)
            else:
                report.unchanged.append(policy.key)
        if conflicts:
            raise VersionConflict(conflicts)
        if deactivate_missing:
            for version in stored.values():
                if version.pk not in seen and version.is_active:
                    version.is_active = False
                    version.save(update_fields=["is_active"])
                    audit.record(actor, "policies.policy.deactivate", version)
                    report.deactivated.append(version.key)
    return report


_ENGINE_POLICIES: dict[tuple[str, str], Policy] = {}


def engine_policy(version: PolicyVersion) -> Policy:
    """The engine's view of a stored version, parsed from the stored file text (cached)."""
    key = (version.source_file, version.source_text)
    policy = _ENGINE_POLICIES.get(key)
    if policy is None:
        policy = load_policy_text(version.source_text, version.source_file)
        if policy.rule_hash != version.rule_hash:
            raise ValueError(f"{version.key}: stored text does not match its rule hash")
        _ENGINE_POLICIES[key] = policy
    return policy


def active_versions() -> list[PolicyVersion]:
    return list(PolicyVersion.objects.filter(is_active=True).order_by("policy_id", "version"))


def current_versions(on: dt.date) -> dict[str, PolicyVersion]:
    """For each policy id in the library, the version a page shows: the highest in force on
    ``on``, else the highest version (a policy not yet or no longer in force)."""
    chosen: dict[str, PolicyVersion] = {}
    for version in active_versions():
        current = chosen.get(version.policy_id)
        if (
            current is None
            or (version.in_force_on(on) and not current.in_force_on(on))
            or (
                version.in_force_on(on) == current.in_force_on(on)
                and version.version > current.version
            )
        ):
            chosen[version.policy_id] = version
    return chosen


# --- explanations -------------------------------------------------------------------------


def explanation_snapshot(explanation: Explanation) -> dict[str, Any]:
    """An explanation as JSON, in both languages, for a grant or an application to keep."""

    def label(value: Any) -> dict[str, str] | None:
        return None if value is None else {"zh": value.zh, "en": value.en}

    near = explanation.near_miss
    return {
        "policy": explanation.policy_id,
        "version": explanation.version,
        "rule_hash": explanation.rule_hash,
        "evaluated_on": explanation.evaluated_on.isoformat(),
        "title": label(explanation.title),
        "status": STATUS_OF.get(explanation.status, "ineligible"),
        "amount": explanation.amount,
        "unit": label(explanation.unit),
        "conditions": [
            {
                "field": o.field,
                "label": label(o.label),
                "result": o.result.name.lower(),
                "reason": {"zh": o.reason_zh, "en": o.reason_en},
            }
            for o in explanation.conditions
        ],
        "missing_fields": list(explanation.missing_fields),
        "near_miss": (
            None
            if near is None
            else {
                "field": near.field,
                "label": label(near.label),
                "reason": {"zh": near.reason_zh, "en": near.reason_en},
            }
        ),
        "text": {"zh": explanation.text("zh"), "en": explanation.text("en")},
    }


def explain_for(enterprise: Enterprise, version: PolicyVersion, on: dt.date) -> Explanation | None:
    """Why (or why not) an enterprise qualifies, with today's data, on ``on``."""
    record = enterprise_record(enterprise, on)
    if record is None:
        return None
    return explain(engine_policy(version), record, on)


# --- screening ----------------------------------------------------------------------------


def _decimal(value: float | None) -> Decimal | None:
    if value is None or not math.isfinite(value):
        return None
    return Decimal(f"{value:.2f}")


# The columns of a decision row; run, sub-district, rule hash and date are added per run.
DECISION_FIELDS = (
    "enterprise_id",
    "policy_version_id",
    "policy_id",
    "rule_hash",
    "status",
    "amount",
    "missing_fields",
    "failed_condition",
)


@dataclass
class _Screened:
    # One list per decision, in DECISION_FIELDS order.
    decisions: list[list[Any]]
    # Eligible rows of auto-grant policies: (row, policy id, version, amount).
    grantable: list[tuple[int, str, PolicyVersion, Decimal | None]]
    counts: dict[str, int]


def _failed(outcome: Any) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {
        "field": outcome.field,
        "label": {"zh": outcome.label.zh, "en": outcome.label.en},
        "reason": {"zh": outcome.reason_zh, "en": outcome.reason_en},
    }


def _decisions(
    result: ScreeningResult,
    versions: Mapping[tuple[str, int], PolicyVersion],
    enterprise_ids: list[int],
) -> _Screened:
    decisions: list[list[Any]] = []
    grantable: list[tuple[int, str, PolicyVersion, Decimal | None]] = []
    counts = {"eligible": 0, "maybe": 0, "near_miss": 0}
    # Near misses name their failed condition with the enterprise's value, which needs the
    # explainer; grouped by enterprise, each record is read once for all its policies.
    near: dict[int, list[tuple[str, list[Any]]]] = defaultdict(list)
    for cp in result.policyset.policies:
        version = versions[(cp.id, cp.policy.version)]
        head = (version.pk, cp.id, cp.policy.rule_hash)
        codes = result.policy_statuses(cp.id)
        rows, amounts = result.amounts(cp.id)
        amount_of = dict(zip(rows.tolist(), amounts.tolist(), strict=True))
        eligible = np.flatnonzero(codes == Status.ELIGIBLE).tolist()
        for row in eligible:
            amount = _decimal(amount_of.get(row))
            decisions.append([enterprise_ids[row], *head, "eligible", amount, [], None])
            if version.mode == Mode.AUTO_GRANT:
                grantable.append((row, cp.id, version, amount))
        unknown = np.flatnonzero(codes == Status.UNKNOWN).tolist()
        for row in unknown:
            missing = result.unknown_fields(row, cp.id)
            decisions.append([enterprise_ids[row], *head, "maybe", None, missing, None])
        missed = np.flatnonzero(codes == Status.NEAR_MISS).tolist()
        for row in missed:
            values: list[Any] = [enterprise_ids[row], *head, "near_miss", None, [], None]
            decisions.append(values)
            near[row].append((cp.id, values))
        counts["eligible"] += len(eligible)
        counts["maybe"] += len(unknown)
        counts["near_miss"] += len(missed)
    policyset = result.policyset
    for row, items in near.items():
        ids = [policy_id for policy_id, _values in items]
        explanations = explain_all(policyset, result.table.record(row), ids)
        for (_policy_id, values), explanation in zip(items, explanations, strict=True):
            values[-1] = _failed(explanation.near_miss)
    return _Screened(decisions, grantable, counts)


def _insert_decisions(run: ScreeningRun, rows: list[list[Any]]) -> None:
    """Plain INSERTs through ``executemany``. A sub-district writes tens of thousands of
    decisions a night, and ``bulk_create`` spends most of its time building a model instance
    and preparing every value of every row; here only JSON values need the database's form."""
    meta = Decision._meta
    by_name = {f.attname: f for f in meta.concrete_fields}
    fields = [
        by_name[name] for name in ("subdistrict_id", "run_id", "evaluated_on", *DECISION_FIELDS)
    ]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    missing_field, failed_field = by_name["missing_fields"], by_name["failed_condition"]
    common = (
        run.subdistrict_id,
        run.pk,
        connection.ops.adapt_datefield_value(run.evaluated_on),
    )
    adapt_decimal = connection.ops.adapt_decimalfield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                sql,
                [
                    (
                        *common,
                        *row[:5],
                        None if row[5] is None else adapt_decimal(row[5], 16, 2),
                        missing_field.get_db_prep_save(row[6], connection),
                        failed_field.get_db_prep_save(row[7], connection),
                    )
                    for row in rows[start : start + 5000]
                ],
            )


def run_screening(
    subdistrict: Subdistrict,
    *,
    actor: Access,
    on: dt.date | None = None,
    trigger: str = ScreeningRun.Trigger.ON_DEMAND,
) -> ScreeningRun:
    """Screen every enterprise of the sub-district against every policy in force on ``on``.

    The sub-district's decisions are replaced in one transaction, so pages show either the
    previous run or this one, never a mixture. Eligible enterprises of auto-grant policies get
    a grant (once per policy version) and their members a notification.
    """
    actor.require(rules.can_screen(actor))
    on = on or clock.today()
    started = clock.now()
    with scope(subdistrict=subdistrict):
        versions = active_versions()
        policyset = PolicySet.compile([engine_policy(v) for v in versions], on)
        by_key = {(v.policy_id, v.version): v for v in versions}
        table, enterprise_ids = build_table(subdistrict, on)
        result = policyset.screen(table)
        screened = _decisions(result, by_key, enterprise_ids)
        with transaction.atomic():
            # One run at a time per sub-district: a nightly run and a button press must not
            # interleave their deletes and inserts, nor both grant the same benefit.
            Subdistrict.objects.select_for_update().filter(pk=subdistrict.pk).first()
            Decision.objects.filter(subdistrict=subdistrict).delete()
            run = ScreeningRun.objects.create(
                subdistrict=subdistrict,
                trigger=trigger,
                requested_by=actor.user,
                started_at=started,
                finished_at=started,
                evaluated_on=on,
                enterprises=len(enterprise_ids),
                policies=len(policyset),
                policy_keys=[cp.policy.key for cp in policyset.policies],
                **screened.counts,
            )
            _insert_decisions(run, screened.decisions)
            grants = _grant(subdistrict, run, result, screened.grantable, enterprise_ids, actor)
            run.grants = len(grants)
            run.finished_at = clock.now()
            run.save(update_fields=["grants", "finished_at"])
    logger.info(
        "screened %s: %s enterprises × %s policies on %s, %s grants",
        subdistrict.code,
        run.enterprises,
        run.policies,
        on,
        run.grants,
    )
    return run


def _members(subdistrict: Subdistrict, enterprise_ids: Iterable[int]) -> dict[int, list[User]]:
    people: dict[int, list[User]] = defaultdict(list)
    memberships = Membership.objects.filter(
        subdistrict=subdistrict, role=Role.ENTERPRISE_MEMBER, enterprise_id__in=set(enterprise_ids)
    ).select_related("user")
    for membership in memberships:
        if membership.enterprise_id is not None and membership.user.is_active:
            people[membership.enterprise_id].append(membership.user)
    return people


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


def _grant(
    subdistrict: Subdistrict,
    run: ScreeningRun,
    result: ScreeningResult,
    grantable: list[tuple[int, str, PolicyVersion, Decimal | None]],
    enterprise_ids: list[int],
    actor: Access,
) -> list[Grant]:
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
    members = _members(subdistrict, (enterprise_ids[row] for row, *_ in todo))
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
    names = dict(
        Enterprise.objects.filter(pk__in={g.enterprise_id for g in grants}).values_list(
            "pk", "name"
        )
    )
    with translation.override(settings.LANGUAGE_CODE):
        zh = (translation.get_language() or "").startswith("zh")
        for grant in grants:
            version = grant.policy_version
            people = members.get(grant.enterprise_id)
            if not people:
                continue
            title = version.title_zh if zh else version.title_en
            unit = version.amount_unit_zh if zh else version.amount_unit_en
            if grant.amount is not None:
                body = _(
                    "%(enterprise)s qualifies for “%(policy)s” and has been granted "
                    "%(amount)s %(unit)s without applying. Evaluated on %(date)s under rule "
                    "version %(version)s."
                ) % {
                    "enterprise": names.get(grant.enterprise_id, ""),
                    "policy": title,
                    "amount": format_amount(grant.amount),
                    "unit": unit,
                    "date": grant.evaluated_on.isoformat(),
                    "version": version.version,
                }
            else:
                body = _(
                    "%(enterprise)s qualifies for “%(policy)s”, granted without applying. "
                    "Evaluated on %(date)s under rule version %(version)s."
                ) % {
                    "enterprise": names.get(grant.enterprise_id, ""),
                    "policy": title,
                    "date": grant.evaluated_on.isoformat(),
                    "version": version.version,
                }
            notify(
                people,
                subdistrict,
                title=_("Granted without applying: %(policy)s") % {"policy": title},
                body=body,
                url=reverse("policies:enterprise", kwargs={"pk": grant.enterprise_id}),
            )
    return grants


def enqueue_screening(subdistrict: Subdistrict, *, actor: Access, on: dt.date | None = None) -> str:
    """Queue a screening of the sub-district for the worker; returns the task's id."""
    from linli.policies.tasks import screen_subdistrict

    actor.require(rules.can_screen(actor))
    result = screen_subdistrict.enqueue(
        subdistrict.pk, on.isoformat() if on else None, actor.user.pk if actor.user else None
    )
    audit.record(
        actor,
        "policies.screening.request",
        object_type="policies.screeningrun",
        note=f"task {result.id}",
    )
    return str(result.id)


def revoke_grant(grant: Grant, *, actor: Access, reason: str) -> Grant:
    actor.require(actor.has_any(ADMINS))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the grant is revoked.")]})
    with transaction.atomic():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.status == Grant.Status.REVOKED:
            raise ValidationError(_("This grant is already revoked."))
        before = audit.snapshot(locked)
        locked.status = Grant.Status.REVOKED
        locked.revoked_at = clock.now()
        locked.revoked_by = actor.user
        locked.revoke_reason = reason[:200]
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        old, new = audit.changes(before, audit.snapshot(locked))
        audit.record(actor, "policies.grant.revoke", locked, before=old, after=new)
    return locked


# --- applying -----------------------------------------------------------------------------


def application_category(subdistrict: Subdistrict) -> Any:
    """The enterprise-appeal category policy applications are filed under.

    Ours (code ``policy-application``) if it exists; else a category the sub-district already
    files policy applications under (an active enterprise appeal with a ``policy`` field and no
    other required field), so that one queue keeps them all; else ours, made now, with fields
    that carry the policy version, its rule hash and the evaluation date onto the case.
    """
    from linli.cases.extra import fields_of
    from linli.cases.models import Category, CategoryField

    category = Category.objects.filter(
        subdistrict=subdistrict, code=APPLICATION_CATEGORY_CODE
    ).first()
    if category is not None:
        return category
    appeals = Category.objects.filter(
        subdistrict=subdistrict, kind=Category.Kind.ENTERPRISE_APPEAL, active=True
    ).order_by("code")
    for candidate in appeals:
        fields = fields_of(candidate)
        keys = {f.key for f in fields}
        if "policy" in keys and {f.key for f in fields if f.required} <= {"policy"}:
            return candidate
    with translation.override(settings.LANGUAGE_CODE):
        category = Category.objects.create(
            subdistrict=subdistrict,
            code=APPLICATION_CATEGORY_CODE,
            name=_("Policy application"),
            name_en="Policy application",
            kind=Category.Kind.ENTERPRISE_APPEAL,
            description=_("An enterprise applies for a preferential policy it qualifies for."),
        )
        specs = [
            ("policy", _("Policy and version"), CategoryField.Type.TEXT, True),
            ("rule_hash", _("Rule hash"), CategoryField.Type.TEXT, True),
            ("evaluated_on", _("Evaluation date"), CategoryField.Type.DATE, True),
            ("amount", _("Amount (yuan)"), CategoryField.Type.NUMBER, False),
        ]
        CategoryField.objects.bulk_create(
            CategoryField(
                subdistrict=subdistrict,
                category=category,
                key=key,
                label=label,
                type=kind,
                required=required,
                order=order,
            )
            for order, (key, label, kind, required) in enumerate(specs)
        )
    return category


def apply_for_policy(enterprise: Enterprise, policy_id: str, *, actor: Access) -> Application:
    """Open a case applying for a policy, with the eligibility explanation attached.

    The explanation is made again with the enterprise's data as it is now, on the screening's
    evaluation date, so the case carries exactly what the enterprise applied on.
    """
    from linli.cases.models import Channel
    from linli.cases.services import submit_case

    actor.require(rules.may_apply(actor, enterprise))
    decision = (
        Decision.objects.filter(enterprise=enterprise, policy_id=policy_id)
        .select_related("policy_version")
        .first()
    )
    if decision is None or decision.status not in APPLICABLE:
        raise ValidationError(_("This enterprise does not qualify for this policy."))
    version = decision.policy_version
    if version.mode != Mode.APPLY:
        raise ValidationError(_("This policy is not applied for: it is granted or announced."))
    existing = Application.objects.filter(enterprise=enterprise, policy_version=version).first()
    if existing is not None:
        raise ValidationError(
            _("An application for this policy is already open as case %(number)s.")
            % {"number": existing.case_number}
        )
    explanation = explain_for(enterprise, version, decision.evaluated_on)
    if explanation is None or STATUS_OF.get(explanation.status) not in APPLICABLE:
        raise ValidationError(
            _(
                "The enterprise's data changed since the last screening and it no longer "
                "qualifies; the next screening will update this page."
            )
        )
    snapshot = explanation_snapshot(explanation)
    lang = "zh" if (translation.get_language() or "").startswith("zh") else "en"
    title = version.title_zh if lang == "zh" else version.title_en
    amount = _decimal(explanation.amount)
    category = application_category(enterprise.subdistrict)
    extra: dict[str, Any] = {"policy": f"{title} ({version.key})"}
    if category.code == APPLICATION_CATEGORY_CODE:
        # Another category's amount field may count in other units: the snapshot has ours.
        extra["rule_hash"] = version.rule_hash
        extra["evaluated_on"] = decision.evaluated_on.isoformat()
        if amount is not None:
            extra["amount"] = str(amount)
    channel = Channel.WEB
    if enterprise.pk not in actor.linked_ids("enterprise"):
        channel = Channel.BUTLER_VISIT  # a butler files it on the enterprise's behalf
    try:
        with transaction.atomic():
            case = submit_case(
                actor=actor,
                category=category,
                channel=channel,
                title=(_("Policy application: %(policy)s") % {"policy": title})[:200],
                description=snapshot["text"][lang],
                enterprise=enterprise,
                extra=extra,
            )
            application = Application.objects.create(
                subdistrict=enterprise.subdistrict,
                enterprise=enterprise,
                policy_version=version,
                policy_id=version.policy_id,
                case=case,
                case_number=case.number,
                status_when_applied=STATUS_OF[explanation.status],
                amount=amount,
                rule_hash=version.rule_hash,
                evaluated_on=decision.evaluated_on,
                snapshot=snapshot,
                applied_by=actor.user,
            )
            audit.record(
                actor,
                "policies.application.submit",
                application,
                after={"policy": version.key, "case": case.number, "rule_hash": version.rule_hash},
            )
    except IntegrityError:
        raise ValidationError(_("An application for this policy is already open.")) from None
    return application


# --- facts the registry does not hold ----------------------------------------------------


def record_fact(
    enterprise: Enterprise,
    field_name: str,
    value: Any,
    *,
    actor: Access,
    source: str,
    as_of: dt.date | None = None,
) -> EnterpriseFact:
    """Record a policy field's value for an enterprise (``None`` clears it)."""
    actor.require(rules.may_record_fact(actor, enterprise))
    if field_name not in FACT_FIELDS:
        raise ValidationError({"field": [_("This field is not recorded as a fact.")]})
    try:
        clean = normalise_value(CONDITION_FIELDS[field_name], value)
    except RecordError as exc:
        raise ValidationError({"value": [exc.message]}) from None
    stored = _json_safe(sorted(clean) if isinstance(clean, frozenset) else clean)
    with transaction.atomic():
        fact, created = EnterpriseFact.objects.update_or_create(
            subdistrict=enterprise.subdistrict,
            enterprise=enterprise,
            field=field_name,
            defaults={
                "value": stored,
                "source": source[:100],
                "as_of": as_of,
                "recorded_at": clock.now(),
                "recorded_by": actor.user,
            },
        )
        audit.record(
            actor,
            "policies.fact.record",
            fact,
            after={"field": field_name, "value": stored, "source": source[:100]},
        )
    return fact
