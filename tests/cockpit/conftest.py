"""Buildings with tax, enterprises, cases and vacant units for the dashboard tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from linli.cases.models import Case, Category, State
from linli.core.access import Access
from linli.core.roles import Role
from linli.enterprise.investment.models import VacantUnit
from linli.registry.models import BuildingTaxYear, EnterpriseYear
from tests.factories import BuildingFactory, EnterpriseFactory


def make_case(building, number: str, state: str = State.DISPATCHED) -> Case:
    category = Category.objects.filter(subdistrict=building.subdistrict).first()
    if category is None:
        category = Category.objects.create(
            subdistrict=building.subdistrict, code="INC", name="Incidents", kind="incident"
        )
    return Case.objects.create(
        subdistrict=building.subdistrict,
        number=number,
        category=category,
        channel="web",
        title=f"Case {number}",
        description="Something to fix",
        building=building,
        state=state,
    )


@pytest.fixture
def towers(subdistrict, in_scope):
    """Tower A: a 100-million-yuan building in 2024 and 2025, growing; three enterprises (one
    moving out), two open cases and a closed one, a free and a taken vacant unit.
    Tower B: smaller, shrinking, no units recorded (its own vacancy figure counts)."""
    a = BuildingFactory(
        subdistrict=subdistrict, name="Tower A", code="A", floor_area_m2=Decimal("40000")
    )
    b = BuildingFactory(
        subdistrict=subdistrict,
        name="Tower B",
        code="B",
        floor_area_m2=Decimal("20000"),
        vacant_area_m2=Decimal("5000"),
    )
    for building, taxes in (
        (a, {2023: 9000, 2024: 10000, 2025: 12000}),
        (b, {2024: 800, 2025: 600}),
    ):
        for year, tax in taxes.items():
            BuildingTaxYear.objects.create(
                subdistrict=subdistrict, building=building, year=year, tax=Decimal(tax)
            )
    software = EnterpriseFactory(subdistrict=subdistrict, building=a, industry_code="I6510")
    EnterpriseFactory(subdistrict=subdistrict, building=a, industry_code="I6420")
    EnterpriseFactory(
        subdistrict=subdistrict, building=a, industry_code="J6620", status="moving_out"
    )
    EnterpriseFactory(subdistrict=subdistrict, building=b, industry_code="L7212")
    EnterpriseYear.objects.create(
        subdistrict=subdistrict,
        enterprise=software,
        year=2022,
        revenue=Decimal(1),
        tax=Decimal(300),
    )
    make_case(a, "C1")
    make_case(a, "C2", State.IN_PROGRESS)
    make_case(a, "C3", State.CLOSED)
    VacantUnit.objects.create(
        subdistrict=subdistrict,
        building=a,
        label="1001",
        floor=10,
        area_m2=Decimal("800"),
        rent_per_m2_day=Decimal("9"),
    )
    VacantUnit.objects.create(
        subdistrict=subdistrict,
        building=a,
        label="1002",
        floor=10,
        area_m2=Decimal("1200"),
        rent_per_m2_day=Decimal("9"),
        taken_at="2026-01-01T00:00:00Z",
    )
    return a, b


@pytest.fixture
def leader(subdistrict, make_user) -> Access:
    """A leader's access: every building, every enterprise of the sub-district."""
    return Access.for_user(make_user(Role.LEADER, subdistrict), subdistrict)


# The small case office of the cases tests, for the case indicators (test_overview.py).
from tests.cases.conftest import _fast_passwords, _media_in_tmp, now, office, report  # noqa: E402, F401
