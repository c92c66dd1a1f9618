"""A service centre with one sub-centre, rooms there, two enterprises with a member each,
window staff, and Shanghai-time helpers. Rule tests pass ``now`` explicitly; page tests use
a running clock set to 10:00 Shanghai today, with an always-open room."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation, Subdistrict, User
from linli.core.roles import Role
from linli.frontoffice.bookings.models import Resource
from linli.registry.models import Building, Enterprise
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALWAYS_OPEN = {str(day): [["00:00", "23:59"]] for day in range(7)}


def local(text: str) -> dt.datetime:
    """'2026-12-01 10:00' in Shanghai, as an aware datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def morning(monkeypatch) -> None:
    """Page tests book "in five minutes" on a running clock. Late in the Shanghai evening that
    would cross midnight, when the always-open room closes, so the clock runs from 10:00 today."""
    real = clock.now()
    shift = dt.datetime.combine(clock.today(), dt.time(10), SHANGHAI) - real
    moving = clock.now
    monkeypatch.setattr(clock, "now", lambda: moving() + shift)


@dataclass
class Centre:
    subdistrict: Subdistrict
    centre: Organisation
    subcentre: Organisation
    building: Building
    acme: Enterprise
    beta: Enterprise
    member: User  # of acme
    beta_member: User
    staff: User  # window staff
    admin: User
    resident: User

    def access(self, user: User) -> Access:
        return Access.for_user(user, self.subdistrict)

    def room(self, **fields) -> Resource:
        values = {
            "subdistrict": self.subdistrict,
            "kind": "meeting_room",
            "code": f"R{Resource.objects.count() + 1}",
            "name": "Meeting room 1",
            "place": self.centre,
            "min_notice_minutes": 60,
            "window_days": 30,
            "max_duration_minutes": 240,
            **fields,
        }
        return Resource.objects.create(**values)

    def open_room(self, **fields) -> Resource:
        """A room open around the clock every day, bookable at once: for tests on the clock."""
        values = {
            "opening_hours": ALWAYS_OPEN,
            "open_on_non_working_days": True,
            "min_notice_minutes": 0,
            "name": "Open room",
            **fields,
        }
        return self.room(**values)


@pytest.fixture
def centre(subdistrict, in_scope) -> Centre:
    with scopes_disabled():
        sd = subdistrict
        centre = OrganisationFactory(
            subdistrict=sd, kind="service_centre", code="ESC", name="Service centre"
        )
        sub = OrganisationFactory(
            subdistrict=sd, kind="subcentre", code="SUB1", name="Tower sub-centre", parent=centre
        )
        building = BuildingFactory(subdistrict=sd, name="Jade Tower", subcentre=sub)
        acme = EnterpriseFactory(subdistrict=sd, name="Acme Ltd", building=building)
        beta = EnterpriseFactory(subdistrict=sd, name="Beta Ltd", building=building)

        def person(role: str, **links) -> User:
            user = UserFactory()
            MembershipFactory(user=user, subdistrict=sd, role=role, **links)
            return user

        return Centre(
            subdistrict=sd,
            centre=centre,
            subcentre=sub,
            building=building,
            acme=acme,
            beta=beta,
            member=person(Role.ENTERPRISE_MEMBER, enterprise=acme),
            beta_member=person(Role.ENTERPRISE_MEMBER, enterprise=beta),
            staff=person(Role.WINDOW_STAFF),
            admin=person(Role.SUBDISTRICT_ADMIN),
            resident=person(Role.RESIDENT),
        )


@pytest.fixture
def soon():
    """soon(minutes) -> now + minutes, rounded down to the minute."""

    def at(minutes: float) -> dt.datetime:
        return clock.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=minutes)

    return at
