"""An events world: the service centre, an enterprise with two members, a resident, window
staff, and ``make_event`` for events relative to now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django_scopes import scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation, User
from linli.core.roles import Role
from linli.frontoffice.events.models import Audience, Event, Kind
from linli.registry.models import Enterprise
from tests.factories import EnterpriseFactory, OrganisationFactory


@dataclass
class Centre:
    subdistrict: object
    place: Organisation
    enterprise: Enterprise
    other_enterprise: Enterprise
    staff: User
    member: User
    colleague: User
    resident: User
    outsider: User  # a member of the other enterprise

    def access(self, user: User) -> Access:
        return Access.for_user(user, self.subdistrict)  # type: ignore[arg-type]


@pytest.fixture
def centre(subdistrict, make_user, in_scope) -> Centre:
    with scopes_disabled():
        place = OrganisationFactory(
            subdistrict=subdistrict, kind=Organisation.Kind.SERVICE_CENTRE, name="Service Centre"
        )
        enterprise = EnterpriseFactory(subdistrict=subdistrict, name="Acme Ltd")
        other = EnterpriseFactory(subdistrict=subdistrict, name="Other Ltd")
    em = Role.ENTERPRISE_MEMBER
    return Centre(
        subdistrict=subdistrict,
        place=place,
        enterprise=enterprise,
        other_enterprise=other,
        staff=make_user(Role.WINDOW_STAFF, subdistrict, username="window"),
        member=make_user(em, subdistrict, username="member", enterprise=enterprise),
        colleague=make_user(em, subdistrict, username="colleague", enterprise=enterprise),
        resident=make_user(Role.RESIDENT, subdistrict, username="resident"),
        outsider=make_user(em, subdistrict, username="outsider", enterprise=other),
    )


@pytest.fixture
def make_event(centre):
    def make(
        *,
        capacity: int = 2,
        starts_in: dt.timedelta = dt.timedelta(days=3),
        hours: float = 2,
        audience: str = Audience.ENTERPRISES,
        **fields,
    ) -> Event:
        now = clock.now()
        start = now + starts_in
        values = {
            "subdistrict": centre.subdistrict,
            "kind": Kind.TRAINING,
            "title": "Tax filing training",
            "place": centre.place,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=hours),
            "capacity": capacity,
            "registration_opens_at": now - dt.timedelta(days=7),
            "registration_closes_at": min(start, now + dt.timedelta(days=30)),
            "audience": audience,
        }
        values.update(fields)
        with scopes_disabled():
            return Event.objects.create(**values)

    return make
