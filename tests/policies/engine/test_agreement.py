"""Hypothesis: on random enterprises and random policies, the vectorised screen and the
single-enterprise explainer agree on every status and every amount."""

import datetime as dt
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.policies.engine import EnterpriseTable, PolicySet, build_policy, explain_all
from linli.policies.engine.fields import CONDITION_FIELDS, FORMULA_FIELDS, TAGS, FieldType
from linli.policies.engine.operands import OPERATORS_BY_TYPE

ON = dt.date(2025, 6, 30)
NUMBERS = [-3.0, 0.0, 0.5, 1.0, 5.0, 10.0, 50.0, 99.5, 100.0, 1000.0]
INDUSTRIES = ["I6510", "I6520", "M7320", "C3911", "L7212", "K7010", "I65", "A0111"]
TAG_NAMES = [t.name for t in TAGS]
DATES = st.dates(dt.date(2018, 1, 1), dt.date(2030, 12, 31))


def field_value(name):
    spec = CONDITION_FIELDS[name]
    if spec.type is FieldType.NUMBER:
        return st.one_of(st.sampled_from(NUMBERS), st.floats(-1e6, 1e6, allow_nan=False))
    if spec.type is FieldType.INT:
        return st.integers(0, 200).map(float) | st.sampled_from([0.0, 1.0, 10.0, 50.0])
    if spec.type is FieldType.BOOL:
        return st.booleans()
    if spec.type is FieldType.DATE:
        return DATES
    if spec.type is FieldType.TAGS:
        return st.frozensets(st.sampled_from(TAG_NAMES), max_size=4)
    if spec.choices:
        return st.sampled_from(spec.choices)
    return st.sampled_from(INDUSTRIES)


@st.composite
def enterprises(draw):
    record = {}
    for name in CONDITION_FIELDS:
        if draw(st.integers(0, 9)) < 2:
            record[name] = None
        else:
            record[name] = draw(field_value(name))
    return record


@st.composite
def leaves(draw, params):
    name = draw(st.sampled_from(sorted(CONDITION_FIELDS)))
    spec = CONDITION_FIELDS[name]
    ops = [op for op in OPERATORS_BY_TYPE[spec.type] if op != "industry_in" or spec.industry]
    op = draw(st.sampled_from(ops))
    leaf = {"field": name, "op": op, "label": {"zh": f"{name} {op}", "en": f"{name} {op}"}}
    if op in ("is_true", "is_false"):
        return leaf
    if op == "has_tag":
        value = draw(st.sampled_from(TAG_NAMES))
    elif op == "industry_in":
        value = draw(
            st.lists(st.sampled_from(["I", "I65", "M7", "C3911", "K"]), min_size=1, max_size=3)
        )
    elif op == "within_months_of":
        value = draw(st.integers(0, 80))
        if draw(st.booleans()):
            leaf["of"] = draw(DATES)
    elif op in ("in", "not_in"):
        value = draw(st.lists(field_value(name), min_size=1, max_size=4, unique=True))
    elif op == "between":
        low, high = sorted([draw(field_value(name)), draw(field_value(name))])
        value = [low, high]
    else:
        value = draw(field_value(name))
    if spec.type is FieldType.BOOL and op in ("eq", "ne"):
        value = draw(st.booleans())
    if draw(st.integers(0, 4)) == 0 and op not in ("between",):
        pname = f"p{len(params)}"
        later = value if op != "within_months_of" else draw(st.integers(0, 80))
        if op in ("in", "not_in", "industry_in"):
            later = value
        params[pname] = [
            {"from": dt.date(2020, 1, 1), "value": later},
            {"from": ON, "value": value},
        ]
        leaf["param"] = pname
    else:
        leaf["value"] = value
    return leaf


@st.composite
def conditions(draw, params, depth=0):
    kind = draw(st.sampled_from(["leaf", "leaf", "all", "any", "not"] if depth < 3 else ["leaf"]))
    if kind == "leaf":
        return draw(leaves(params))
    if kind == "not":
        return {"not": draw(conditions(params, depth + 1))}
    children = draw(st.lists(conditions(params, depth + 1), min_size=1, max_size=4))
    return {kind: children}


NUMERIC_FIELDS = sorted(FORMULA_FIELDS)


@st.composite
def formulas(draw, params, depth=0):
    choice = draw(st.integers(0, 9 if depth < 3 else 1))
    if choice == 0:
        return repr(draw(st.sampled_from([0.0, 1.0, 2.5, 100.0, 0.1, 3.0])))
    if choice == 1:
        return draw(st.sampled_from(NUMERIC_FIELDS))
    if choice == 2:
        name = f"f{len(params)}"
        params[name] = draw(st.sampled_from([0.5, 2.0, 1000.0]))
        return name
    if choice in (3, 4):
        op = draw(st.sampled_from(["+", "-", "*", "/"]))
        return f"({draw(formulas(params, depth + 1))} {op} {draw(formulas(params, depth + 1))})"
    if choice == 5:
        fn = draw(st.sampled_from(["min", "max"]))
        return f"{fn}({draw(formulas(params, depth + 1))}, {draw(formulas(params, depth + 1))})"
    if choice == 6:
        fn = draw(st.sampled_from(["floor", "ceil"]))
        return f"{fn}({draw(formulas(params, depth + 1))})"
    if choice == 7:
        return f"round({draw(formulas(params, depth + 1))}, {draw(st.integers(-2, 3))})"
    if choice == 8:
        return f"-{draw(formulas(params, depth + 1))}"
    steps = sorted(draw(st.sets(st.sampled_from([0, 1, 10, 50, 100, 500]), min_size=1, max_size=4)))
    table = ", ".join(f"[{t}, {draw(st.integers(0, 9)) * 1000}]" for t in steps)
    return f"tier({draw(formulas(params, depth + 1))}, [{table}])"


@st.composite
def policies(draw, index):
    params = {}
    document = {
        "id": f"random-{index}",
        "version": 1,
        "example": True,
        "title": {"zh": "随机", "en": "random"},
        "issuer": {"zh": "测试", "en": "test"},
        "source": {"document": "t", "clause": "1"},
        "valid_from": dt.date(2024, 1, 1),
        "benefit": "subsidy",
        "mode": "apply",
        "conditions": draw(conditions(params)),
        "tests": [{"enterprise": {}, "expect": "unknown"}],
    }
    if draw(st.booleans()):
        document["amount"] = {"formula": draw(formulas(params))}
    if params:
        document["parameters"] = params
    return build_policy(document)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(enterprises(), min_size=1, max_size=30),
    st.integers(1, 4).flatmap(lambda k: st.tuples(*[policies(i) for i in range(k)])),
    st.sampled_from([64, 128, 4096]),
)
def test_screen_and_explain_agree(records, drawn, chunk_rows):
    policyset = PolicySet.compile(list(drawn), on=ON)
    # Repeated so that rows span several chunks and land on both sides of chunk boundaries.
    repeated = records * (1 + 300 // len(records))
    table = EnterpriseTable.from_records(repeated)
    for keep in (True, False):
        result = policyset.screen(table, chunk_rows=chunk_rows, workers=2, keep_conditions=keep)
        matrix = result.status_matrix()
        for row, record in enumerate(repeated):
            if row >= len(records) and row % 7:
                continue
            explanations = explain_all(policyset, record)
            for j, explanation in enumerate(explanations):
                pid = explanation.policy_id
                assert result.status(row, pid) is explanation.status
                assert matrix[row, j] == explanation.status
                screened = result.amount(row, pid)
                if explanation.amount is None:
                    assert screened is None or math.isnan(screened)
                else:
                    assert screened == explanation.amount or (
                        math.isnan(screened) and math.isnan(explanation.amount)
                    )
                tri = [t for _, t in result.condition_results(row, pid)]
                assert tri == [c.result for c in explanation.conditions]
                near = result.near_miss_condition(row, pid)
                if explanation.near_miss is None:
                    assert near is None
                else:
                    assert near == explanation.near_miss.condition
                    assert explanation.near_miss.result.name == "FAIL"
