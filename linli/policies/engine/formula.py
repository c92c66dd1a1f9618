"""The amount grammar: a tokenizer and a recursive-descent parser, never `eval`.

Policy files come from outside the code review path (an operator edits them), so the amount
language must not be able to reach Python. It is arithmetic over declared fields and the policy's
parameters, with min/max, floor/ceil, round (half away from zero, as 四舍五入 expects) and a
stepwise `tier` table.

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := ("-" | "+") unary | primary
    primary := NUMBER | NAME | NAME "(" args ")" | "(" expr ")"
    tier(x, [[t0, a0], [t1, a1], ...])   a_i for the largest t_i <= x; 0 below t0
    round(x, n)                          n an integer literal

Both evaluators (NumPy arrays and Python floats) perform the same IEEE operations in the same
order, so the vectorised and single-enterprise paths give bit-identical amounts. Division by zero
gives 0: a share of nothing is nothing, and it keeps NaN out of grant records.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

FUNCTIONS = {"min", "max", "floor", "ceil", "round", "tier"}


class FormulaError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Ref:
    name: str
    position: int = 0


@dataclass(frozen=True)
class Neg:
    arg: Node


@dataclass(frozen=True)
class Bin:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    fn: str  # min, max, floor, ceil
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Round:
    arg: Node
    ndigits: int


@dataclass(frozen=True)
class Tier:
    arg: Node
    # Num or Ref to a parameter until parameters are bound, then Num only.
    thresholds: tuple[Node, ...]
    amounts: tuple[Node, ...]


Node = Num | Ref | Neg | Bin | Call | Round | Tier

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>[-+*/(),\[\]]))"
)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            start = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise FormulaError(f"unexpected character {text[start]!r}", start)
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, value: str) -> None:
        kind, text, pos = self.take()
        if text != value or kind != "op":
            found = "end of formula" if kind == "end" else repr(text)
            raise FormulaError(f"expected {value!r}, found {found}", pos)

    def parse(self) -> Node:
        if self.peek()[0] == "end":
            raise FormulaError("empty formula", 0)
        node = self.expr()
        kind, text, pos = self.peek()
        if kind != "end":
            raise FormulaError(f"unexpected {text!r}", pos)
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            node = Bin(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            op = self.take()[1]
            node = Bin(op, node, self.unary())
        return node

    def unary(self) -> Node:
        kind, text, _ = self.peek()
        if kind == "op" and text in ("-", "+"):
            self.take()
            arg = self.unary()
            if text == "+":
                return arg
            if isinstance(arg, Num):
                return Num(-arg.value)
            return Neg(arg)
        return self.primary()

    def primary(self) -> Node:
        kind, text, pos = self.take()
        if kind == "num":
            value = float(text)
            if not math.isfinite(value):
                raise FormulaError(f"number out of range: {text}", pos)
            return Num(value)
        if kind == "name":
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                return self.call(text, pos)
            if text in FUNCTIONS:
                raise FormulaError(f"{text} needs arguments in parentheses", pos)
            return Ref(text, pos)
        if kind == "op" and text == "(":
            node = self.expr()
            self.expect(")")
            return node
        found = "end of formula" if kind == "end" else repr(text)
        raise FormulaError(f"expected a number, a name or '(', found {found}", pos)

    def call(self, fn: str, pos: int) -> Node:
        if fn not in FUNCTIONS:
            raise FormulaError(
                f"unknown function {fn!r} (allowed: {', '.join(sorted(FUNCTIONS))})", pos
            )
        self.expect("(")
        if fn == "tier":
            arg = self.expr()
            self.expect(",")
            thresholds, amounts = self.tier_table()
            self.expect(")")
            return Tier(arg, thresholds, amounts)
        args = [self.expr()]
        while self.peek()[1] == "," and self.peek()[0] == "op":
            self.take()
            args.append(self.expr())
        self.expect(")")
        if fn in ("floor", "ceil") and len(args) != 1:
            raise FormulaError(f"{fn} takes one argument", pos)
        if fn in ("min", "max") and len(args) < 2:
            raise FormulaError(f"{fn} takes at least two arguments", pos)
        if fn == "round":
            if len(args) == 1:
                return Round(args[0], 0)
            if len(args) != 2:
                raise FormulaError("round takes (value, digits)", pos)
            digits = args[1]
            if not isinstance(digits, Num) or digits.value != int(digits.value):
                raise FormulaError("round digits must be a whole number", pos)
            if not -8 <= digits.value <= 8:
                raise FormulaError("round digits must be between -8 and 8", pos)
            return Round(args[0], int(digits.value))
        return Call(fn, tuple(args))

    def tier_constant(self) -> Node:
        kind, text, pos = self.take()
        sign = 1.0
        if kind == "op" and text == "-":
            sign = -1.0
            kind, text, pos = self.take()
        if kind == "num":
            return Num(sign * float(text))
        if kind == "name" and sign > 0:
            return Ref(text, pos)
        raise FormulaError("tier entries must be numbers or parameter names", pos)

    def tier_table(self) -> tuple[tuple[Node, ...], tuple[Node, ...]]:
        thresholds: list[Node] = []
        amounts: list[Node] = []
        self.expect("[")
        while True:
            self.expect("[")
            thresholds.append(self.tier_constant())
            self.expect(",")
            amounts.append(self.tier_constant())
            self.expect("]")
            if self.peek()[1] == "," and self.peek()[0] == "op":
                self.take()
                continue
            break
        self.expect("]")
        values = [t.value for t in thresholds if isinstance(t, Num)]
        if len(values) == len(thresholds) and any(
            b <= a for a, b in zip(values, values[1:], strict=False)
        ):
            raise FormulaError("tier thresholds must increase", self.peek()[2])
        return tuple(thresholds), tuple(amounts)


def parse(text: str) -> Node:
    if not isinstance(text, str):
        raise FormulaError("formula must be a string", 0)
    return _Parser(text).parse()


def names(node: Node) -> set[str]:
    """Every field or parameter name the formula refers to."""
    if isinstance(node, Ref):
        return {node.name}
    if isinstance(node, Num):
        return set()
    if isinstance(node, Neg):
        return names(node.arg)
    if isinstance(node, Bin):
        return names(node.left) | names(node.right)
    if isinstance(node, Call):
        return set().union(*(names(a) for a in node.args))
    if isinstance(node, Round):
        return names(node.arg)
    out = names(node.arg)
    for part in node.thresholds + node.amounts:
        out |= names(part)
    return out


def refs(node: Node) -> list[Ref]:
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Num):
        return []
    if isinstance(node, Neg | Round):
        return refs(node.arg)
    if isinstance(node, Bin):
        return refs(node.left) + refs(node.right)
    if isinstance(node, Call):
        return [r for a in node.args for r in refs(a)]
    return refs(node.arg) + [r for part in node.thresholds + node.amounts for r in refs(part)]


def bind(node: Node, params: Mapping[str, float]) -> Node:
    """Replace parameter names by their values for one evaluation date."""
    if isinstance(node, Ref):
        return Num(float(params[node.name])) if node.name in params else node
    if isinstance(node, Num):
        return node
    if isinstance(node, Neg):
        return Neg(bind(node.arg, params))
    if isinstance(node, Bin):
        return Bin(node.op, bind(node.left, params), bind(node.right, params))
    if isinstance(node, Call):
        return Call(node.fn, tuple(bind(a, params) for a in node.args))
    if isinstance(node, Round):
        return Round(bind(node.arg, params), node.ndigits)
    return Tier(
        bind(node.arg, params),
        tuple(bind(t, params) for t in node.thresholds),
        tuple(bind(a, params) for a in node.amounts),
    )


def tier_is_increasing(node: Node) -> bool:
    """After binding, a tier table fed by parameters must still have increasing thresholds."""
    if isinstance(node, Tier):
        values = [t.value for t in node.thresholds if isinstance(t, Num)]
        if any(b <= a for a, b in zip(values, values[1:], strict=False)):
            return False
        return tier_is_increasing(node.arg)
    if isinstance(node, Neg | Round):
        return tier_is_increasing(node.arg)
    if isinstance(node, Bin):
        return tier_is_increasing(node.left) and tier_is_increasing(node.right)
    if isinstance(node, Call):
        return all(tier_is_increasing(a) for a in node.args)
    return True


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


def render(node: Node) -> str:
    """A canonical spelling, used in rule hashes and in explanations."""
    if isinstance(node, Num):
        return _fmt(node.value)
    if isinstance(node, Ref):
        return node.name
    if isinstance(node, Neg):
        return f"-({render(node.arg)})"
    if isinstance(node, Bin):
        return f"({render(node.left)} {node.op} {render(node.right)})"
    if isinstance(node, Call):
        return f"{node.fn}({', '.join(render(a) for a in node.args)})"
    if isinstance(node, Round):
        return f"round({render(node.arg)}, {node.ndigits})"
    table = ", ".join(
        f"[{render(t)}, {render(a)}]" for t, a in zip(node.thresholds, node.amounts, strict=True)
    )
    return f"tier({render(node.arg)}, [{table}])"


def _const(node: Node) -> float:
    if not isinstance(node, Num):
        raise TypeError("formula has unbound parameters")
    return node.value


def evaluate_array(node: Node, column: Callable[[str], np.ndarray], size: int) -> np.ndarray:
    """Evaluate over float64 arrays (only the eligible rows are passed in)."""
    result = _array(node, column)
    if isinstance(result, float):
        return np.full(size, result, dtype=np.float64)
    return result


def _array(node: Node, column: Callable[[str], np.ndarray]) -> Any:
    # Constants stay Python floats and broadcast; NumPy then does the same float64 operation.
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return column(node.name)
    if isinstance(node, Neg):
        return np.negative(_array(node.arg, column))
    if isinstance(node, Bin):
        left = _array(node.left, column)
        right = _array(node.right, column)
        if node.op == "+":
            return np.add(left, right)
        if node.op == "-":
            return np.subtract(left, right)
        if node.op == "*":
            return np.multiply(left, right)
        if isinstance(right, float):
            if right != 0:
                return np.divide(left, right)
            return np.zeros_like(left) if isinstance(left, np.ndarray) else 0.0
        left, right = np.broadcast_arrays(np.asarray(left, dtype=np.float64), right)
        out = np.zeros(right.shape, dtype=np.float64)
        np.divide(left, right, out=out, where=right != 0)
        return out
    if isinstance(node, Call):
        values = [_array(a, column) for a in node.args]
        if node.fn == "floor":
            return np.floor(values[0])
        if node.fn == "ceil":
            return np.ceil(values[0])
        result = values[0]
        reduce = np.minimum if node.fn == "min" else np.maximum
        for value in values[1:]:
            result = reduce(result, value)
        return result
    if isinstance(node, Round):
        value = _array(node.arg, column)
        scale = 10.0**node.ndigits
        return np.floor(np.abs(value) * scale + 0.5) / scale * np.sign(value)
    value = _array(node.arg, column)
    thresholds = np.array([_const(t) for t in node.thresholds], dtype=np.float64)
    amounts = np.array([0.0] + [_const(a) for a in node.amounts], dtype=np.float64)
    return amounts[np.searchsorted(thresholds, value, side="right")]


def evaluate_scalar(node: Node, values: Mapping[str, float]) -> float:
    """The same arithmetic as `evaluate_array`, one enterprise at a time."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return float(values[node.name])
    if isinstance(node, Neg):
        return -evaluate_scalar(node.arg, values)
    if isinstance(node, Bin):
        left = evaluate_scalar(node.left, values)
        right = evaluate_scalar(node.right, values)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return 0.0 if right == 0 else left / right
    if isinstance(node, Call):
        args = [evaluate_scalar(a, values) for a in node.args]
        if node.fn in ("floor", "ceil"):
            if not math.isfinite(args[0]):
                return args[0]
            return float(math.floor(args[0]) if node.fn == "floor" else math.ceil(args[0]))
        result = args[0]
        for arg in args[1:]:
            if node.fn == "min":
                result = arg if arg < result else result
            else:
                result = arg if arg > result else result
        return result
    if isinstance(node, Round):
        value = evaluate_scalar(node.arg, values)
        scale = 10.0**node.ndigits
        sign = 1.0 if value > 0 else (-1.0 if value < 0 else 0.0)
        if not math.isfinite(value):
            return value
        return float(math.floor(abs(value) * scale + 0.5)) / scale * sign
    value = evaluate_scalar(node.arg, values)
    thresholds = [_const(t) for t in node.thresholds]
    index = bisect_right(thresholds, value)
    return 0.0 if index == 0 else _const(node.amounts[index - 1])
