"""A service hall with three services (A, B, C) and two windows: window 1 serves A and B,
window 2 serves B and C. A clock the tests set in Shanghai time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scope, scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation, Subdistrict, User
from linli.core.roles import Role
from linli.frontoffice.queue.models import Counter, CounterService, Hall, Service
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(text: str) -> dt.datetime:
    """'2026-11-27 10:00' in Shanghai, as an aware datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def now(monkeypatch):
    """now('2026-11-27 10:00') moves the queue's clock there; now(minutes=3) moves it on."""
    state = {"at": local("2026-11-27 09:00")}
    monkeypatch.setattr(clock, "now", lambda: state["at"])

    def set_now(
        text: str | dt.datetime = "", *, minutes: float = 0, seconds: float = 0
    ) -> dt.datetime:
        if isinstance(text, dt.datetime):
            state["at"] = text
        elif text:
            state["at"] = local(text)
        state["at"] += dt.timedelta(minutes=minutes, seconds=seconds)
        return state["at"]

    return set_now


@dataclass
class Hallway:
    subdistrict: Subdistrict
    centre: Organisation
    hall: Hall
    a: Service
    b: Service
    c: Service
    window1: Counter
    window2: Counter
    clerk: User  # window staff assigned to window 1
    colleague: User  # window staff of the centre, no window of their own
    admin: User
    handler: User

    def access(self, user: User | None = None) -> Access:
        return Access.for_user(user or self.clerk, self.subdistrict)


def build_hall(subdistrict: Subdistrict, *, tag: str = "") -> Hallway:
    with scopes_disabled():
        centre = OrganisationFactory(
            subdistrict=subdistrict,
            kind=Organisation.Kind.SERVICE_CENTRE,
            code=f"QYFW{tag}",
            name=f"Enterprise Service Centre {tag}".strip(),
        )
        hall = Hall.objects.create(subdistrict=subdistrict, organisation=centre, name="Main hall")
        a, b, c = (
            Service.objects.create(subdistrict=subdistrict, hall=hall, prefix=p, name=n, position=i)
            for i, (p, n) in enumerate(
                [("A", "Company registration"), ("B", "Tax"), ("C", "Social insurance")]
            )
        )
        clerk = UserFactory()
        colleague = UserFactory()
        admin = UserFactory()
        handler = UserFactory()
        MembershipFactory(user=clerk, subdistrict=subdistrict, role=Role.WINDOW_STAFF)
        MembershipFactory(
            user=colleague, subdistrict=subdistrict, role=Role.WINDOW_STAFF, organisation=centre
        )
        MembershipFactory(user=admin, subdistrict=subdistrict, role=Role.SUBDISTRICT_ADMIN)
        MembershipFactory(user=handler, subdistrict=subdistrict, role=Role.HANDLER)
        window1 = Counter.objects.create(subdistrict=subdistrict, hall=hall, number=1, staff=clerk)
        window2 = Counter.objects.create(subdistrict=subdistrict, hall=hall, number=2)
        for counter, served in ((window1, (a, b)), (window2, (b, c))):
            for service in served:
                CounterService.objects.create(
                    subdistrict=subdistrict, counter=counter, service=service
                )
    return Hallway(
        subdistrict, centre, hall, a, b, c, window1, window2, clerk, colleague, admin, handler
    )


@pytest.fixture
def hallway(subdistrict) -> Hallway:
    return build_hall(subdistrict)


@pytest.fixture
def in_hall(hallway):
    with scope(subdistrict=hallway.subdistrict):
        yield hallway
