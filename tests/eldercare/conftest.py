"""An elderly-care neighbourhood: the people tests' two quarters (the first with a residents'
committee), two elders, a home-care provider with a caregiver, a second provider with its own
caregiver, and a clock the tests set (Shanghai time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.people.models import Person
from tests.factories import OrganisationFactory
from tests.people.helpers import Neighbourhood, build_neighbourhood

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def now(monkeypatch):
    """now('2026-03-02 10:00') moves the clock there."""
    state = {"at": local("2026-03-01 10:00")}
    monkeypatch.setattr(clock, "now", lambda: state["at"])

    def set_now(text: str) -> dt.datetime:
        state["at"] = local(text)
        return state["at"]

    return set_now


@dataclass
class Care:
    hood: Neighbourhood
    elder: Person  # lives in the committee's quarter
    elsewhere: Person  # lives in the other quarter
    provider: Organisation
    other_provider: Organisation
    access: dict[str, Access]


@pytest.fixture
def care(now, subdistrict, make_user) -> Care:
    hood = build_neighbourhood(subdistrict)
    provider = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.PROVIDER, name="Home care Ltd"
    )
    other = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.PROVIDER, name="Other care Ltd"
    )
    users = {
        "admin": make_user(Role.SUBDISTRICT_ADMIN, subdistrict),
        "committee": make_user(Role.HANDLER, subdistrict, organisation=hood.committee),
        "grid": make_user(Role.GRID_WORKER, subdistrict, grid=hood.grids[0]),
        "caregiver": make_user(Role.CAREGIVER, subdistrict, organisation=provider),
        "other_caregiver": make_user(Role.CAREGIVER, subdistrict, organisation=other),
    }
    with scope(subdistrict=subdistrict):
        yield Care(
            hood,
            hood.persons[0],
            hood.persons[1],
            provider,
            other,
            {name: Access.for_user(user, subdistrict) for name, user in users.items()},
        )
