"""Why an enterprise qualifies (or not), as the engine explains it, kept as JSON by a grant or
an application."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from linli.policies.engine import Explanation, Status, explain
from linli.policies.enterprise_table import enterprise_record
from linli.policies.models import Decision, PolicyVersion
from linli.policies.services.library import engine_policy
from linli.registry.models import Enterprise

STATUS_OF = {
    Status.ELIGIBLE: Decision.Status.ELIGIBLE,
    Status.UNKNOWN: Decision.Status.MAYBE,
    Status.NEAR_MISS: Decision.Status.NEAR_MISS,
}


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


def amount_of(value: float | None) -> Decimal | None:
    """An engine amount as the yuan amount stored with a decision, a grant or an application."""
    if value is None or not math.isfinite(value):
        return None
    return Decimal(f"{value:.2f}")
