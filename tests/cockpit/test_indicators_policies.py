"""The policy indicators on crafted decisions and grants: enterprises counted once, a revoked
grant left out, a granted or information-only benefit not "unclaimed"."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.cockpit import catalogue  # noqa: F401 - registers the indicators
from linli.cockpit.indicators import INDICATORS, Period
from linli.policies.models import Decision, Grant, PolicyVersion, ScreeningRun
from tests.cases.conftest import local
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.usefixtures("in_scope")


def figure(access, key: str, period: Period):
    return INDICATORS[key].compute(access, period)


def version(policy_id: str, title: str, mode: str) -> PolicyVersion:
    return PolicyVersion.objects.create(
        policy_id=policy_id,
        version=1,
        rule_hash=policy_id.ljust(64, "0"),
        title_zh=title,
        title_en=title,
        issuer_zh="区政府",
        issuer_en="District",
        source_document="Doc",
        source_clause="Art. 1",
        benefit="subsidy",
        mode=mode,
        valid_from=dt.date(2026, 1, 1),
        document={},
        source_text="",
        source_file=f"{policy_id}.yaml",
    )


@pytest.fixture
def screened(subdistrict):
    rent = version("rent", "Rent subsidy", "apply")
    award = version("award", "Growth award", "auto_grant")
    notice = version("notice", "Training notice", "notify")
    run = ScreeningRun.objects.create(
        subdistrict=subdistrict,
        trigger="nightly",
        started_at=local("2026-11-01 02:00"),
        finished_at=local("2026-11-01 02:05"),
        evaluated_on=dt.date(2026, 11, 1),
    )
    e1, e2, e3 = (EnterpriseFactory(subdistrict=subdistrict) for _ in range(3))

    def decide(enterprise, policy: PolicyVersion, status: str = "eligible") -> None:
        Decision.objects.create(
            subdistrict=subdistrict,
            run=run,
            enterprise=enterprise,
            policy_version=policy,
            policy_id=policy.policy_id,
            status=status,
            rule_hash=policy.rule_hash,
            evaluated_on=run.evaluated_on,
        )

    def grant(enterprise, policy: PolicyVersion, at: str, status: str = "granted") -> None:
        Grant.objects.create(
            subdistrict=subdistrict,
            enterprise=enterprise,
            policy_version=policy,
            policy_id=policy.policy_id,
            rule_hash=policy.rule_hash,
            evaluated_on=run.evaluated_on,
            decided_at=local(at),
            snapshot={},
            status=status,
        )

    decide(e1, rent)
    decide(e1, award)
    decide(e2, rent)
    decide(e3, rent, "maybe")  # data missing: not eligible
    decide(e3, notice)
    grant(e1, award, "2026-10-05 02:05")
    grant(e2, award, "2026-10-06 02:05", status="revoked")
    grant(e3, award, "2026-09-05 02:05")
    return e1, e2, e3


def test_eligible_enterprises_count_once(screened, leader):
    eligible = figure(leader, "policies.eligible", Period(2026, 11))
    assert eligible.value == 3
    assert {p.label: p.value for p in eligible.parts} == {
        "Rent subsidy": 2,
        "Growth award": 1,
        "Training notice": 1,
    }


def test_grants_count_in_their_month_and_a_revoked_one_not(screened, leader):
    october = figure(leader, "policies.granted", Period(2026, 10))
    assert october.value == 1
    (award,) = october.parts
    assert (award.label, award.value) == ("Growth award", 1)
    assert figure(leader, "policies.granted", Period(2026, 9)).value == 1
    assert figure(leader, "policies.granted", Period(2026, 11)).value == 0


def test_unclaimed_leaves_out_granted_and_information_only_benefits(screened, leader, client_for):
    unclaimed = figure(leader, "policies.unclaimed", Period(2026, 11))
    assert unclaimed.value == 2  # e1 and e2, for the rent subsidy
    (rent,) = unclaimed.parts
    assert (rent.label, rent.value) == ("Rent subsidy", 2)
    assert rent.url.endswith("?policy=rent")
    listing = client_for(leader.user).get(rent.url)
    assert listing.context["page"].paginator.count == rent.value


def test_nothing_screened_is_zero_enterprises(subdistrict, leader):
    for key in ("policies.eligible", "policies.granted", "policies.unclaimed"):
        assert figure(leader, key, Period(2026, 11)).value == 0
