"""Every demo policy loads, is marked as an example, and passes its own test cases."""

import datetime as dt

import pytest

from linli.policies.engine import DEFAULT_LIBRARY, PolicySet, load_library, run_policy_tests

LIBRARY = load_library(DEFAULT_LIBRARY)


def test_library_has_at_least_thirty_example_policies():
    assert len({p.id for p in LIBRARY}) >= 30
    for policy in LIBRARY:
        assert policy.example is True, policy.key
        assert "示例" in policy.title.zh and "example" in policy.title.en.lower(), policy.key
        assert policy.tests, policy.key


@pytest.mark.parametrize("policy", LIBRARY, ids=lambda p: p.key)
def test_policy_cases_pass(policy):
    failures = [str(o) for o in run_policy_tests(policy) if not o.passed]
    assert not failures, "\n".join(failures)


def test_each_policy_has_eligible_and_ineligible_cases():
    for policy in LIBRARY:
        expectations = {case.expect for case in policy.tests}
        assert {"eligible", "ineligible"} <= expectations, policy.key


def test_library_compiles_for_a_date():
    policyset = PolicySet.compile(LIBRARY, on=dt.date(2025, 6, 30))
    assert len(policyset) >= 30
    assert len(policyset.predicates) < sum(len(p.conditions) for p in policyset.policies)
