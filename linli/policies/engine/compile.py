"""Turning active policies into shared predicates over the enterprise table.

For one evaluation date every parameter has one value, so each leaf condition becomes a concrete
predicate such as "registered_capital >= 100". Many policies test the same thing (registered in
the district, no serious violation, small or micro), so predicates are keyed canonically and
evaluated once for all policies. `lt`/`gt`/`ne`/`not_in`/`is_false` are the negations of
`ge`/`le`/`eq`/`in`/`is_true`, which is exact in three-valued logic (missing stays unknown), and
`not` is pushed down to the leaves (negation normal form) so that a policy is a tree of all/any
over literals. That makes "near miss" well defined: the tree is monotone in its literals, so if
exactly one literal fails and every other passes, fixing that one condition makes the policy pass.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import formula as fm
from .fields import (
    CONDITION_FIELDS,
    TAG_BITS,
    TAG_BY_NAME,
    FieldType,
    add_months,
    date_to_days,
)
from .policy import Condition, Group, Label, Leaf, Not, ParamRef, Policy


class Status(enum.IntEnum):
    """Outcome of one enterprise against one policy."""

    INELIGIBLE = 0
    UNKNOWN = 1  # no condition fails but some data is missing
    ELIGIBLE = 2
    NEAR_MISS = 3  # ineligible, but exactly one condition fails and every other passes


class Tri(enum.IntEnum):
    """Outcome of one condition (Kleene's three values)."""

    FAIL = 0
    UNKNOWN = 1
    PASS = 2


# Screening folds a policy's literals into one small integer, its "deficit": a passing literal
# adds 0, an unknown one 1 and a failing one 64; `all` sums, `any` takes the minimum. Then 0 is
# eligible, 1..63 unknown, exactly 64 a near miss and more is ineligible. One add per literal
# yields status and near-miss together; at most 60 literals per policy keeps unknowns below 64.
W_PASS, W_UNKNOWN, W_FAIL = 0, 1, 64
D_NEAR, D_INELIGIBLE = 64, 65


def status_of_deficit(deficit: int) -> Status:
    if deficit == 0:
        return Status.ELIGIBLE
    if deficit < D_NEAR:
        return Status.UNKNOWN
    if deficit == D_NEAR:
        return Status.NEAR_MISS
    return Status.INELIGIBLE


DEFICIT_TO_STATUS = np.full(256, Status.INELIGIBLE, dtype=np.int8)
DEFICIT_TO_STATUS[0] = Status.ELIGIBLE
DEFICIT_TO_STATUS[1:D_NEAR] = Status.UNKNOWN
DEFICIT_TO_STATUS[D_NEAR] = Status.NEAR_MISS


@dataclass(frozen=True)
class Predicate:
    """A leaf test with its parameters resolved; `pass` is False where data is missing.

    kinds: ge, le, eq, in, between (numbers, with dates as days since 1970), true (booleans),
    str_in, prefix (text), tag (tags bitmask), known (the field has a value).
    """

    kind: str
    field: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class CompiledCondition:
    """One condition of one policy as shown to people, pointing at a shared literal."""

    literal: int
    field: str
    op: str  # as written, or "known" for data the amount needs
    label: Label
    inverted: bool  # under an odd number of `not` (`rule` already says what is required)
    head: Label  # what is tested (the field), before the enterprise's value
    rule: Label  # what is required, in words: "不低于 100万元" / "at least 100 ×10k yuan"


# An evaluation tree: a literal index, or (kind, children) with kind "all"/"any".
EvalTree = int | tuple[str, tuple["EvalTree", ...]]
# A display tree: a condition index, or (kind, label, children).
DisplayTree = int | tuple[str, Label | None, tuple["DisplayTree", ...]]


@dataclass(frozen=True)
class CompiledPolicy:
    policy: Policy
    on: dt.date
    params: dict[str, Any]
    conditions: tuple[CompiledCondition, ...]
    display: DisplayTree
    tree: EvalTree  # over literal indices, nested all/any flattened
    flat: tuple[int, ...] | None  # literal indices when the tree is a single `all`
    formula: fm.Node | None
    formula_fields: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.policy.id


class CompileError(ValueError):
    pass


def _num(value: float) -> str:
    """Numbers as people read them: at most two decimals, thousands separated."""
    text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _percent(value: float) -> str:
    """A share stored as a fraction, as a percentage to one decimal: 0.1636 -> 16.4%."""
    text = f"{round(value * 100, 1):,.1f}".rstrip("0").rstrip(".")
    return ("0" if text == "-0" else text) + "%"


NO_DATA = Label("暂无数据", "no data yet")


def value_text(field: str, value: Any, lang: str) -> str:
    """How an enterprise's value (normalised form) or a threshold reads in an explanation."""
    zh = lang.startswith("zh")
    if value is None:
        return NO_DATA.zh if zh else NO_DATA.en
    spec = CONDITION_FIELDS[field]
    if spec.type is FieldType.BOOL:
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if spec.type in (FieldType.NUMBER, FieldType.INT):
        if spec.percent:
            return _percent(value)
        unit = spec.unit_zh if zh else spec.unit_en
        return f"{_num(value)}{unit}" if zh else (f"{_num(value)} {unit}" if unit else _num(value))
    if spec.type is FieldType.DATE:
        return value.isoformat()
    if spec.type is FieldType.TAGS:
        if not value:
            return "无" if zh else "none"
        names = [TAG_BY_NAME[t].zh if zh else TAG_BY_NAME[t].en for t in sorted(value)]
        return "、".join(names) if zh else ", ".join(names)
    return spec.choice_label(str(value), lang)


# Comparisons in words, (zh, en); dates compare as earlier/later.
_WORDS = {
    "eq": ("为", "is"),
    "ne": ("不为", "is not"),
    "lt": ("低于", "less than"),
    "le": ("不高于", "at most"),
    "gt": ("高于", "more than"),
    "ge": ("不低于", "at least"),
}
_DATE_WORDS = {
    **_WORDS,
    "lt": ("早于", "before"),
    "le": ("不晚于", "on or before"),
    "gt": ("晚于", "after"),
    "ge": ("不早于", "on or after"),
}


def _one_of(texts_zh: Sequence[str], texts_en: Sequence[str], negated: bool) -> Label:
    """`in` / `not_in` in words: "为 a、b 之一" / "one of a, b" and their negations."""
    zh, en = "、".join(texts_zh), ", ".join(texts_en)
    if negated:
        return Label(f"不为 {zh} 中任何一个", f"none of {en}")
    return Label(f"为 {zh} 之一", f"one of {en}")


class _Builder:
    def __init__(self) -> None:
        self.predicates: list[Predicate] = []
        self.predicate_index: dict[Predicate, int] = {}
        self.literals: list[tuple[int, bool]] = []
        self.literal_index: dict[tuple[int, bool], int] = {}

    def literal(self, predicate: Predicate, negated: bool) -> int:
        p = self.predicate_index.get(predicate)
        if p is None:
            p = self.predicate_index[predicate] = len(self.predicates)
            self.predicates.append(predicate)
        key = (p, negated)
        index = self.literal_index.get(key)
        if index is None:
            index = self.literal_index[key] = len(self.literals)
            self.literals.append(key)
        return index


def _resolve(value: Any, params: dict[str, Any]) -> Any:
    if isinstance(value, ParamRef):
        return params[value.name]
    if isinstance(value, tuple):
        return tuple(_resolve(v, params) for v in value)
    return value


def _numeric(field: str, value: Any) -> float:
    if CONDITION_FIELDS[field].type is FieldType.DATE:
        return float(date_to_days(value))
    return float(value)


def _threshold(field: str, value: Any) -> tuple[str, str]:
    return value_text(field, value, "zh"), value_text(field, value, "en")


def _leaf(leaf: Leaf, params: dict[str, Any], on: dt.date) -> tuple[Predicate, bool, Label, Label]:
    """The predicate for a leaf, whether the leaf negates it, and its explanation texts: the
    field tested and the requirement in words (no symbols, labels for stored values)."""
    field, op = leaf.field, leaf.op
    spec = CONDITION_FIELDS[field]
    value = _resolve(leaf.value, params)
    head = Label(spec.zh, spec.en)
    if op in ("is_true", "is_false") or (spec.type is FieldType.BOOL):
        want = op == "is_true" or (op == "eq" and value) or (op == "ne" and not value)
        rule = Label("是", "yes") if want else Label("否", "no")
        return Predicate("true", field, ()), not want, head, rule
    if op == "within_months_of":
        ref = _resolve(leaf.of, params) if leaf.of is not None else on
        low, high = add_months(ref, -int(value)), add_months(ref, int(value))
        rule = Label(
            f"在 {ref.isoformat()} 前后 {int(value)} 个月内（{low} 至 {high}）",
            f"within {int(value)} months of {ref.isoformat()} ({low} to {high})",
        )
        args = (float(date_to_days(low)), float(date_to_days(high)))
        return Predicate("between", field, args), False, head, rule
    if op == "has_tag":
        tag = TAG_BY_NAME[value]
        head = Label(f"企业标签含「{tag.zh}」", f"Has tag '{tag.en}'")
        return Predicate("tag", field, (TAG_BITS[value], value)), False, head, Label("是", "yes")
    if op == "industry_in":
        prefixes = (value,) if isinstance(value, str) else tuple(value)
        rule = Label(
            f"属于 {'、'.join(prefixes)} 门类/大类",
            f"in industry section/division {', '.join(prefixes)}",
        )
        return Predicate("prefix", field, tuple(sorted(set(prefixes)))), False, head, rule
    if spec.type is FieldType.STR:
        values = (value,) if op in ("eq", "ne") else tuple(value)
        negated = op in ("ne", "not_in")
        zh = [spec.choice_label(v, "zh") for v in values]
        en = [spec.choice_label(v, "en") for v in values]
        if len(values) == 1:
            words = _WORDS["ne" if negated else "eq"]
            rule = Label(f"{words[0]} {zh[0]}", f"{words[1]} {en[0]}")
        else:
            rule = _one_of(zh, en, negated)
        return Predicate("str_in", field, tuple(sorted(set(values)))), negated, head, rule
    # numbers and dates
    if op == "between":
        low, high = value
        (low_zh, low_en), (high_zh, high_en) = _threshold(field, low), _threshold(field, high)
        rule = Label(f"在 {low_zh} 至 {high_zh} 之间", f"between {low_en} and {high_en}")
        args = (_numeric(field, low), _numeric(field, high))
        return Predicate("between", field, args), False, head, rule
    if op in ("in", "not_in"):
        numbers = tuple(sorted({_numeric(field, v) for v in value}))
        texts = [_threshold(field, v) for v in value]
        rule = _one_of([t[0] for t in texts], [t[1] for t in texts], op == "not_in")
        return Predicate("in", field, numbers), op == "not_in", head, rule
    number = _numeric(field, value)
    words = (_DATE_WORDS if spec.type is FieldType.DATE else _WORDS)[op]
    shown = _threshold(field, value)
    rule = Label(f"{words[0]} {shown[0]}", f"{words[1]} {shown[1]}")
    kind, negated = {
        "eq": ("eq", False),
        "ne": ("eq", True),
        "ge": ("ge", False),
        "lt": ("ge", True),
        "le": ("le", False),
        "gt": ("le", True),
    }[op]
    return Predicate(kind, field, (number,)), negated, head, rule


# Operators whose negation is another operator on the same predicate.
_OPPOSITE = {
    "eq": "ne",
    "ne": "eq",
    "ge": "lt",
    "lt": "ge",
    "le": "gt",
    "gt": "le",
    "in": "not_in",
    "not_in": "in",
    "is_true": "is_false",
    "is_false": "is_true",
}


def _compile_policy(policy: Policy, on: dt.date, builder: _Builder) -> CompiledPolicy:
    try:
        params = {name: p.at(on) for name, p in policy.parameters.items()}
    except KeyError as exc:
        raise CompileError(f"{policy.key}: {exc.args[0]}") from None
    conditions: list[CompiledCondition] = []

    def walk(node: Condition, negate: bool) -> DisplayTree:
        if isinstance(node, Leaf):
            predicate, negated, head, rule = _leaf(node, params, on)
            literal = builder.literal(predicate, negated != negate)
            if negate:
                # Say what is required under the `not`: "less than 100", not "not at least 100".
                opposite = _OPPOSITE.get(node.op)
                if opposite is not None:
                    rule = _leaf(replace(node, op=opposite), params, on)[3]
                elif node.op == "has_tag":
                    rule = Label("否", "no")
                else:
                    rule = Label(f"并非{rule.zh}", f"not {rule.en}")
            conditions.append(
                CompiledCondition(literal, node.field, node.op, node.label, negate, head, rule)
            )
            return len(conditions) - 1
        if isinstance(node, Not):
            inner = walk(node.child, not negate)
            if node.label is not None and not isinstance(inner, int):
                return (inner[0], node.label, inner[2])
            return inner
        if not isinstance(node, Group):
            raise TypeError(node)
        kind = node.kind if not negate else ("any" if node.kind == "all" else "all")
        return (kind, node.label, tuple(walk(c, negate) for c in node.children))

    display = walk(policy.conditions, False)
    formula = None
    formula_fields: tuple[str, ...] = ()
    if policy.amount is not None:
        formula = fm.bind(policy.amount.ast, params)
        if not fm.tier_is_increasing(formula):
            raise CompileError(f"{policy.key}: tier thresholds do not increase on {on}")
        formula_fields = tuple(sorted(fm.names(formula)))
        # The amount needs its inputs: missing ones make the decision unknown, never a grant.
        extra: list[DisplayTree] = []
        for name in formula_fields:
            spec = CONDITION_FIELDS[name]
            literal = builder.literal(Predicate("known", name, ()), False)
            conditions.append(
                CompiledCondition(
                    literal,
                    name,
                    "known",
                    Label(f"金额计算所需：{spec.zh}", f"Needed for the amount: {spec.en}"),
                    False,
                    Label(spec.zh, spec.en),
                    Label("有数据", "available"),
                )
            )
            extra.append(len(conditions) - 1)
        if extra:
            if isinstance(display, tuple) and display[0] == "all" and display[1] is None:
                display = ("all", None, display[2] + tuple(extra))
            else:
                display = ("all", None, (display, *extra))

    def flatten(node: DisplayTree) -> EvalTree:
        if isinstance(node, int):
            return conditions[node].literal
        kind, _, children = node
        out: list[EvalTree] = []
        for child in children:
            sub = flatten(child)
            if isinstance(sub, tuple) and sub[0] == kind:
                out.extend(sub[1])
            else:
                out.append(sub)
        if len(out) == 1:
            return out[0]
        return (kind, tuple(out))

    tree = flatten(display)
    flat: tuple[int, ...] | None = None
    if isinstance(tree, int):
        flat = (tree,)
    elif tree[0] == "all" and all(isinstance(c, int) for c in tree[1]):
        flat = tuple(c for c in tree[1] if isinstance(c, int))
    return CompiledPolicy(
        policy,
        on,
        params,
        tuple(conditions),
        display,
        tree,
        flat,
        formula,
        formula_fields,
    )


def select_versions(policies: Iterable[Policy], on: dt.date) -> list[Policy]:
    """The policies in force on `on`: for each id, the highest version active that day."""
    best: dict[str, Policy] = {}
    for policy in policies:
        if policy.active_on(on):
            current = best.get(policy.id)
            if current is None or policy.version > current.version:
                best[policy.id] = policy
    return sorted(best.values(), key=lambda p: p.id)


class PolicySet:
    """All policies in force on one date, compiled to shared predicates."""

    def __init__(
        self,
        on: dt.date,
        policies: Sequence[CompiledPolicy],
        predicates: Sequence[Predicate],
        literals: Sequence[tuple[int, bool]],
    ) -> None:
        self.on = on
        self.policies = list(policies)
        self.predicates = list(predicates)
        self.literals = list(literals)
        self.index = {p.id: i for i, p in enumerate(self.policies)}

    @classmethod
    def compile(cls, policies: Iterable[Policy], on: dt.date) -> PolicySet:
        builder = _Builder()
        compiled = [_compile_policy(p, on, builder) for p in select_versions(policies, on)]
        return cls(on, compiled, builder.predicates, builder.literals)

    @property
    def policy_ids(self) -> list[str]:
        return [p.id for p in self.policies]

    def __len__(self) -> int:
        return len(self.policies)

    def __getitem__(self, policy_id: str) -> CompiledPolicy:
        return self.policies[self.index[policy_id]]

    def screen(self, table: Any, **options: Any) -> Any:
        from .screen import screen

        return screen(self, table, **options)

    def explain(self, enterprise: Any, policy_ids: Iterable[str] | None = None) -> list[Any]:
        from .explain import explain_all

        return explain_all(self, enterprise, policy_ids)
