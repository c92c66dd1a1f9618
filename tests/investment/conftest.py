"""People and places of the pipeline tests: an ambassador, a building with vacant units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.core.access import Access
from linli.core.roles import Role
from linli.enterprise.investment import services
from linli.enterprise.investment.models import VacantUnit
from tests.factories import BuildingFactory


@pytest.fixture
def ambassador(subdistrict, make_user):
    return make_user(Role.AMBASSADOR, subdistrict, username="amb")


@pytest.fixture
def as_ambassador(ambassador, subdistrict) -> Access:
    return Access.for_user(ambassador, subdistrict)


@pytest.fixture
def building(subdistrict):
    return BuildingFactory(subdistrict=subdistrict, name="Jing'an Tower", floors=30)


@pytest.fixture
def unit(building, in_scope) -> VacantUnit:
    return VacantUnit.objects.create(
        subdistrict=building.subdistrict,
        building=building,
        label="1201",
        floor=12,
        area_m2=Decimal("480"),
        rent_per_m2_day=Decimal("8.50"),
        available_from=dt.date(2026, 1, 1),
    )


PROSPECT_DATA = {
    "name": "Shanghai Bright Robotics Co., Ltd.",
    "credit_code": "",
    "industry_code": "I6510",
    "source": "fair",
    "contact_name": "Wang Li",
    "contact_phone": "13812345678",
    "area_m2": "500",
    "floor_min": "10",
    "floor_max": "20",
    "budget_per_m2_day": "9.00",
    "expected_tax": "1200",
    "registered_capital": "1000",
    "headcount": "35",
    "legal_rep_name": "Wang Li",
    "notes": "Met at the CIIE side event.",
}


@pytest.fixture
def prospect(as_ambassador, in_scope):
    return services.save_prospect(as_ambassador, dict(PROSPECT_DATA))


def advance(prospect, actor, *stages):
    for stage in stages:
        prospect = services.move_prospect(prospect, actor=actor, to_stage=stage, note=stage)
    return prospect
