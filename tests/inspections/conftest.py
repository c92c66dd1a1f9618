"""Four departments, their handlers, a leader who coordinates, and two enterprises."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django_scopes import scope, scopes_disabled

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.roles import Role
from linli.enterprise.inspections import services
from tests.factories import BuildingFactory, EnterpriseFactory, OrganisationFactory


@pytest.fixture
def town(subdistrict, make_user):
    names = ["Market regulation", "Fire safety", "Environment", "Labour"]
    departments = [OrganisationFactory(subdistrict=subdistrict, name=n) for n in names]
    handlers = [
        make_user(Role.HANDLER, subdistrict, username=f"h{i}", organisation=d)
        for i, d in enumerate(departments)
    ]
    building = BuildingFactory(subdistrict=subdistrict, name="Jade Tower")
    with scopes_disabled():
        Category.objects.create(
            subdistrict=subdistrict,
            code="FIRE-EXIT",
            name="Blocked fire exit",
            kind=Category.Kind.INCIDENT,
        )
    return SimpleNamespace(
        departments=departments,
        handlers=handlers,
        leader=make_user(Role.LEADER, subdistrict, username="leader"),
        firm=EnterpriseFactory(subdistrict=subdistrict, building=building, name="Alpha Ltd"),
        other_firm=EnterpriseFactory(subdistrict=subdistrict, name="Beta Ltd"),
    )


def day(month: int, d: int) -> dt.date:
    return dt.date(2026, month, d)


@pytest.fixture
def plan_for(town, subdistrict):
    """plan_for(i, start, end) -> a plan of department i for Alpha Ltd, by its handler."""

    def make(i: int, start: dt.date, end: dt.date, firm=None, subject: str = "Routine check"):
        actor = Access.for_user(town.handlers[i], subdistrict)
        return services.plan_inspection(
            actor=actor,
            enterprise=firm or town.firm,
            department=town.departments[i],
            subject=subject,
            window_start=start,
            window_end=end,
        )

    return make


@pytest.fixture
def joint(town, plan_for, subdistrict):
    """Three departments' plans merged into one visit, a fourth on its own."""
    with scope(subdistrict=subdistrict):
        plans = [plan_for(i, day(3, 2), day(3, 20)) for i in range(3)]
        plans.append(plan_for(3, day(5, 4), day(5, 15)))
    return plans
