"""The economy indicators on crafted buildings, enterprises, risk snapshots and prospects:
each formula, the tax fallback and threshold, a move out and back, a month without data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.cockpit import catalogue  # noqa: F401 - registers the indicators
from linli.cockpit.indicators import INDICATORS, Period
from linli.core.access import Access
from linli.core.roles import Role
from linli.enterprise.investment.models import Prospect, Stage, StageChange
from linli.enterprise.retention.models import RiskSnapshot
from linli.registry import services as registry
from tests.factories import BuildingFactory, EnterpriseFactory

pytestmark = pytest.mark.usefixtures("in_scope")


def figure(access, key: str, period: Period):
    return INDICATORS[key].compute(access, period)


def test_tax_sums_the_buildings_of_the_year(towers, leader):
    a, b = towers
    tax = figure(leader, "economy.tax", Period(2025, 3))
    assert tax.value == 12600
    assert [(p.label, p.value) for p in tax.parts] == [("Tower A", 12000), ("Tower B", 600)]
    assert tax.parts[0].url.endswith(f"/buildings/{a.pk}/")
    # 2022: no reported figure, so Tower A's enterprises' own tax stands in.
    assert figure(leader, "economy.tax", Period(2022, 6)).value == 300
    # A year without any figure has no value rather than a zero.
    assert figure(leader, "economy.tax", Period(2021, 6)).value is None


def test_a_building_at_exactly_100_million_counts(towers, leader):
    assert figure(leader, "economy.hundred_million_buildings", Period(2024, 1)).value == 1
    (part,) = figure(leader, "economy.hundred_million_buildings", Period(2025, 1)).parts
    assert (part.label, part.value) == ("Tower A", 12000)
    assert figure(leader, "economy.hundred_million_buildings", Period(2023, 1)).value == 0
    assert figure(leader, "economy.hundred_million_buildings", Period(2021, 1)).value is None


def test_vacancy_takes_free_units_else_the_buildings_figure(towers, leader):
    vacancy = figure(leader, "economy.vacancy", Period(2026, 10))
    # Tower A: the free unit (800 m², the taken one does not count); Tower B: its own 5,000.
    assert vacancy.value == round(5800 / 60000, 4)
    assert vacancy.base == 60000
    assert [(p.label, p.value) for p in vacancy.parts] == [("Tower B", 5000), ("Tower A", 800)]


def test_vacancy_without_floor_area_is_no_rate(subdistrict, leader):
    assert figure(leader, "economy.vacancy", Period(2026, 10)).value is None


def test_enterprises_registered_in_the_month(subdistrict, leader):
    tower = BuildingFactory(subdistrict=subdistrict, name="Tower C")
    EnterpriseFactory(subdistrict=subdistrict, building=tower, founded_on=dt.date(2026, 10, 1))
    EnterpriseFactory(subdistrict=subdistrict, founded_on=dt.date(2026, 10, 31))
    EnterpriseFactory(subdistrict=subdistrict, founded_on=dt.date(2026, 11, 1))
    october = figure(leader, "economy.enterprises_registered", Period(2026, 10))
    assert october.value == 2
    assert {p.label: p.value for p in october.parts} == {"Tower C": 1, "No building": 1}
    assert figure(leader, "economy.enterprises_registered", Period(2026, 9)).value == 0


@pytest.fixture
def admin(subdistrict, make_user) -> Access:
    return Access.for_user(make_user(Role.SUBDISTRICT_ADMIN, subdistrict), subdistrict)


def test_a_move_out_counts_unless_the_enterprise_came_back(subdistrict, leader, admin, now):
    stays, leaves, closes = (EnterpriseFactory(subdistrict=subdistrict) for _ in range(3))

    def status(enterprise, value: str, at: str) -> None:
        now(at)
        registry.save_record(
            admin, "enterprise", {"status": value}, instance=enterprise, partial=True
        )

    status(stays, "moving_out", "2026-10-05 10:00")
    status(stays, "active", "2026-10-20 10:00")  # kept: back within the month
    status(leaves, "moving_out", "2026-10-06 10:00")
    status(leaves, "closed", "2026-10-25 10:00")  # leaving, then gone: still one enterprise
    status(closes, "moving_out", "2026-10-30 10:00")
    status(closes, "active", "2026-11-03 10:00")  # back the month after

    october = figure(leader, "economy.enterprises_moved_out", Period(2026, 10))
    assert october.value == 2
    assert {p.label: p.value for p in october.parts} == {"Closed": 1, "Moving out": 1}
    assert figure(leader, "economy.enterprises_moved_out", Period(2026, 11)).value == 0


def test_the_watch_list_counts_the_months_last_snapshot(subdistrict, leader, now):
    now("2026-11-15 10:00")
    firms = [EnterpriseFactory(subdistrict=subdistrict) for _ in range(4)]

    def snapshot(enterprise, day: dt.date, score: int) -> None:
        RiskSnapshot.objects.create(
            subdistrict=subdistrict, enterprise=enterprise, on=day, score=score
        )

    for enterprise, score in zip(firms, (60, 30, 5, 0), strict=True):
        snapshot(enterprise, dt.date(2026, 10, 31), score)
        snapshot(enterprise, dt.date(2026, 10, 30), 99)  # an earlier night of the month
    snapshot(firms[3], dt.date(2026, 11, 14), 70)
    october = figure(leader, "economy.watchlist", Period(2026, 10))
    assert october.value == 3
    assert [p.value for p in october.parts] == [1, 1, 1]  # high, medium, low
    assert figure(leader, "economy.watchlist", Period(2026, 11)).value == 1
    assert figure(leader, "economy.watchlist", Period(2026, 9)).value is None


def test_a_butler_without_risk_rights_sees_no_snapshot(subdistrict, make_user, now):
    now("2026-11-15 10:00")
    RiskSnapshot.objects.create(
        subdistrict=subdistrict,
        enterprise=EnterpriseFactory(subdistrict=subdistrict),
        on=dt.date(2026, 11, 1),
        score=80,
    )
    butler = Access.for_user(make_user(Role.BUTLER, subdistrict), subdistrict)
    assert figure(butler, "economy.watchlist", Period(2026, 11)).value is None


def test_conversions_and_their_rate(subdistrict, leader, now):
    def prospect(name: str, *moves: tuple[str, str]) -> Prospect:
        found = Prospect.objects.create(
            subdistrict=subdistrict, name=name, industry_code="I6510", source="fair"
        )
        previous = Stage.LEAD
        for stage, at in moves:
            StageChange.objects.create(
                subdistrict=subdistrict,
                prospect=found,
                at=now(at),
                from_stage=previous,
                to_stage=stage,
            )
            previous = stage
        return found

    prospect("Won", (Stage.SIGNED, "2026-09-20 10:00"), (Stage.REGISTERED, "2026-10-02 10:00"))
    prospect("Won too", (Stage.REGISTERED, "2026-10-12 10:00"))
    prospect("Lost", (Stage.LOST, "2026-10-15 10:00"))
    prospect("Open", (Stage.CONTACTED, "2026-10-16 10:00"))
    october = Period(2026, 10)
    conversions = figure(leader, "economy.investment_conversions", october)
    assert conversions.value == 2
    (fair,) = conversions.parts
    assert (fair.label, fair.value) == ("Investment fair", 2)
    assert "stage=registered" in fair.url and "source=fair" in fair.url
    rate = figure(leader, "economy.conversion_rate", october)
    assert (rate.value, rate.base) == (round(2 / 3, 4), 3)
    # September decided nothing: no rate, not 0 %.
    empty = figure(leader, "economy.conversion_rate", Period(2026, 9))
    assert (empty.value, empty.base) == (None, 0)
    assert figure(leader, "economy.investment_conversions", Period(2026, 9)).value == 0


def test_another_subdistricts_enterprises_are_not_counted(subdistrict, other_subdistrict, leader):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        EnterpriseFactory(subdistrict=other_subdistrict, founded_on=dt.date(2026, 10, 3))
        BuildingFactory(subdistrict=other_subdistrict, floor_area_m2=Decimal(1000))
    assert figure(leader, "economy.enterprises_registered", Period(2026, 10)).value == 0
    assert figure(leader, "economy.vacancy", Period(2026, 10)).value is None
