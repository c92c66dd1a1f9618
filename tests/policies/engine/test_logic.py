"""Three-valued logic, near misses, versions and the screening accessors."""

import datetime as dt

import numpy as np
import pytest

from linli.policies.engine import (
    EnterpriseTable,
    PolicySet,
    Status,
    Tri,
    build_policy,
    explain,
)

ON = dt.date(2025, 6, 30)


def leaf(field, op, value=None, **extra):
    node = {"field": field, "op": op, "label": {"zh": f"{field}条件", "en": f"{field} test"}}
    if value is not None:
        node["value"] = value
    node.update(extra)
    return node


def policy(conditions, pid="p", version=1, amount=None, **extra):
    document = {
        "id": pid,
        "version": version,
        "example": True,
        "title": {"zh": "示例", "en": "Example"},
        "issuer": {"zh": "示例局", "en": "Example bureau"},
        "source": {"document": "d", "clause": "1"},
        "valid_from": dt.date(2024, 1, 1),
        "benefit": "award",
        "mode": "auto_grant",
        "conditions": conditions,
        "tests": [{"enterprise": {}, "expect": "unknown"}],
        **extra,
    }
    if amount:
        document["amount"] = {"formula": amount}
    return build_policy(document)


CAPITAL = leaf("registered_capital", "ge", 100)
LOCAL = leaf("registered_locally", "is_true")


def status(p, record):
    return explain(p, record, on=ON).status


@pytest.mark.parametrize(
    ("capital", "local", "all_status", "any_status"),
    [
        (200, True, Status.ELIGIBLE, Status.ELIGIBLE),
        (200, False, Status.NEAR_MISS, Status.ELIGIBLE),
        (50, False, Status.INELIGIBLE, Status.NEAR_MISS),
        (200, None, Status.UNKNOWN, Status.ELIGIBLE),
        (50, None, Status.INELIGIBLE, Status.UNKNOWN),
        (None, None, Status.UNKNOWN, Status.UNKNOWN),
    ],
)
def test_kleene_all_and_any(capital, local, all_status, any_status):
    record = {"registered_capital": capital, "registered_locally": local}
    assert status(policy({"all": [CAPITAL, LOCAL]}), record) is all_status
    assert status(policy({"any": [CAPITAL, LOCAL]}), record) is any_status


def test_not_keeps_unknown_unknown():
    p = policy({"not": CAPITAL})
    assert status(p, {"registered_capital": 50}) is Status.ELIGIBLE
    assert status(p, {"registered_capital": 500}) is Status.NEAR_MISS
    assert status(p, {}) is Status.UNKNOWN


def test_negated_operators_treat_missing_as_unknown():
    for op, value in [("ne", 5), ("lt", 5), ("gt", 5), ("not_in", [1, 2])]:
        assert status(policy(leaf("headcount", op, value)), {}) is Status.UNKNOWN
    assert status(policy(leaf("has_violation_record", "is_false")), {}) is Status.UNKNOWN


def test_near_miss_needs_every_other_condition_to_pass():
    p = policy({"all": [CAPITAL, LOCAL, leaf("headcount", "ge", 10)]})
    assert (
        status(p, {"registered_capital": 50, "registered_locally": True, "headcount": 20})
        is Status.NEAR_MISS
    )
    assert status(p, {"registered_capital": 50, "registered_locally": True}) is Status.INELIGIBLE
    assert (
        status(p, {"registered_capital": 50, "registered_locally": False, "headcount": 20})
        is Status.INELIGIBLE
    )


def test_near_miss_names_the_condition_to_fix_inside_groups():
    cheap = leaf("headcount", "ge", 10)
    p = policy({"all": [CAPITAL, {"any": [LOCAL, cheap]}]})
    record = {"registered_capital": 50, "registered_locally": False, "headcount": 20}
    explanation = explain(p, record, on=ON)
    assert explanation.status is Status.NEAR_MISS
    assert explanation.near_miss.field == "registered_capital"


def test_amount_inputs_must_be_known_for_a_grant():
    p = policy(LOCAL, amount="tax_last_year * 100")
    assert status(p, {"registered_locally": True}) is Status.UNKNOWN
    explanation = explain(p, {"registered_locally": True, "tax_last_year": 3}, on=ON)
    assert explanation.status is Status.ELIGIBLE and explanation.amount == 300
    assert "tax_last_year" in explain(p, {"registered_locally": True}, on=ON).missing_fields


def test_reasons_in_both_languages():
    explanation = explain(policy(CAPITAL), {"registered_capital": 500}, on=ON)
    outcome = explanation.conditions[0]
    assert outcome.result is Tri.PASS
    assert outcome.reason_zh == "注册资本：500万元（要求：不低于 100万元）：满足"
    assert (
        outcome.reason_en
        == "Registered capital: 500 ×10k yuan (required: at least 100 ×10k yuan): met"
    )
    missing = explain(policy(CAPITAL), {}, on=ON).conditions[0]
    assert missing.reason_zh == "注册资本：暂无数据（要求：不低于 100万元）：数据缺失"
    assert missing.reason_en == (
        "Registered capital: no data yet (required: at least 100 ×10k yuan): missing data"
    )
    text = explanation.text("en")
    assert "eligible" in text and "Registered capital" in text


def test_within_months_of_evaluation_date():
    p = policy(leaf("founded_on", "within_months_of", 36))
    assert status(p, {"founded_on": dt.date(2022, 7, 1)}) is Status.ELIGIBLE
    assert status(p, {"founded_on": dt.date(2022, 6, 29)}) is Status.NEAR_MISS
    assert explain(p, {"founded_on": "2022-06-30"}, on=ON).status is Status.ELIGIBLE


def test_industry_prefixes_and_tags():
    p = policy(
        {
            "all": [
                leaf("industry_code", "industry_in", ["I65", "M"]),
                leaf("tags", "has_tag", "high_tech"),
            ]
        }
    )
    assert status(p, {"industry_code": "I6510", "tags": ["high_tech"]}) is Status.ELIGIBLE
    assert (
        status(p, {"industry_code": "M7320", "tags": ["high_tech", "small_micro"]})
        is Status.ELIGIBLE
    )
    assert status(p, {"industry_code": "I6420", "tags": ["high_tech"]}) is Status.NEAR_MISS
    assert status(p, {"industry_code": "I6510"}) is Status.UNKNOWN


def test_dated_parameters_pick_the_value_in_force():
    p = policy(
        leaf("registered_capital", "ge", param="minimum"),
        parameters={
            "minimum": [
                {"from": dt.date(2024, 1, 1), "value": 100},
                {"from": dt.date(2025, 1, 1), "value": 300},
            ]
        },
    )
    record = {"registered_capital": 200}
    assert explain(p, record, on=dt.date(2024, 6, 1)).status is Status.ELIGIBLE
    assert explain(p, record, on=dt.date(2025, 6, 1)).status is Status.NEAR_MISS


def test_compile_keeps_active_highest_version_and_shares_predicates():
    old = policy(CAPITAL, pid="a", version=1, valid_to=dt.date(2025, 3, 31))
    new = policy({"all": [CAPITAL, LOCAL]}, pid="a", version=2)
    other = policy({"all": [LOCAL, CAPITAL]}, pid="b")
    expired = policy(LOCAL, pid="c", valid_to=dt.date(2024, 12, 31))
    policyset = PolicySet.compile([old, new, other, expired], on=ON)
    assert policyset.policy_ids == ["a", "b"]
    assert policyset["a"].policy.version == 2
    assert len(policyset.predicates) == 2
    assert PolicySet.compile([old, new], on=dt.date(2025, 1, 1))["a"].policy.version == 2


def test_screening_accessors():
    policyset = PolicySet.compile(
        [policy({"all": [CAPITAL, LOCAL]}, pid="a", amount="registered_capital * 10")], on=ON
    )
    records = [
        {"registered_capital": 200, "registered_locally": True},
        {"registered_capital": 50, "registered_locally": True},
        {"registered_capital": 200},
        {"registered_capital": 5, "registered_locally": False},
        {"registered_capital": 1000, "registered_locally": True},
    ]
    table = EnterpriseTable.from_records(records)
    for keep in (True, False):
        result = policyset.screen(table, keep_conditions=keep)
        assert result.eligible("a").tolist() == [0, 4]
        rows, amounts = result.amounts("a")
        assert rows.tolist() == [0, 4] and amounts.tolist() == [2000, 10000]
        assert result.amount(4, "a") == 10000 and result.amount(1, "a") is None
        assert result.unknown("a").tolist() == [2]
        assert result.near_misses("a").tolist() == [1]
        assert result.unknown_fields(2, "a") == ["registered_locally"]
        assert result.near_miss_condition(1, "a").field == "registered_capital"
        assert result.status_matrix()[:, 0].tolist() == [2, 3, 1, 0, 2]
        assert result.counts()["a"] == {
            "eligible": 2,
            "unknown": 1,
            "near_miss": 1,
            "ineligible": 1,
        }


def test_from_columns_matches_from_records():
    records = [
        {
            "registered_capital": 200,
            "founded_on": dt.date(2024, 1, 1),
            "enterprise_scale": "small",
            "tags": ["high_tech"],
            "registered_locally": True,
        },
        {
            "registered_capital": None,
            "founded_on": None,
            "enterprise_scale": None,
            "tags": None,
            "registered_locally": None,
        },
    ]
    a = EnterpriseTable.from_records(records)
    b = EnterpriseTable.from_columns(
        {
            "registered_capital": np.array([200.0, np.nan]),
            "founded_on": np.array(["2024-01-01", "NaT"], dtype="datetime64[D]"),
            "enterprise_scale": ["small", None],
            "tags": [["high_tech"], None],
            "registered_locally": [True, None],
        }
    )
    for row in range(2):
        assert a.record(row) == b.record(row)
