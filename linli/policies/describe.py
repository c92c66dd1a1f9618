"""Policies in plain language: conditions as a readable list and the amount as a sentence.

Everything here comes from the policy file itself (its labels in both languages, the field
labels of the engine, the parameters in force on a date), so the page can never say something
the rules do not do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from linli.policies.engine import FIELDS, CompiledPolicy, Label, Policy, PolicySet
from linli.policies.engine import formula as fm
from linli.policies.engine.fields import TAG_BY_NAME


def language() -> str:
    return "zh" if (get_language() or "zh").startswith("zh") else "en"


def field_label(name: str, lang: str | None = None) -> str:
    spec = FIELDS.get(name)
    if spec is None:
        return name
    return spec.zh if (lang or language()) == "zh" else spec.en


def tag_label(name: str, lang: str | None = None) -> str:
    tag = TAG_BY_NAME.get(name)
    if tag is None:
        return name
    return tag.zh if (lang or language()) == "zh" else tag.en


def display_date(policy: Policy, today: dt.date) -> dt.date:
    """The date whose parameters a page shows: today, or the nearest day the policy is in force."""
    if today < policy.valid_from:
        return policy.valid_from
    if policy.valid_to is not None and today > policy.valid_to:
        return policy.valid_to
    return today


_COMPILED: dict[tuple[str, dt.date], CompiledPolicy] = {}


def compiled(policy: Policy, on: dt.date) -> CompiledPolicy:
    """One policy compiled for display on a day it is in force (cached: pages show the same
    few dozen rules all day)."""
    key = (policy.rule_hash, on)
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) > 1024:
            _COMPILED.clear()
        found = _COMPILED[key] = PolicySet.compile([policy], on).policies[0]
    return found


@dataclass
class ConditionNode:
    """One line of the readable condition list: a group ("all"/"any") or a single test."""

    kind: str
    label: str
    detail: str = ""
    children: list[ConditionNode] = field(default_factory=list)


def condition_tree(cp: CompiledPolicy, lang: str | None = None) -> ConditionNode:
    lang = lang or language()

    def text(label: Label | None) -> str:
        return label.get(lang) if label is not None else ""

    def walk(node: Any) -> ConditionNode:
        if isinstance(node, int):
            c = cp.conditions[node]
            if c.op == "known":  # an input of the amount: its label says it all
                return ConditionNode("leaf", text(c.label))
            rule = text(c.rule)  # says "not" itself under a `not`
            detail = f"{text(c.head)}：{rule}" if lang == "zh" else f"{text(c.head)}: {rule}"
            return ConditionNode("leaf", text(c.label), detail)
        kind, label, children = node
        return ConditionNode(kind, text(label), children=[walk(child) for child in children])

    root = walk(cp.display)
    if root.kind == "leaf":
        root = ConditionNode("all", "", children=[root])
    return root


_OPS = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def _money(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def describe_formula(node: fm.Node, lang: str | None = None) -> str:
    """The bound amount formula as words: field labels, parameter values, min/max/tier."""
    lang = lang or language()
    zh = lang == "zh"

    def walk(n: fm.Node, parent: int = 0, right: bool = False) -> str:
        if isinstance(n, fm.Num):
            return _money(n.value)
        if isinstance(n, fm.Ref):
            return field_label(n.name, lang)
        if isinstance(n, fm.Neg):
            return f"−{walk(n.arg, 3)}"
        if isinstance(n, fm.Bin):
            level = _PRECEDENCE[n.op]
            text = f"{walk(n.left, level)} {_OPS[n.op]} {walk(n.right, level, True)}"
            if level < parent or (right and level == parent):
                return f"({text})"
            return text
        if isinstance(n, fm.Call):
            args = [walk(a) for a in n.args]
            if zh:
                name = {
                    "min": "取较小值",
                    "max": "取较大值",
                    "floor": "向下取整",
                    "ceil": "向上取整",
                }
                return f"{name[n.fn]}（{'，'.join(args)}）"
            if n.fn in ("min", "max"):
                word = "the smaller" if n.fn == "min" else "the larger"
                return f"{word} of ({', '.join(args)})"
            return f"{'rounded down' if n.fn == 'floor' else 'rounded up'} ({args[0]})"
        if isinstance(n, fm.Round):
            inner = walk(n.arg)
            if zh:
                places = "取整" if n.ndigits == 0 else f"保留{n.ndigits}位小数"
                return f"{inner}（四舍五入{places}）"
            places = "a whole number" if n.ndigits == 0 else f"{n.ndigits} decimals"
            return f"{inner} (rounded to {places})"
        # tier
        subject = walk(n.arg)
        steps = [(walk(t), walk(a)) for t, a in zip(n.thresholds, n.amounts, strict=True)]
        if zh:
            table = "；".join(f"达到{t}：{a}" for t, a in steps)
            return f"按{subject}分档（{table}；不足{steps[0][0]}：0）"
        table = "; ".join(f"from {t}: {a}" for t, a in steps)
        return f"by {subject} in steps ({table}; below {steps[0][0]}: 0)"

    return walk(node)


def describe_amount(cp: CompiledPolicy, lang: str | None = None) -> str:
    lang = lang or language()
    policy = cp.policy
    if cp.formula is None or policy.amount is None:
        return ""
    unit = policy.amount.unit.get(lang)
    text = describe_formula(cp.formula, lang)
    return f"{text}（{unit}）" if lang == "zh" else f"{text} ({unit})"


def format_amount(value: Any) -> str:
    if value is None:
        return ""
    return _money(float(value))
