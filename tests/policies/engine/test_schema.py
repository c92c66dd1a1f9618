"""Malformed policies are refused at load with their file, line and reason."""

import textwrap

import pytest

from linli.policies.engine import PolicyError, load_policy_file, load_policy_text

GOOD = """\
id: sample-award
version: 1
example: true
title: {zh: 示例奖励, en: Sample award}
issuer: {zh: 示例局, en: Example bureau}
source: {document: 示例文件, clause: 第一条}
valid_from: 2024-01-01
valid_to: 2025-12-31
benefit: award
mode: auto_grant
parameters:
  min_capital: 100
  cap:
    - {from: 2024-01-01, value: 1000}
    - {from: 2025-01-01, value: 2000}
conditions:
  all:
    - field: registered_capital
      op: ge
      param: min_capital
      label: {zh: 注册资本达标, en: Enough capital}
    - field: tags
      op: has_tag
      value: high_tech
      label: {zh: 高新技术企业, en: High-tech}
amount:
  formula: min(tax_last_year * 100, cap)
tests:
  - enterprise: {registered_capital: 200, tags: [high_tech], tax_last_year: 5}
    expect: eligible
    amount: 500
"""


def refused(text):
    with pytest.raises(PolicyError) as info:
        load_policy_text(textwrap.dedent(text), "sample.yaml")
    return info.value.problems


def test_good_policy_loads_with_a_rule_hash():
    policy = load_policy_text(GOOD, "sample.yaml")
    assert policy.id == "sample-award"
    assert len(policy.rule_hash) == 64
    assert policy.parameters["cap"].values[1][1] == 2000


def test_rule_hash_ignores_tests_comments_and_spacing_but_not_rules():
    base = load_policy_text(GOOD).rule_hash
    assert load_policy_text("# comment\n" + GOOD).rule_hash == base
    assert (
        load_policy_text(
            GOOD.replace("min(tax_last_year * 100, cap)", "min( tax_last_year*100 ,cap )")
        ).rule_hash
        == base
    )
    assert (
        load_policy_text(
            GOOD.replace("expect: eligible\n    amount: 500", "expect: eligible")
        ).rule_hash
        == base
    )
    assert load_policy_text(GOOD.replace("min_capital: 100", "min_capital: 101")).rule_hash != base


@pytest.mark.parametrize(
    ("old", "new", "line", "reason"),
    [
        (
            "field: registered_capital",
            "field: registered_capitol",
            18,
            "unknown field 'registered_capitol'",
        ),
        ("op: ge", "op: gte", 19, "unknown operator 'gte'"),
        ("op: has_tag", "op: ge", 23, "does not apply to tags field"),
        ("param: min_capital", "param: min_capitel", 20, "unknown parameter 'min_capitel'"),
        ("value: high_tech", "value: hi_tech", 24, "unknown tag 'hi_tech'"),
        (
            "formula: min(tax_last_year * 100, cap)",
            "formula: min(tax_last_year * 100, cap",
            27,
            "bad formula: expected ')'",
        ),
        (
            "formula: min(tax_last_year * 100, cap)",
            "formula: min(tax_lastyear * 100, cap)",
            27,
            "unknown name 'tax_lastyear' at column 5",
        ),
        (
            "formula: min(tax_last_year * 100, cap)",
            "formula: min(industry_code * 100, cap)",
            27,
            "not a number",
        ),
        (
            "formula: min(tax_last_year * 100, cap)",
            "formula: eval(tax_last_year)",
            27,
            "unknown function 'eval'",
        ),
        ("benefit: award", "benefit: gift", 9, "benefit must be one of"),
        ("mode: auto_grant", "mode: automatic", 10, "mode must be one of"),
        ("valid_to: 2025-12-31", "valid_to: 2023-12-31", 8, "valid_to is before valid_from"),
        (
            "    - {from: 2024-01-01, value: 1000}",
            "    - {from: 2024-03-01, value: 1000}",
            14,
            "starts after valid_from",
        ),
        ("expect: eligible", "expect: maybe", 30, "expect must be one of"),
        ("tags: [high_tech]", "tagz: [high_tech]", 29, "unknown field"),
        (
            "label: {zh: 注册资本达标, en: Enough capital}",
            "label: {zh: 注册资本达标}",
            21,
            "missing required key 'en'",
        ),
        ("example: true", "example: yes please", 3, "example must be true or false"),
        ("id: sample-award", "id: Sample Award", 1, "id must be lower-case"),
        ("min_capital: 100", "min_capital: lots", 20, "expected a number"),
    ],
)
def test_malformed_policy_reports_line_and_reason(old, new, line, reason):
    assert old in GOOD
    problems = refused(GOOD.replace(old, new, 1))
    assert any(reason in p.reason and p.line == line for p in problems), problems
    assert all(p.file == "sample.yaml" for p in problems)


def test_unknown_top_level_key_and_missing_keys():
    problems = refused(GOOD.replace("benefit: award\n", "").replace("mode:", "moed:"))
    reasons = " | ".join(str(p) for p in problems)
    assert "missing required key 'benefit'" in reasons
    assert "unknown key 'moed'" in reasons
    assert "sample.yaml:9:" in reasons


def test_unused_parameter_is_refused():
    problems = refused(GOOD.replace("  min_capital: 100\n", "  min_capital: 100\n  spare: 3\n"))
    assert any("never used" in p.reason for p in problems)


def test_between_and_in_values_are_checked():
    bad = GOOD.replace(
        "op: ge\n      param: min_capital",
        "op: between\n      value: [500, 100]",
    ).replace("  min_capital: 100\n", "")
    assert any("low is above high" in p.reason for p in refused(bad))
    bad = GOOD.replace(
        "field: registered_capital\n      op: ge\n      param: min_capital",
        "field: enterprise_scale\n      op: in\n      value: [tiny]",
    ).replace("  min_capital: 100\n", "")
    assert any("'tiny' is not one of" in p.reason for p in refused(bad))


def test_industry_prefixes_are_checked():
    bad = GOOD.replace(
        "field: registered_capital\n      op: ge\n      param: min_capital",
        "field: industry_code\n      op: industry_in\n      value: [I65, '6510']",
    ).replace("  min_capital: 100\n", "")
    assert any("not a GB/T 4754 code prefix" in p.reason for p in refused(bad))


def test_dated_parameter_type_is_checked_for_every_date():
    bad = GOOD.replace("value: 2000}", "value: lots}")
    problems = refused(bad)
    assert any("value from 2025-01-01" in p.reason for p in problems)


def test_yaml_syntax_error_has_a_line():
    problems = refused("id: x\ntitle: [unclosed\n")
    assert problems[0].line >= 2 and "not valid YAML" in problems[0].reason


def test_duplicate_keys_are_refused():
    problems = refused(GOOD.replace("version: 1\n", "version: 1\nversion: 2\n"))
    assert "duplicate key 'version'" in problems[0].reason and problems[0].line == 3


def test_all_problems_are_listed_together():
    text = GOOD.replace("op: ge", "op: gte").replace("benefit: award", "benefit: gift")
    assert len(refused(text)) >= 2


def test_load_policy_file_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(GOOD.replace("op: ge", "op: gte"), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy_file(path)
    assert str(path) in str(info.value) and ":19:" in str(info.value)
