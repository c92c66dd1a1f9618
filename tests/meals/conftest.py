from __future__ import annotations

import pytest
from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import Role
from tests.meals.helpers import NOW, build_meals


@pytest.fixture(autouse=True)
def _monday(monkeypatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def meals(subdistrict):
    return build_meals(subdistrict)


@pytest.fixture
def users(meals, make_user):
    sub = meals.subdistrict
    return {
        "admin": make_user(Role.SUBDISTRICT_ADMIN, sub),
        "committee": make_user(Role.HANDLER, sub, organisation=meals.hood.committee),
        "grid2": make_user(Role.GRID_WORKER, sub, grid=meals.hood.grids[1]),
        "leader": make_user(Role.LEADER, sub),
        "operator": make_user(Role.MEAL_OPERATOR, sub, organisation=meals.provider),
        "other_operator": make_user(Role.MEAL_OPERATOR, sub, organisation=meals.other_provider),
        "caregiver": make_user(Role.CAREGIVER, sub),
    }


@pytest.fixture
def access(meals, users):
    sub = meals.subdistrict
    with scope(subdistrict=sub):
        yield {name: Access.for_user(user, sub) for name, user in users.items()}
