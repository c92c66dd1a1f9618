"""Stage rules, cost shares and parameter versions on a crafted unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from linli.core import services as core
from linli.governance.lifts import money, services
from linli.governance.lifts.models import Choice, Project, Stage
from tests.lifts.helpers import DAY, crafted_unit

FLATS = [(f"{f}0{i}", f, "60", [f"Owner {f}{i}"]) for f in range(1, 7) for i in (1, 2)]


@pytest.fixture
def project(subdistrict, quarter, system):
    unit, _persons = crafted_unit(subdistrict, quarter, FLATS)
    return services.open_project(system, unit, opened_on=DAY)


def agree(system, project, count, on):
    for voter in list(project.voters.all())[:count]:
        services.record_vote(system, voter, choice=Choice.AGREE, on=on, channel="meeting")


def test_consent_must_pass_before_the_design(system, project):
    on = DAY + dt.timedelta(days=10)
    agree(system, project, 7, on)  # 7 of 12 take part: under 2/3
    with pytest.raises(ValidationError):
        services.advance(system, project, on=on)
    assert Project.objects.get(pk=project.pk).stage == Stage.SURVEY
    agree(system, project, 8, on)
    services.advance(system, project, on=on)
    project.refresh_from_db()
    assert project.stage == Stage.DESIGN
    assert project.consent_decided_on == on
    assert project.consent_versions["participation"]["ratio"] == "2/3"
    # Votes close with the survey.
    with pytest.raises(ValidationError):
        agree(system, project, 9, on)


def test_stages_advance_one_at_a_time_in_date_order(system, project):
    on = DAY + dt.timedelta(days=5)
    agree(system, project, 12, on)
    services.advance(system, project, on=on)
    with pytest.raises(ValidationError):
        services.advance(system, project, on=on - dt.timedelta(days=1))  # before stage 2
    services.advance(system, project, on=on + dt.timedelta(days=20))  # planning
    services.advance(system, project, on=on + dt.timedelta(days=40))  # structural review
    with pytest.raises(ValidationError):  # no cost yet: no permit route
        services.advance(system, project, on=on + dt.timedelta(days=50))
    services.record_cost(system, project, estimated_cost="850000", lifts=1, on=on)
    services.advance(system, project, on=on + dt.timedelta(days=50))
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION_PERMIT
    assert project.route == Project.Route.FILING  # under 1,000,000 yuan
    services.advance(system, project, on=on + dt.timedelta(days=60))  # installation
    with pytest.raises(ValidationError):  # the day the lift entered service is needed
        services.advance(system, project, on=on + dt.timedelta(days=150))
    services.advance(
        system,
        project,
        on=on + dt.timedelta(days=150),
        entered_service_on=on + dt.timedelta(days=110),
    )
    project.refresh_from_db()
    assert project.registration_late  # 40 days after entering service, 30 allowed
    assert services.days_per_stage(project)[Stage.DESIGN] == 20


def test_registration_within_the_limit_is_not_late(system, project):
    on = DAY + dt.timedelta(days=5)
    agree(system, project, 12, on)
    services.record_cost(system, project, estimated_cost="1200000", lifts=1, on=on)
    for _ in range(5):
        services.advance(system, project, on=on)
    project.refresh_from_db()
    assert project.route == Project.Route.PERMIT
    services.advance(system, project, on=on + dt.timedelta(days=30), entered_service_on=on)
    project.refresh_from_db()
    assert project.stage == Stage.USE_REGISTRATION and not project.registration_late


def test_cost_shares_by_floor(system, project):
    on = DAY + dt.timedelta(days=5)
    services.record_cost(system, project, estimated_cost="780000", lifts=1, on=on)
    shares = services.cost_shares(project, on)
    by_floor = {s.dwelling.number: s.amount for s in shares}
    # 780,000 − 280,000 subsidy = 500,000; coefficients 0, .4, .8, 1, 1.2, 1.4 twice = 9.6
    assert sum(by_floor.values()) == Decimal("500000.00")
    assert by_floor["101"] == 0
    assert by_floor["601"] == Decimal("72916.67")
    assert by_floor["601"] > by_floor["501"] > by_floor["201"]


def test_shares_add_up_to_the_fen():
    amounts = money.shares(Decimal("100"), [(1, 2), (2, 2), (3, 2)], {1: Decimal(0), 2: Decimal(1)})
    assert sum(amounts.values()) == Decimal("100.00")
    assert sorted(amounts.values()) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_a_future_dated_ratio_leaves_earlier_decisions_alone(system, project):
    on = DAY + dt.timedelta(days=5)
    agree(system, project, 8, on)
    services.advance(system, project, on=on)
    core.set_parameter(
        system,
        key="lifts.participation_numerator",
        value=3,
        effective_from=on + dt.timedelta(days=1),
        source="test",
    )
    core.set_parameter(
        system,
        key="lifts.participation_denominator",
        value=4,
        effective_from=on + dt.timedelta(days=1),
        source="test",
    )
    project.refresh_from_db()
    tally = services.tally(project, on + dt.timedelta(days=30))
    assert str(tally.participation_heads.ratio) == "2/3"
    assert tally.passed
    assert project.consent_versions["participation"]["ratio"] == "2/3"
    # A new decision after the change uses 3/4: 8 of 12 would no longer do.
    ratios, _record = services.ratios_on(on + dt.timedelta(days=1))
    assert str(ratios.participation) == "3/4"
