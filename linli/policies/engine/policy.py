"""A policy as the engine holds it: immutable objects the compiler and the explainer share.

The schema (``schema.py``) builds them from a checked document; nothing else does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import formula as fm


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class ParamRef:
    name: str


@dataclass(frozen=True)
class Leaf:
    field: str
    op: str
    value: Any  # a literal, a ParamRef, a list of those, or None
    label: Label
    of: Any = None  # within_months_of: a date or ParamRef; None means the evaluation date
    line: int = 0


@dataclass(frozen=True)
class Group:
    kind: str  # "all" or "any"
    children: tuple[Condition, ...]
    label: Label | None = None
    line: int = 0


@dataclass(frozen=True)
class Not:
    child: Condition
    label: Label | None = None
    line: int = 0


Condition = Leaf | Group | Not


@dataclass(frozen=True)
class Parameter:
    name: str
    # (start date, value), sorted; a constant parameter has one entry dated date.min.
    values: tuple[tuple[dt.date, Any], ...]

    def at(self, day: dt.date) -> Any:
        chosen = None
        for start, value in self.values:
            if start <= day:
                chosen = value
        if chosen is None:
            raise KeyError(f"parameter {self.name} has no value on {day.isoformat()}")
        return chosen

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(start for start, _ in self.values)


@dataclass(frozen=True)
class Amount:
    formula: str
    ast: fm.Node
    unit: Label
    line: int = 0


@dataclass(frozen=True)
class PolicyCase:
    name: str
    on: dt.date | None
    enterprise: Mapping[str, Any]
    expect: str
    amount: float | None
    line: int = 0


@dataclass(frozen=True)
class Policy:
    id: str
    version: int
    example: bool
    title: Label
    issuer: Label
    source_document: str
    source_clause: str
    valid_from: dt.date
    valid_to: dt.date | None
    benefit: str
    mode: str
    summary: Label | None
    parameters: Mapping[str, Parameter]
    conditions: Condition
    amount: Amount | None
    tests: tuple[PolicyCase, ...]
    rule_hash: str
    source_file: str = "<string>"
    document: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.id}@v{self.version}"

    def active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
