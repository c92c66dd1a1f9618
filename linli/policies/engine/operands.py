"""Operators and their operands: which operator applies to which field type, and what value each
operand must be (a number, a date, a tag, a list of choices...)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from .fields import CONDITION_FIELDS, INDUSTRY_PREFIX, TAG_BITS, Field, FieldType

OPERATORS = (
    "eq",
    "ne",
    "in",
    "not_in",
    "lt",
    "le",
    "gt",
    "ge",
    "between",
    "is_true",
    "is_false",
    "within_months_of",
    "has_tag",
    "industry_in",
)
# Which operators make sense for which field type.
OPERATORS_BY_TYPE: dict[FieldType, tuple[str, ...]] = {
    FieldType.NUMBER: ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "between"),
    FieldType.INT: ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "between"),
    FieldType.DATE: ("eq", "ne", "lt", "le", "gt", "ge", "between", "within_months_of"),
    FieldType.BOOL: ("is_true", "is_false", "eq", "ne"),
    FieldType.STR: ("eq", "ne", "in", "not_in", "industry_in"),
    FieldType.TAGS: ("has_tag",),
}


def ordinal(value: Any) -> Any:
    return value.toordinal() if isinstance(value, dt.date) else value


def operand_kind(spec: Field, op: str) -> str:
    if op == "within_months_of":
        return "months"
    if op == "has_tag":
        return "tag"
    if op == "industry_in":
        return "prefixes"
    base = {
        FieldType.NUMBER: "number",
        FieldType.INT: "number",
        FieldType.DATE: "date",
        FieldType.BOOL: "bool",
        FieldType.STR: f"str:{spec.name}",
    }[spec.type]
    if op in ("in", "not_in"):
        return f"list:{base}"
    return base


def kind_problem(kind: str, value: Any) -> str | None:
    """Why `value` cannot be used as an operand of this kind, or None if it can."""
    if kind.startswith("list:"):
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, list) or not value:
            return "expected a non-empty list"
        for item in value:
            problem = kind_problem(kind[5:], item)
            if problem:
                return problem
        return None
    if kind.startswith("pair:"):
        if not isinstance(value, list | tuple) or len(value) != 2:
            return "expected [low, high]"
        problems = [kind_problem(kind[5:], v) for v in value]
        if any(problems):
            return next(p for p in problems if p)
        if ordinal(value[0]) > ordinal(value[1]):
            return "low is above high"
        return None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"expected a number, got {value!r}"
        if not math.isfinite(value):
            return "expected a finite number"
        return None
    if kind == "months":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1200:
            return f"expected a whole number of months, got {value!r}"
        return None
    if kind == "date":
        return None if isinstance(value, dt.date) else f"expected a date, got {value!r}"
    if kind == "bool":
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if kind == "tag":
        if value not in TAG_BITS:
            return f"unknown tag {value!r}"
        return None
    if kind == "prefixes":
        items = list(value) if isinstance(value, list | tuple) else [value]
        for item in items:
            if not isinstance(item, str) or not INDUSTRY_PREFIX.match(item):
                return f"{item!r} is not a GB/T 4754 code prefix (e.g. I, I65, M7320)"
        return None if items else "expected at least one industry prefix"
    if kind.startswith("str:"):
        spec = CONDITION_FIELDS[kind[4:]]
        if not isinstance(value, str):
            return f"expected text, got {value!r}"
        if spec.choices and value not in spec.choices:
            return f"{value!r} is not one of {', '.join(spec.choices)}"
        return None
    raise AssertionError(kind)
