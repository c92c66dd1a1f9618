"""A sub-district on 2 March 2026 with a market-regulation office and a fire brigade, their
handlers, a leader, and catering establishments of every grade and kind."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.governance.foodsafety import services
from linli.governance.foodsafety.models import Kind
from tests.factories import EnterpriseFactory, OrganisationFactory

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Monday
# name → (kind, grade)
ESTABLISHMENTS = {
    "Noodle A": (Kind.RESTAURANT, "A"),
    "Bistro B": (Kind.RESTAURANT, "B"),
    "Canteen C": (Kind.CANTEEN, "C"),
    "Grill D": (Kind.RESTAURANT, "D"),
    "Elders' meals": (Kind.ELDERLY, "A"),
    "School lunches": (Kind.SCHOOL, "B"),
    "Central kitchen": (Kind.CENTRAL_KITCHEN, "C"),
}


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


@pytest.fixture
def food(subdistrict, make_user):
    market = OrganisationFactory(
        subdistrict=subdistrict,
        name="Market regulation",
        code="SCJG",
        kind=Organisation.Kind.AGENCY,
    )
    fire = OrganisationFactory(subdistrict=subdistrict, name="Fire brigade", code="XFZ")
    regulator = make_user(Role.HANDLER, subdistrict, username="scjg", organisation=market)
    firefighter = make_user(Role.HANDLER, subdistrict, username="xfz", organisation=fire)
    leader = make_user(Role.LEADER, subdistrict, username="leader")
    system = Access.system(subdistrict)
    found = {}
    with scope(subdistrict=subdistrict):
        for i, (name, (kind, grade)) in enumerate(ESTABLISHMENTS.items()):
            found[name] = services.register_establishment(
                system,
                enterprise=EnterpriseFactory(subdistrict=subdistrict, name=name),
                kind=kind,
                licence_number=f"JY2310106{i:08d}",
                licence_valid_until=dt.date(2028, 6, 30),
                grade=grade,
                graded_on=dt.date(2025, 11, 1),
            )
    return SimpleNamespace(
        market=market,
        fire=fire,
        regulator=regulator,
        firefighter=firefighter,
        leader=leader,
        establishments=found,
        access=Access.for_user(regulator, subdistrict),
    )
