"""Screening: every enterprise of a sub-district against every policy in force, in one run
whose decisions replace the previous run's; auto-grant policies grant on the way."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection, transaction
from django_scopes import scope

from linli.core import audit, clock
from linli.core.access import Access
from linli.core.models import Subdistrict
from linli.policies import rules
from linli.policies.engine import PolicySet, ScreeningResult, Status, explain_all
from linli.policies.enterprise_table import build_table
from linli.policies.models import Decision, Mode, PolicyVersion, ScreeningRun
from linli.policies.services.explanations import amount_of
from linli.policies.services.grants import grant_eligible
from linli.policies.services.library import active_versions, engine_policy

logger = logging.getLogger(__name__)

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
        by_row = dict(zip(rows.tolist(), amounts.tolist(), strict=True))
        eligible = np.flatnonzero(codes == Status.ELIGIBLE).tolist()
        for row in eligible:
            amount = amount_of(by_row.get(row))
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
            grants = grant_eligible(
                subdistrict, run, result, screened.grantable, enterprise_ids, actor
            )
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
