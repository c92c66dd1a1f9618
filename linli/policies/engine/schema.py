"""The policy document schema, checked in plain Python.

A policy file is the legal text's operational twin, and it is edited by policy officers. So the
schema refuses anything it does not understand (unknown keys, fields, operators, parameters,
formula names) with the file, the line and a reason a non-programmer can act on. It builds
the immutable objects of ``policy.py`` that the compiler and the explainer share.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import formula as fm
from .fields import CONDITION_FIELDS, FORMULA_FIELDS, Field, RecordError, normalise_record
from .operands import OPERATORS, OPERATORS_BY_TYPE, kind_problem, operand_kind, ordinal
from .policy import (
    Amount,
    Condition,
    Group,
    Label,
    Leaf,
    Not,
    Parameter,
    ParamRef,
    Policy,
    PolicyCase,
)

BENEFITS = ("subsidy", "rent_relief", "award", "loan_interest_subsidy", "tax_refund", "service")
MODES = ("auto_grant", "apply", "notify")
EXPECTATIONS = ("eligible", "ineligible", "unknown")
# Beyond this a policy is unreadable, and the screening encoding assumes fewer (see screen.py).
MAX_CONDITIONS = 60
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_POLICY_ID = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    path: str
    reason: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.file}:{self.line}: {self.reason}{where}"


class PolicyError(ValueError):
    """A policy file that cannot be used; lists every problem found, each with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot hash {value!r}")


def rule_hash(document: Mapping[str, Any]) -> str:
    """sha256 of the canonical rules: test cases are left out, since adding one changes no
    decision; key order, comments and formula spacing do not count."""
    rules = {k: v for k, v in document.items() if k != "tests"}
    amount = rules.get("amount")
    if isinstance(amount, dict) and isinstance(amount.get("formula"), str):
        with contextlib.suppress(fm.FormulaError):
            rules["amount"] = {**amount, "formula": fm.render(fm.parse(amount["formula"]))}
    text = json.dumps(
        rules, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Checker:
    """Walks the document once, collecting problems instead of stopping at the first."""

    def __init__(self, source: str, marks: Mapping[Path, int]) -> None:
        self.source = source
        self.marks = marks
        self.problems: list[Problem] = []
        self.param_uses: dict[str, list[tuple[str, Path]]] = {}

    def line(self, path: Path) -> int:
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, 1)

    def error(self, path: Path, reason: str) -> None:
        shown = ".".join(str(p) for p in path)
        self.problems.append(Problem(self.source, self.line(path), shown, reason))

    # -- small typed readers ---------------------------------------------------------------
    def mapping(self, value: Any, path: Path, keys: set[str], required: set[str]) -> bool:
        if not isinstance(value, dict):
            self.error(path, "expected a mapping")
            return False
        ok = True
        for key in value:
            if key not in keys:
                self.error(
                    (*path, key), f"unknown key {key!r} (allowed: {', '.join(sorted(keys))})"
                )
                ok = False
        for key in sorted(required - set(value)):
            self.error(path, f"missing required key {key!r}")
            ok = False
        return ok

    def label(self, value: Any, path: Path) -> Label | None:
        if not self.mapping(value, path, {"zh", "en"}, {"zh", "en"}):
            return None
        if not all(isinstance(value[k], str) and value[k].strip() for k in ("zh", "en")):
            self.error(path, "label needs non-empty zh and en text")
            return None
        return Label(value["zh"].strip(), value["en"].strip())

    def date(self, value: Any, path: Path) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(path, f"expected a date YYYY-MM-DD, got {value!r}")
        return None

    # -- the document ----------------------------------------------------------------------
    def policy(self, doc: Any, source_file: str) -> Policy | None:
        top = {
            "id",
            "version",
            "example",
            "title",
            "summary",
            "issuer",
            "source",
            "valid_from",
            "valid_to",
            "benefit",
            "mode",
            "parameters",
            "conditions",
            "amount",
            "tests",
        }
        required = top - {"summary", "parameters", "amount", "valid_to"}
        if not self.mapping(doc, (), top, required) and not isinstance(doc, dict):
            return None
        get = doc.get
        pid = get("id")
        if pid is not None and not (isinstance(pid, str) and _POLICY_ID.match(pid)):
            self.error(("id",), "id must be lower-case letters, digits and hyphens")
        version = get("version")
        if version is not None and (
            isinstance(version, bool) or not isinstance(version, int) or version < 1
        ):
            self.error(("version",), "version must be a whole number from 1")
        example = get("example")
        if example is not None and not isinstance(example, bool):
            self.error(("example",), "example must be true or false")
        title = self.label(get("title"), ("title",)) if "title" in doc else None
        issuer = self.label(get("issuer"), ("issuer",)) if "issuer" in doc else None
        summary = self.label(get("summary"), ("summary",)) if get("summary") is not None else None
        source = get("source")
        document = clause = ""
        if "source" in doc and self.mapping(
            source, ("source",), {"document", "clause", "url"}, {"document", "clause"}
        ):
            document, clause = str(source["document"]), str(source["clause"])
        valid_from = self.date(get("valid_from"), ("valid_from",)) if "valid_from" in doc else None
        valid_to = None
        if get("valid_to") is not None:
            valid_to = self.date(get("valid_to"), ("valid_to",))
            if valid_from and valid_to and valid_to < valid_from:
                self.error(("valid_to",), "valid_to is before valid_from")
        benefit, mode = get("benefit"), get("mode")
        if "benefit" in doc and benefit not in BENEFITS:
            self.error(("benefit",), f"benefit must be one of {', '.join(BENEFITS)}")
        if "mode" in doc and mode not in MODES:
            self.error(("mode",), f"mode must be one of {', '.join(MODES)}")

        parameters = self.parameters(get("parameters") or {}, valid_from)
        conditions = None
        if "conditions" in doc:
            conditions = self.condition(get("conditions"), ("conditions",), parameters)
            if conditions is not None and _count_leaves(conditions) > MAX_CONDITIONS:
                self.error(("conditions",), f"more than {MAX_CONDITIONS} conditions")
        amount = self.amount(get("amount"), parameters) if get("amount") is not None else None
        for name in parameters:
            if name not in self.param_uses:
                self.error(("parameters", name), f"parameter {name!r} is never used")
        tests = self.tests(get("tests"), amount is not None) if "tests" in doc else ()

        if self.problems or conditions is None or not (title and issuer and valid_from):
            return None
        return Policy(
            id=pid,
            version=version,
            example=example,
            title=title,
            issuer=issuer,
            source_document=document,
            source_clause=clause,
            valid_from=valid_from,
            valid_to=valid_to,
            benefit=benefit,
            mode=mode,
            summary=summary,
            parameters=parameters,
            conditions=conditions,
            amount=amount,
            tests=tests,
            rule_hash=rule_hash(doc),
            source_file=source_file,
            document=doc,
        )

    def parameters(self, value: Any, valid_from: dt.date | None) -> dict[str, Parameter]:
        out: dict[str, Parameter] = {}
        if not isinstance(value, dict):
            self.error(("parameters",), "parameters must be a mapping of name to value")
            return out
        for name, raw in value.items():
            path: Path = ("parameters", name)
            if not _IDENT.match(str(name)):
                self.error(path, "parameter names are lower-case identifiers")
                continue
            if name in CONDITION_FIELDS or name in fm.FUNCTIONS:
                self.error(path, f"parameter {name!r} has the name of a field or function")
                continue
            dated = isinstance(raw, list) and raw and all(isinstance(r, dict) for r in raw)
            if not dated:
                out[name] = Parameter(name, ((dt.date.min, _plain(raw)),))
                continue
            entries: list[tuple[dt.date, Any]] = []
            for i, entry in enumerate(raw):
                if not self.mapping(entry, (*path, i), {"from", "value"}, {"from", "value"}):
                    continue
                start = self.date(entry["from"], (*path, i, "from"))
                if start is None:
                    continue
                if entries and start <= entries[-1][0]:
                    self.error((*path, i, "from"), "dated values must be in increasing date order")
                    continue
                entries.append((start, _plain(entry["value"])))
            if entries and valid_from and entries[0][0] > valid_from:
                self.error((*path, 0, "from"), "the first dated value starts after valid_from")
            if entries:
                out[name] = Parameter(name, tuple(entries))
        return out

    def use_param(self, ref: Any, path: Path, params: Mapping[str, Parameter], kind: str) -> bool:
        """Check a {param: name} reference, and every dated value of it against `kind`."""
        if not (isinstance(ref, dict) and set(ref) == {"param"}):
            return False
        name = ref["param"]
        if name not in params:
            known = ", ".join(sorted(params)) or "none declared"
            self.error(path, f"unknown parameter {name!r} (parameters: {known})")
            return True
        self.param_uses.setdefault(name, []).append((kind, path))
        for start, value in params[name].values:
            problem = kind_problem(kind, value)
            if problem:
                when = "" if start == dt.date.min else f" (value from {start.isoformat()})"
                self.error(path, f"parameter {name!r}{when}: {problem}")
        return True

    def operand(self, value: Any, path: Path, params: Mapping[str, Parameter], kind: str) -> Any:
        if self.use_param(value, path, params, kind):
            return ParamRef(value["param"]) if value["param"] in params else None
        problem = kind_problem(kind, value)
        if problem:
            self.error(path, problem)
            return None
        return value

    def condition(self, node: Any, path: Path, params: Mapping[str, Parameter]) -> Condition | None:
        if not isinstance(node, dict):
            self.error(path, "a condition must be a mapping (field/op/value/label, all, any, not)")
            return None
        line = self.line(path)
        for group in ("all", "any"):
            if group in node:
                if not self.mapping(node, path, {group, "label"}, {group}):
                    return None
                items = node[group]
                if not isinstance(items, list) or not items:
                    self.error((*path, group), f"{group} needs a non-empty list of conditions")
                    return None
                children = [
                    self.condition(c, (*path, group, i), params) for i, c in enumerate(items)
                ]
                label = self.label(node["label"], (*path, "label")) if "label" in node else None
                if any(c is None for c in children):
                    return None
                return Group(group, tuple(c for c in children if c is not None), label, line)
        if "not" in node:
            if not self.mapping(node, path, {"not", "label"}, {"not"}):
                return None
            child = self.condition(node["not"], (*path, "not"), params)
            label = self.label(node["label"], (*path, "label")) if "label" in node else None
            return None if child is None else Not(child, label, line)
        keys = {"field", "op", "value", "param", "of", "label"}
        if not self.mapping(node, path, keys, {"field", "op", "label"}):
            if "field" not in node and "op" not in node:
                self.error(path, "a condition needs field and op, or all/any/not")
            return None
        name, op = node["field"], node["op"]
        spec = CONDITION_FIELDS.get(name) if isinstance(name, str) else None
        if spec is None:
            self.error((*path, "field"), f"unknown field {name!r}")
            return None
        if op not in OPERATORS:
            self.error((*path, "op"), f"unknown operator {op!r} (allowed: {', '.join(OPERATORS)})")
            return None
        if op not in OPERATORS_BY_TYPE[spec.type] or (op == "industry_in" and not spec.industry):
            self.error(
                (*path, "op"), f"operator {op!r} does not apply to {spec.type} field {name!r}"
            )
            return None
        label = self.label(node["label"], (*path, "label"))
        if "param" in node:
            if "value" in node:
                self.error(path, "give either value or param, not both")
                return None
            raw_value: Any = {"param": node["param"]}
            value_path: Path = (*path, "param")
        else:
            raw_value = node.get("value")
            value_path = (*path, "value")
        value = self.leaf_value(
            spec, op, raw_value, "value" in node or "param" in node, value_path, params
        )
        of = None
        if "of" in node:
            if op != "within_months_of":
                self.error((*path, "of"), "'of' only goes with within_months_of")
                return None
            of = self.operand(node["of"], (*path, "of"), params, "date")
        if value is _BAD or label is None or (of is None and "of" in node):
            return None
        return Leaf(name, op, value, label, of, line)

    def leaf_value(
        self,
        spec: Field,
        op: str,
        raw: Any,
        present: bool,
        path: Path,
        params: Mapping[str, Parameter],
    ) -> Any:
        if op in ("is_true", "is_false"):
            if present:
                self.error(path, f"{op} takes no value")
                return _BAD
            return None
        if not present:
            self.error(path, f"operator {op!r} needs a value")
            return _BAD
        kind = operand_kind(spec, op)
        if op == "between" and isinstance(raw, list):
            if len(raw) != 2:
                self.error(path, "between needs [low, high]")
                return _BAD
            items = [self.operand(v, (*path, i), params, kind) for i, v in enumerate(raw)]
            if any(item is None for item in items):
                return _BAD
            if not any(isinstance(i, ParamRef) for i in items) and ordinal(items[0]) > ordinal(
                items[1]
            ):
                self.error(path, "between: low is above high")
                return _BAD
            return tuple(items)
        if op == "between":
            kind = f"pair:{kind}"
        value = self.operand(raw, path, params, kind)
        if value is None:
            return _BAD
        if isinstance(value, list):
            return tuple(value)
        return value

    def amount(self, value: Any, params: Mapping[str, Parameter]) -> Amount | None:
        path: Path = ("amount",)
        if not self.mapping(value, path, {"formula", "unit"}, {"formula"}):
            return None
        text = value["formula"]
        line = self.line((*path, "formula"))
        try:
            ast = fm.parse(text)
        except fm.FormulaError as exc:
            self.error(
                (*path, "formula"), f"bad formula: {exc.message} at column {exc.position + 1}"
            )
            return None
        ok = True
        for ref in fm.refs(ast):
            if ref.name in params:
                self.use_param({"param": ref.name}, (*path, "formula"), params, "number")
            elif ref.name not in FORMULA_FIELDS:
                hint = ""
                if ref.name in CONDITION_FIELDS:
                    hint = " (that field is not a number)"
                self.error(
                    (*path, "formula"),
                    f"bad formula: unknown name {ref.name!r} at column {ref.position + 1}{hint}",
                )
                ok = False
        unit = Label("元", "yuan")
        if "unit" in value:
            unit = self.label(value["unit"], (*path, "unit")) or unit
        return Amount(text, ast, unit, line) if ok else None

    def tests(self, value: Any, has_amount: bool) -> tuple[PolicyCase, ...]:
        if not isinstance(value, list) or not value:
            self.error(("tests",), "tests must be a non-empty list of cases")
            return ()
        out = []
        for i, case in enumerate(value):
            path: Path = ("tests", i)
            keys = {"name", "date", "enterprise", "expect", "amount"}
            if not self.mapping(case, path, keys, {"enterprise", "expect"}):
                continue
            on = self.date(case["date"], (*path, "date")) if "date" in case else None
            if case["expect"] not in EXPECTATIONS:
                self.error((*path, "expect"), f"expect must be one of {', '.join(EXPECTATIONS)}")
                continue
            try:
                enterprise = normalise_record(case["enterprise"])
            except RecordError as exc:
                self.error((*path, "enterprise", exc.field), f"enterprise: {exc}")
                continue
            amount = case.get("amount")
            if amount is not None:
                if isinstance(amount, bool) or not isinstance(amount, int | float):
                    self.error((*path, "amount"), "amount must be a number")
                    continue
                if case["expect"] != "eligible" or not has_amount:
                    self.error(
                        (*path, "amount"),
                        "amount only goes with an eligible case of a policy with an amount",
                    )
                    continue
            name = str(case.get("name") or f"case {i + 1}")
            out.append(PolicyCase(name, on, enterprise, case["expect"], amount, self.line(path)))
        return tuple(out)


_BAD = object()


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _count_leaves(node: Condition) -> int:
    if isinstance(node, Leaf):
        return 1
    if isinstance(node, Not):
        return _count_leaves(node.child)
    return sum(_count_leaves(c) for c in node.children)


def build_policy(
    document: Any, source_file: str = "<string>", marks: Mapping[Path, int] | None = None
) -> Policy:
    """Validate a parsed document (from YAML or built in code) into a Policy."""
    checker = _Checker(source_file, marks or {})
    policy = checker.policy(document, source_file)
    if policy is None:
        raise PolicyError(checker.problems)
    return policy
