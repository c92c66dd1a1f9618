from __future__ import annotations

import pytest
from django_scopes import scope

from linli.core.access import Access
from linli.core.roles import Role
from tests.caring.helpers import NOW, living_alone, set_clock
from tests.people.helpers import build_neighbourhood


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch) -> None:
    set_clock(monkeypatch, NOW)


@pytest.fixture
def hood(subdistrict):
    built = build_neighbourhood(subdistrict)
    with scope(subdistrict=subdistrict):
        for person in built.persons:
            living_alone(person)
    return built


@pytest.fixture
def users(hood, make_user):
    sub = hood.subdistrict
    return {
        "admin": make_user(Role.SUBDISTRICT_ADMIN, sub, username="admin"),
        "committee": make_user(
            Role.HANDLER, sub, username="committee", organisation=hood.committee
        ),
        "volunteer": make_user(
            Role.VOLUNTEER, sub, username="volunteer", organisation=hood.committee
        ),
        "volunteer2": make_user(Role.VOLUNTEER, sub, username="volunteer2"),
        "grid1": make_user(Role.GRID_WORKER, sub, username="grid1", grid=hood.grids[0]),
        "caregiver": make_user(Role.CAREGIVER, sub, username="caregiver"),
        "leader": make_user(Role.LEADER, sub, username="leader"),
        "handler": make_user(Role.HANDLER, sub, username="handler"),
    }


@pytest.fixture
def access(hood, users):
    sub = hood.subdistrict
    with scope(subdistrict=sub):
        yield {name: Access.for_user(user, sub) for name, user in users.items()}
