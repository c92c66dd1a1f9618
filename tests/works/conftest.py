from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import Role
from linli.people.models import Person
from tests.factories import OrganisationFactory
from tests.people.helpers import build_neighbourhood


@pytest.fixture
def hood(subdistrict):
    """Two quarters in two grids, a dwelling in each (tests/people/helpers.py); the first
    quarter belongs to the committee."""
    return build_neighbourhood(subdistrict)


@pytest.fixture
def users(hood, make_user):
    sub = hood.subdistrict
    housing = OrganisationFactory(subdistrict=sub, name="房管办")
    found = {
        "admin": make_user(Role.SUBDISTRICT_ADMIN, sub),
        "department": make_user(Role.HANDLER, sub, organisation=housing),
        "committee": make_user(Role.HANDLER, sub, organisation=hood.committee),
        "grid1": make_user(Role.GRID_WORKER, sub, grid=hood.grids[0]),
        "grid2": make_user(Role.GRID_WORKER, sub, grid=hood.grids[1]),
        "window": make_user(Role.WINDOW_STAFF, sub),
        "resident": make_user(Role.RESIDENT, sub),
        "neighbour": make_user(Role.RESIDENT, sub),
    }
    # The resident is the registry's first person, living in the first dwelling.
    with scope(subdistrict=sub):
        Person.objects.filter(pk=hood.persons[0].pk).update(user=found["resident"])
    assert isinstance(found["resident"], get_user_model())
    return found


@pytest.fixture
def people(hood, users):
    """The users as ``Access`` objects, in scope."""
    sub = hood.subdistrict
    with scope(subdistrict=sub):
        yield {name: Access.for_user(user, sub) for name, user in users.items()}


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    """Monday 12 October 2026, noon in Shanghai (``tests.works.helpers.TODAY``)."""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 10, 12, 4, 0, tzinfo=dt.UTC))
