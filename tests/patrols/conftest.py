"""A grid with a plan of three points, its grid worker, a worker of another grid, a leader and
a category a finding can be reported under."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django_scopes import scope, scopes_disabled

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.roles import Role
from linli.governance.patrols import services
from linli.governance.patrols.services import PointSpec
from tests.factories import GridFactory

# Three points about 200 m apart along a street in Jing'an.
POINTS = [
    PointSpec("Gate of Jade Garden", 121.4550, 31.2350, "gate"),
    PointSpec("Building 5", 121.4571, 31.2350, "building"),
    PointSpec("Wet market", 121.4592, 31.2350, "market"),
]


@pytest.fixture
def beat(subdistrict, make_user):
    grid = GridFactory(subdistrict=subdistrict, name="Grid One")
    other_grid = GridFactory(subdistrict=subdistrict, name="Grid Two")
    with scopes_disabled():
        category = Category.objects.create(
            subdistrict=subdistrict,
            code="PILED-RUBBISH",
            name="Piled rubbish",
            kind=Category.Kind.INCIDENT,
        )
    admin = make_user(Role.SUBDISTRICT_ADMIN, subdistrict, username="admin")
    with scope(subdistrict=subdistrict):
        plan = services.create_plan(
            actor=Access.for_user(admin, subdistrict),
            grid=grid,
            name="Grid One daily round",
            points=POINTS,
        )
        other_plan = services.create_plan(
            actor=Access.for_user(admin, subdistrict),
            grid=other_grid,
            name="Grid Two round",
            points=POINTS[:1],
            per_week=3,
        )
    return SimpleNamespace(
        grid=grid,
        other_grid=other_grid,
        plan=plan,
        other_plan=other_plan,
        category=category,
        admin=admin,
        worker=make_user(Role.GRID_WORKER, subdistrict, username="gw", grid=grid),
        other_worker=make_user(Role.GRID_WORKER, subdistrict, username="gw2", grid=other_grid),
        leader=make_user(Role.LEADER, subdistrict, username="leader"),
        handler=make_user(Role.HANDLER, subdistrict, username="handler"),
    )


@pytest.fixture
def as_(subdistrict):
    """as_(user) -> the user's Access in the sub-district."""
    return lambda user: Access.for_user(user, subdistrict)
