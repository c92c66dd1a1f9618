"""Explanations are for people: conditions in words, stored values by their labels, numbers
rounded, shares as percentages and missing data named, in both languages (issue 14)."""

import datetime as dt
import re

import pytest

from linli.policies.engine import DEFAULT_LIBRARY, explain, load_library
from tests.policies.engine.test_logic import CAPITAL, ON, leaf, policy

SYMBOLS = re.compile(r"[∈∉≥≤≠<>=]")
LONG_DECIMAL = re.compile(r"\d\.\d{3,}")
# Stored choice values. In English most labels are the same words ("small", "listed"): there
# the labels are checked in `test_values_and_requirements_in_words`.
RAW_EN = re.compile(r"\bmedium\b(?!-sized)")
RAW_ZH = re.compile(r"\b(micro|small|medium|large|none|counselling|filed|listed)\b")

MANY = {
    "all": [
        leaf("enterprise_scale", "in", ["small", "medium"]),
        leaf("enterprise_scale", "not_in", ["large"]),
        leaf("tax_credit_grade", "not_in", ["C", "D"]),
        leaf("tax_credit_grade", "eq", "A"),
        leaf("listing_stage", "ne", "none"),
        leaf("revenue_growth", "ge", 0.1),
        leaf("rd_ratio", "gt", 0.035),
        leaf("layoff_rate", "le", 0.05),
        leaf("headcount", "lt", 1000),
        leaf("registered_capital", "between", [100, 12345.678]),
        leaf("patents_invention", "in", [1, 2, 3]),
        leaf("founded_on", "ge", dt.date(2015, 1, 1)),
        leaf("tags", "has_tag", "high_tech"),
        leaf("registered_locally", "is_true"),
    ]
}
FULL = {
    "enterprise_scale": "medium",
    "tax_credit_grade": "B",
    "listing_stage": "counselling",
    "revenue_growth": 0.1636,
    "rd_ratio": 0.04321,
    "layoff_rate": 0.012345,
    "headcount": 1234,
    "registered_capital": 1234.5678,
    "patents_invention": 2,
    "founded_on": dt.date(2016, 3, 1),
    "tags": ["high_tech"],
    "registered_locally": True,
}


def assert_plain(explanation):
    for lang in ("zh", "en"):
        text = explanation.text(lang)
        assert not SYMBOLS.search(text), (lang, text)
        assert not LONG_DECIMAL.search(text), (lang, text)
        assert "未知" not in text and "unknown" not in text, (lang, text)
        # The whole text includes the policy authors' own labels ("Small or medium
        # enterprise"); in English only the engine's reasons are checked for stored values.
        raw = [text] if lang == "zh" else [o.reason_en for o in explanation.conditions]
        pattern = RAW_ZH if lang == "zh" else RAW_EN
        assert not any(pattern.search(t) for t in raw), (lang, text)


@pytest.mark.parametrize("record", [FULL, {}], ids=["full", "empty"])
def test_every_kind_of_condition_reads_in_words(record):
    assert_plain(explain(policy(MANY), record, on=ON))


def test_values_and_requirements_in_words():
    explanation = explain(policy(MANY), FULL, on=ON)
    zh = explanation.text("zh")
    en = explanation.text("en")
    assert "企业规模：中型（要求：为 小型、中型 之一）：满足" in zh
    assert "Enterprise size: medium-sized (required: one of small, medium-sized): met" in en
    assert "企业规模：中型（要求：不为 大型）：满足" in zh
    assert "Enterprise size: medium-sized (required: is not large): met" in en
    assert "纳税信用等级：B级（要求：不为 C级、D级 中任何一个）：满足" in zh
    assert "(required: none of grade C, grade D): met" in en
    assert "纳税信用等级：B级（要求：为 A级）：不满足" in zh
    assert "Tax credit grade: grade B (required: is grade A): not met" in en
    assert "上市进程：上市辅导期（要求：不为 未启动上市）" in zh
    assert "营业收入增长率：16.4%（要求：不低于 10%）" in zh
    assert "Revenue growth: 16.4% (required: at least 10%)" in en
    assert "R&D share of revenue: 4.3% (required: more than 3.5%)" in en
    assert "上年裁员率：1.2%（要求：不高于 5%）" in zh
    assert "Headcount: 1,234 people (required: less than 1,000 people): not met" in en
    assert "注册资本：1,234.57万元（要求：在 100万元 至 12,345.68万元 之间）" in zh
    assert "为 1件、2件、3件 之一" in zh
    assert "Date founded: 2016-03-01 (required: on or after 2015-01-01): met" in en


def test_missing_data_is_named():
    explanation = explain(policy(MANY), {"headcount": 5}, on=ON)
    zh, en = explanation.text("zh"), explanation.text("en")
    assert "企业规模：暂无数据（要求：为 小型、中型 之一）：数据缺失" in zh
    assert "Enterprise size: no data yet (required: one of small, medium-sized): missing data" in en
    assert zh.splitlines()[-1].startswith("暂无数据的项目：") and "营业收入增长率" in zh
    assert en.splitlines()[-1].startswith("No data yet for: ") and "Revenue growth" in en
    assert "员工人数" not in zh.splitlines()[-1]


def test_not_says_what_is_required():
    p = policy({"not": {"any": [leaf("enterprise_scale", "eq", "large"), CAPITAL]}})
    outcomes = explain(p, {"enterprise_scale": "small", "registered_capital": 50}, on=ON).conditions
    assert outcomes[0].reason_zh == "企业规模：小型（要求：不为 大型）：满足"
    assert outcomes[0].reason_en == "Enterprise size: small (required: is not large): met"
    assert outcomes[1].reason_en == (
        "Registered capital: 50 ×10k yuan (required: less than 100 ×10k yuan): met"
    )
    within = policy({"not": leaf("founded_on", "within_months_of", 12)})
    reason = explain(within, {}, on=ON).conditions[0].reason_en
    assert "(required: not within 12 months of 2025-06-30" in reason


def test_the_library_explains_in_plain_language():
    """Every policy of the library, on its own test enterprises and on one with no data."""
    for p in load_library(DEFAULT_LIBRARY):
        for case in p.tests:
            assert_plain(explain(p, case.enterprise, case.on or p.valid_from))
        assert_plain(explain(p, {}, p.valid_from))
