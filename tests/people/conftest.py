from __future__ import annotations

import pytest
from django_scopes import scope

from linli.core.access import Access
from linli.core.roles import Role
from tests.people.helpers import build_neighbourhood


@pytest.fixture
def hood(subdistrict):
    return build_neighbourhood(subdistrict)


@pytest.fixture
def people(hood, make_user):
    """Users of the neighbourhood by what they do, as ``Access`` objects (in scope)."""
    sub = hood.subdistrict
    users = {
        "admin": make_user(Role.SUBDISTRICT_ADMIN, sub),
        "committee": make_user(Role.HANDLER, sub, organisation=hood.committee),
        "grid1": make_user(Role.GRID_WORKER, sub, grid=hood.grids[0]),
        "grid2": make_user(Role.GRID_WORKER, sub, grid=hood.grids[1]),
        "handler": make_user(Role.HANDLER, sub),
        "leader": make_user(Role.LEADER, sub),
        "resident": make_user(Role.RESIDENT, sub),
        "enterprise": make_user(Role.ENTERPRISE_MEMBER, sub),
    }
    with scope(subdistrict=sub):
        yield {name: Access.for_user(user, sub) for name, user in users.items()}
