"""Running the test cases that each policy file carries.

A case passes only if the single-enterprise explainer and the vectorised screen agree with each
other and with the expectation, so every library policy also exercises both evaluators.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .compile import CompileError, PolicySet, Status
from .explain import explain_compiled
from .policy import Policy, PolicyCase
from .table import EnterpriseTable

_EXPECTED = {
    "eligible": {Status.ELIGIBLE},
    "unknown": {Status.UNKNOWN},
    "ineligible": {Status.INELIGIBLE, Status.NEAR_MISS},
}
AMOUNT_TOLERANCE = 0.005


@dataclass(frozen=True)
class CaseOutcome:
    policy: str
    case: str
    line: int
    passed: bool
    message: str

    def __str__(self) -> str:
        mark = "ok" if self.passed else "FAIL"
        detail = f": {self.message}" if self.message else ""
        return f"{mark} {self.policy} / {self.case} (line {self.line}){detail}"


def _run_case(policy: Policy, case: PolicyCase) -> CaseOutcome:
    on = case.on or policy.valid_from

    def outcome(passed: bool, message: str = "") -> CaseOutcome:
        return CaseOutcome(policy.key, case.name, case.line, passed, message)

    if not policy.active_on(on):
        return outcome(False, f"the policy is not in force on {on.isoformat()}")
    try:
        policyset = PolicySet.compile([policy], on)
    except CompileError as exc:
        return outcome(False, str(exc))
    cp = policyset.policies[0]
    explanation = explain_compiled(policyset, cp, case.enterprise)
    result = policyset.screen(EnterpriseTable.from_records([case.enterprise]), workers=1)
    screened = result.status(0, policy.id)
    if screened is not explanation.status:
        return outcome(
            False, f"screen says {screened.name}, explain says {explanation.status.name}"
        )
    screened_amount = result.amount(0, policy.id)
    if (screened_amount is None) != (explanation.amount is None) or (
        screened_amount is not None
        and explanation.amount is not None
        and not (screened_amount == explanation.amount or math.isnan(screened_amount))
    ):
        return outcome(False, f"amounts differ: {screened_amount} vs {explanation.amount}")
    if explanation.status not in _EXPECTED[case.expect]:
        reasons = "; ".join(o.reason_en for o in explanation.conditions if o.result.name != "PASS")
        return outcome(False, f"expected {case.expect}, got {explanation.status.name}: {reasons}")
    if case.amount is not None and (
        explanation.amount is None or abs(explanation.amount - case.amount) > AMOUNT_TOLERANCE
    ):
        return outcome(False, f"expected amount {case.amount}, got {explanation.amount}")
    return outcome(True)


def run_policy_tests(policy: Policy) -> list[CaseOutcome]:
    return [_run_case(policy, case) for case in policy.tests]
