"""Small policy files for the Django-layer tests, and helpers to load and screen them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django_scopes import scope

from linli.core.access import Access
from linli.policies.services import load_policies, run_screening

ON = dt.date(2026, 3, 2)
LAST_YEAR = ON.year - 1

HEADER = """\
# EXAMPLE ONLY: a test policy.
id: {id}
version: {version}
example: true
title: {{zh: {zh}（示例）, en: {en} (example)}}
issuer: {{zh: 测试局, en: Test Bureau}}
source: {{document: 测试文件〔2026〕1号, clause: 第{clause}条}}
valid_from: {valid_from}
{valid_to}benefit: {benefit}
mode: {mode}
"""

# Eligible for a high-tech enterprise of at least 10 people: a flat award.
ELIGIBLE = """\
parameters:
  award: {award}
conditions:
  all:
    - field: tags
      op: has_tag
      value: high_tech
      label: {{zh: 高新技术企业, en: Recognised high-tech enterprise}}
    - field: headcount
      op: ge
      value: 10
      label: {{zh: 员工不少于10人, en: At least 10 employees}}
amount:
  formula: award
tests:
  - enterprise: {{tags: [high_tech], headcount: 20}}
    expect: eligible
    amount: {award}
  - enterprise: {{tags: [], headcount: 20}}
    expect: ineligible
"""

# Needs the tax credit grade, which the registry does not hold: "maybe" until it is recorded.
MAYBE = """\
conditions:
  all:
    - field: tax_credit_grade
      op: in
      value: [A, B]
      label: {{zh: 纳税信用等级为A或B, en: Tax credit grade A or B}}
    - field: registered_capital
      op: ge
      value: 100
      label: {{zh: 注册资本不低于100万元, en: Registered capital at least 1 million yuan}}
amount:
  formula: min(registered_capital * 100, 60000)
  unit: {{zh: 元, en: yuan}}
tests:
  - enterprise: {{tax_credit_grade: A, registered_capital: 500}}
    expect: eligible
    amount: 50000
  - enterprise: {{registered_capital: 500}}
    expect: unknown
"""

# Fails only on headcount for a 20-person high-tech firm: a near miss.
NEAR = """\
conditions:
  all:
    - field: tags
      op: has_tag
      value: high_tech
      label: {{zh: 高新技术企业, en: Recognised high-tech enterprise}}
    - field: headcount
      op: ge
      value: 500
      label: {{zh: 员工不少于500人, en: At least 500 employees}}
tests:
  - enterprise: {{tags: [high_tech], headcount: 600}}
    expect: eligible
  - enterprise: {{tags: [high_tech], headcount: 20}}
    expect: ineligible
"""


def policy_text(
    policy_id: str,
    body: str,
    *,
    version: int = 1,
    mode: str = "apply",
    benefit: str = "award",
    en: str = "",
    zh: str = "测试政策",
    clause: str = "三",
    valid_from: str = "2020-01-01",
    valid_to: str = "",
    award: int = 100000,
) -> str:
    return HEADER.format(
        id=policy_id,
        version=version,
        zh=zh,
        en=en or policy_id.replace("-", " ").capitalize(),
        clause=clause,
        valid_from=valid_from,
        valid_to=f"valid_to: {valid_to}\n" if valid_to else "",
        benefit=benefit,
        mode=mode,
    ) + body.format(award=award)


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def three_policies(directory: Path, *, auto: bool = False) -> Path:
    """A library of three: eligible (award 100,000), maybe (missing tax credit grade) and near
    miss (headcount) for a 20-person high-tech enterprise."""
    write(
        directory,
        "test-eligible.v1.yaml",
        policy_text(
            "test-eligible",
            ELIGIBLE,
            mode="auto_grant" if auto else "apply",
            en="Test high-tech award",
        ),
    )
    write(directory, "test-maybe.v1.yaml", policy_text("test-maybe", MAYBE, en="Test credit"))
    write(directory, "test-near.v1.yaml", policy_text("test-near", NEAR, en="Test big firm"))
    return directory


def load(directory: Path):
    return load_policies(directory, actor=Access.system(None))


def screen(subdistrict, on: dt.date = ON):
    with scope(subdistrict=subdistrict):
        return run_screening(subdistrict, actor=Access.system(subdistrict), on=on)
