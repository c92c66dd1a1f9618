"""The single-enterprise path: every condition with its reason, in Chinese and English.

This is deliberately a second implementation (plain Python over one record) rather than a view
of the vectorised one, so that the two can be checked against each other (see the Hypothesis
tests). It uses the same compiled predicates, the same deficit arithmetic and the same formula
AST, so any disagreement is a bug in one of the two evaluators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import formula as fm
from .compile import (
    D_INELIGIBLE,
    D_NEAR,
    NO_DATA,
    W_FAIL,
    W_PASS,
    W_UNKNOWN,
    CompiledCondition,
    CompiledPolicy,
    DisplayTree,
    PolicySet,
    Predicate,
    Status,
    Tri,
    status_of_deficit,
    value_text,
)
from .fields import CONDITION_FIELDS, FieldType, date_to_days, normalise_record
from .policy import Label, Policy

_WEIGHT = {Tri.PASS: W_PASS, Tri.UNKNOWN: W_UNKNOWN, Tri.FAIL: W_FAIL}
_WORD = {
    Tri.PASS: ("满足", "met"),
    Tri.FAIL: ("不满足", "not met"),
    Tri.UNKNOWN: ("数据缺失", "missing data"),
}


class ConditionOutcome(NamedTuple):
    """One condition's result for one enterprise, with its reason in both languages."""

    condition: CompiledCondition
    result: Tri
    reason_zh: str
    reason_en: str

    @property
    def label(self) -> Label:
        return self.condition.label

    @property
    def field(self) -> str:
        return self.condition.field

    def reason(self, lang: str = "zh") -> str:
        return self.reason_zh if lang.startswith("zh") else self.reason_en


@dataclass(frozen=True)
class Explanation:
    policy_id: str
    version: int
    rule_hash: str
    evaluated_on: dt.date
    title: Label
    status: Status
    amount: float | None
    unit: Label | None
    conditions: tuple[ConditionOutcome, ...]
    display: DisplayTree
    missing_fields: tuple[str, ...]
    near_miss: ConditionOutcome | None

    @property
    def eligible(self) -> bool:
        return self.status is Status.ELIGIBLE

    def text(self, lang: str = "zh") -> str:
        zh = lang.startswith("zh")
        names = {
            Status.ELIGIBLE: ("符合", "eligible"),
            Status.UNKNOWN: ("待补充数据", "maybe: data missing"),
            Status.NEAR_MISS: ("差一项条件", "near miss: one condition short"),
            Status.INELIGIBLE: ("不符合", "not eligible"),
        }
        head = f"{self.title.get(lang)}{'：' if zh else ': '}{names[self.status][0 if zh else 1]}"
        if self.amount is not None and self.unit is not None:
            head += (
                f"（{_money(self.amount)}{self.unit.zh}）"
                if zh
                else (f" ({_money(self.amount)} {self.unit.en})")
            )
        lines = [head]

        def walk(node: DisplayTree, depth: int) -> None:
            pad = "  " * depth
            if isinstance(node, int):
                outcome = self.conditions[node]
                lines.append(f"{pad}- {outcome.label.get(lang)} — {outcome.reason(lang)}")
                return
            kind, label, children = node
            word = {"all": ("需全部满足", "all of"), "any": ("满足任一即可", "any of")}[kind]
            title = f"{label.get(lang)} " if label else ""
            lines.append(f"{pad}{title}[{word[0 if zh else 1]}]")
            for child in children:
                walk(child, depth + 1)

        walk(self.display, 1)
        if self.missing_fields:
            fields = [
                CONDITION_FIELDS[f].zh if zh else CONDITION_FIELDS[f].en
                for f in self.missing_fields
            ]
            lines.append(
                f"暂无数据的项目：{'、'.join(fields)}"
                if zh
                else f"No data yet for: {', '.join(fields)}"
            )
        return "\n".join(lines)


def _money(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


Tester = Callable[[Any], bool]


def _tester(predicate: Predicate) -> Tester:
    kind, args = predicate.kind, predicate.args
    if kind == "ge":
        return lambda x: x >= args[0]
    if kind == "le":
        return lambda x: x <= args[0]
    if kind == "eq":
        return lambda x: x == args[0]
    if kind == "between":
        low, high = args
        return lambda x: low <= x <= high
    if kind in ("in", "str_in"):
        values = frozenset(args)
        return lambda x: x in values
    if kind == "true":
        return lambda x: x is True
    if kind == "prefix":
        return lambda x: x.startswith(args)
    if kind == "tag":
        name = args[1]
        return lambda x: name in x
    if kind == "known":
        return lambda x: True
    raise AssertionError(kind)


def _testers(policyset: PolicySet) -> list[Tester]:
    cached = getattr(policyset, "_scalar_testers", None)
    if cached is None:
        cached = [_tester(p) for p in policyset.predicates]
        policyset._scalar_testers = cached  # type: ignore[attr-defined]
    return cached


def _comparable(record: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the predicates compare them: dates become days since 1970."""
    out = dict(record)
    for name, spec in CONDITION_FIELDS.items():
        if spec.type is FieldType.DATE and out.get(name) is not None:
            out[name] = float(date_to_days(out[name]))
    return out


def evaluate_literals(
    policyset: PolicySet, record: Mapping[str, Any], literals: Iterable[int] | None = None
) -> dict[int, Tri]:
    testers = _testers(policyset)
    values = _comparable(record)
    wanted = range(len(policyset.literals)) if literals is None else literals
    out: dict[int, Tri] = {}
    for index in wanted:
        p, negated = policyset.literals[index]
        predicate = policyset.predicates[p]
        value = values.get(predicate.field)
        if value is None:
            out[index] = Tri.UNKNOWN
        elif testers[p](value) != negated:
            out[index] = Tri.PASS
        else:
            out[index] = Tri.FAIL
    return out


def _deficit(node: Any, weights: Mapping[int, int]) -> int:
    if isinstance(node, int):
        return weights[node]
    kind, children = node
    values = [_deficit(c, weights) for c in children]
    return sum(values) if kind == "all" else min(values)


def _display_deficit(node: DisplayTree, conditions: tuple[ConditionOutcome, ...]) -> int:
    if isinstance(node, int):
        return _WEIGHT[conditions[node].result]
    kind, _, children = node
    values = [_display_deficit(c, conditions) for c in children]
    return sum(values) if kind == "all" else min(values)


def _near_miss_index(node: DisplayTree, conditions: tuple[ConditionOutcome, ...]) -> int:
    """The one failing condition whose fix would make a near-miss policy pass."""
    if isinstance(node, int):
        return node
    for child in node[2]:
        if _display_deficit(child, conditions) == D_NEAR:
            return _near_miss_index(child, conditions)
    raise AssertionError("not a near miss")


# Per condition: (zh before value, {result: zh after value}, en before, {result: en after}).
Template = tuple[str, dict[Tri, str], str, dict[Tri, str]]


def _template(condition: CompiledCondition) -> Template:
    """Reason texts are assembled from parts fixed at compile time, so explaining 300 policies
    costs one string join per condition and language."""
    parts = []
    for lang in ("zh", "en"):
        zh = lang == "zh"
        head = condition.head.zh if zh else condition.head.en
        rule = condition.rule.zh if zh else condition.rule.en
        before = f"{head}：" if zh else f"{head}: "
        after = f"（要求：{rule}）" if zh else f" (required: {rule})"
        words = {r: (f"{after}：{w[0]}" if zh else f"{after}: {w[1]}") for r, w in _WORD.items()}
        parts.append((before, words))
    return parts[0][0], parts[0][1], parts[1][0], parts[1][1]


def _templates(policyset: PolicySet, cp: CompiledPolicy) -> list[Template]:
    cache: dict[Any, Any] | None = getattr(policyset, "_reason_templates", None)
    if cache is None:
        cache = {}
        policyset._reason_templates = cache  # type: ignore[attr-defined]
    found = cache.get(id(cp))
    if found is None:
        found = []
        for condition in cp.conditions:
            template = _template(condition)
            # The same condition text in many policies shares one template (and so one cached
            # reason per enterprise).
            key = (template[0], template[2], tuple(template[1].items()), tuple(template[3].items()))
            found.append(cache.setdefault(key, template))
        cache[id(cp)] = found
    return found


Step = tuple[CompiledCondition, int, str, Template, int]


def _steps(policyset: PolicySet, cp: CompiledPolicy) -> list[Step]:
    """What the explainer needs per condition, looked up once per policy set."""
    cache: dict[int, list[Step]] | None = getattr(policyset, "_explain_steps", None)
    if cache is None:
        cache = {}
        policyset._explain_steps = cache  # type: ignore[attr-defined]
    steps = cache.get(id(cp))
    if steps is None:
        steps = cache[id(cp)] = [
            (c, c.literal, c.field, t, id(t))
            for c, t in zip(cp.conditions, _templates(policyset, cp), strict=True)
        ]
    return steps


def _shown(
    condition: CompiledCondition, value: Any, result: Tri, cache: dict[str, tuple[str, str]]
) -> tuple[str, str]:
    if condition.op == "has_tag":
        if value is None:
            return NO_DATA.zh, NO_DATA.en
        has = (result is Tri.PASS) != condition.inverted
        return ("是", "yes") if has else ("否", "no")
    shown = cache.get(condition.field)
    if shown is None:
        shown = cache[condition.field] = (
            value_text(condition.field, value, "zh"),
            value_text(condition.field, value, "en"),
        )
    return shown


def explain_compiled(
    policyset: PolicySet,
    cp: CompiledPolicy,
    record: Mapping[str, Any],
    _literals: Mapping[int, Tri] | None = None,
    _cache: dict[str, tuple[str, str]] | None = None,
    _weights: Mapping[int, int] | None = None,
    _reasons: dict[tuple[int, str, Tri], tuple[str, str]] | None = None,
) -> Explanation:
    """Explain one compiled policy for one normalised record."""
    literals = _literals
    if literals is None:
        literals = evaluate_literals(policyset, record, {c.literal for c in cp.conditions})
    weights = _weights
    if weights is None:
        weights = {lit: _WEIGHT[t] for lit, t in literals.items()}
    cache = {} if _cache is None else _cache
    outcomes = []
    missing: set[str] = set()
    reasons = _reasons if _reasons is not None else {}
    unknown = Tri.UNKNOWN
    for condition, literal, field, template, template_id in _steps(policyset, cp):
        result = literals[literal]
        key = (template_id, field, result)
        texts = reasons.get(key)
        if texts is None:
            zh, en = _shown(condition, record.get(field), result, cache)
            texts = reasons[key] = (
                f"{template[0]}{zh}{template[1][result]}",
                f"{template[2]}{en}{template[3][result]}",
            )
        outcomes.append(ConditionOutcome(condition, result, texts[0], texts[1]))
        if result is unknown:
            missing.add(field)
    conditions = tuple(outcomes)
    if cp.flat is not None:
        deficit = sum(weights[i] for i in cp.flat)
    else:
        deficit = _deficit(cp.tree, weights)
    status = status_of_deficit(min(deficit, D_INELIGIBLE))
    amount = None
    if status is Status.ELIGIBLE and cp.formula is not None:
        amount = fm.evaluate_scalar(
            cp.formula, {name: float(record[name]) for name in cp.formula_fields}
        )
    near = None
    if status is Status.NEAR_MISS:
        near = conditions[_near_miss_index(cp.display, conditions)]
    policy = cp.policy
    return Explanation(
        policy_id=policy.id,
        version=policy.version,
        rule_hash=policy.rule_hash,
        evaluated_on=cp.on,
        title=policy.title,
        status=status,
        amount=amount,
        unit=policy.amount.unit if policy.amount else None,
        conditions=conditions,
        display=cp.display,
        missing_fields=tuple(sorted(missing)),
        near_miss=near,
    )


def explain_all(
    policyset: PolicySet, enterprise: Mapping[str, Any], policy_ids: Iterable[str] | None = None
) -> list[Explanation]:
    """Every policy in force for one enterprise; shared conditions are evaluated once."""
    record = normalise_record(dict(enterprise))
    chosen = policyset.policies if policy_ids is None else [policyset[pid] for pid in policy_ids]
    literals = evaluate_literals(
        policyset, record, {c.literal for cp in chosen for c in cp.conditions}
    )
    cache: dict[str, tuple[str, str]] = {}
    weights = {lit: _WEIGHT[t] for lit, t in literals.items()}
    reasons: dict[tuple[int, str, Tri], tuple[str, str]] = {}
    return [
        explain_compiled(policyset, cp, record, literals, cache, weights, reasons) for cp in chosen
    ]


def explain(policy: Policy, enterprise: Mapping[str, Any], on: dt.date) -> Explanation:
    """Explain one policy version for one enterprise on a date (it need not be in force)."""
    from .compile import PolicySet as _PolicySet
    from .compile import _Builder, _compile_policy

    builder = _Builder()
    cp = _compile_policy(policy, on, builder)
    policyset = _PolicySet(on, [cp], builder.predicates, builder.literals)
    record = normalise_record(dict(enterprise))
    return explain_compiled(policyset, cp, record)
