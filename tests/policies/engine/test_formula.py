import math

import numpy as np
import pytest

from linli.policies.engine import formula as fm


def scalar(text, **values):
    return fm.evaluate_scalar(fm.parse(text), values)


def vector(text, **values):
    columns = {k: np.array([v], dtype=np.float64) for k, v in values.items()}
    return float(fm.evaluate_array(fm.parse(text), columns.__getitem__, 1)[0])


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("1 + 2 * 3", {}, 7),
        ("(1 + 2) * 3", {}, 9),
        ("-x + 10", {"x": 4}, 6),
        ("10 - 4 - 3", {}, 3),
        ("24 / 4 / 2", {}, 3),
        ("x / 0", {"x": 5}, 0),
        ("min(x, 100, 50)", {"x": 70}, 50),
        ("max(x, 100)", {"x": 70}, 100),
        ("round(2.345, 2)", {}, 2.35),
        ("round(-2.5)", {}, -3),
        ("round(1234, -2)", {}, 1200),
        ("floor(2.7) + ceil(2.1)", {}, 5),
        ("tier(x, [[0, 0], [100, 50000], [500, 100000]])", {"x": 99.9}, 0),
        ("tier(x, [[0, 0], [100, 50000], [500, 100000]])", {"x": 100}, 50000),
        ("tier(x, [[0, 0], [100, 50000], [500, 100000]])", {"x": 10_000}, 100000),
        ("tier(x, [[10, 5]])", {"x": 3}, 0),
        ("1.5e3 + .5", {}, 1500.5),
        ("tax_last_year * 10000 * 0.1", {"tax_last_year": 12.5}, 12500),
    ],
)
def test_evaluates_the_same_in_both_paths(text, values, expected):
    assert scalar(text, **values) == pytest.approx(expected)
    assert vector(text, **values) == scalar(text, **values)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty formula"),
        ("1 +", "expected a number"),
        ("(1 + 2", "expected ')'"),
        ("1 + 2)", "unexpected ')'"),
        ("__import__(x)", "unknown function"),
        ("__import__('os')", "unexpected character"),
        ("x.y", "unexpected character '.'"),
        ("x ** 2", "expected a number"),
        ("open(x)", "unknown function"),
        ("eval(1)", "unknown function"),
        ("min(1)", "at least two"),
        ("floor(1, 2)", "one argument"),
        ("round(x, y)", "whole number"),
        ("round(x, 1.5)", "whole number"),
        ("tier(x, [[100, 1], [50, 2]])", "must increase"),
        ("tier(x, [[a + 1, 2]])", "expected ','"),
        ("tier", "needs arguments"),
        ("1 2", "unexpected '2'"),
        ("x; import os", "unexpected character ';'"),
        ("'text'", "unexpected character"),
        ("lambda: 1", "unexpected character ':'"),
    ],
)
def test_refuses_bad_input(text, message):
    with pytest.raises(fm.FormulaError) as info:
        fm.parse(text)
    assert message in info.value.message


def test_error_positions_point_at_the_problem():
    with pytest.raises(fm.FormulaError) as info:
        fm.parse("1 + foo(2)")
    assert info.value.position == 4


def test_parameters_bind_and_render():
    node = fm.parse("min(x * rate, cap)")
    assert fm.names(node) == {"x", "rate", "cap"}
    bound = fm.bind(node, {"rate": 0.5, "cap": 10})
    assert fm.names(bound) == {"x"}
    assert fm.render(bound) == "min((x * 0.5), 10)"
    assert fm.evaluate_scalar(bound, {"x": 30}) == 10


def test_tier_parameters_must_still_increase_after_binding():
    node = fm.bind(fm.parse("tier(x, [[low, 1], [high, 2]])"), {"low": 5, "high": 1})
    assert not fm.tier_is_increasing(node)


def test_never_uses_eval(monkeypatch):
    import builtins

    def refuse(*args, **kwargs):
        raise AssertionError("eval used")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    assert scalar("min(2 * x, 9)", x=4) == 8


def test_infinite_values_pass_through_rounding():
    assert math.isinf(fm.evaluate_scalar(fm.parse("round(x, 2)"), {"x": math.inf}))
