"""What other apps call: sub-centre usage per building, resources at a place, and the
enterprise timeline."""

from __future__ import annotations

import datetime as dt

from linli.core.access import Access
from linli.frontoffice.bookings.models import Booking, State
from linli.frontoffice.bookings.queries import resources_at
from linli.frontoffice.bookings.usage import subcentre_usage
from linli.registry.timeline import enterprise_timeline
from tests.bookings.conftest import local
from tests.factories import BuildingFactory


def make(centre, room, start: str, state: str, hours: float = 1) -> Booking:
    begin = local(start)
    end = begin + dt.timedelta(hours=hours)
    return Booking.objects.create(
        subdistrict=centre.subdistrict,
        resource=room,
        booker=centre.member,
        enterprise=centre.acme,
        start=begin,
        end=end,
        blocked_start=begin,
        blocked_end=end,
        state=state,
    )


def test_subcentre_usage_per_building(centre):
    at_sub = centre.room(place=centre.subcentre, name="Sub room")
    at_centre = centre.room(name="Centre room")
    make(centre, at_sub, "2026-11-02 10:00", State.COMPLETED, 2)
    make(centre, at_sub, "2026-11-03 10:00", State.RELEASED_NO_SHOW)
    make(centre, at_sub, "2026-11-04 10:00", State.COMPLETED, 1.5)
    make(centre, at_sub, "2026-11-05 10:00", State.CANCELLED)  # not counted
    make(centre, at_sub, "2026-12-05 10:00", State.COMPLETED)  # outside the period
    make(centre, at_centre, "2026-11-02 10:00", State.COMPLETED)  # not at the sub-centre
    other = BuildingFactory(subdistrict=centre.subdistrict)  # no sub-centre
    usage = subcentre_usage(
        [centre.building.pk, other.pk], dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    assert usage[centre.building.pk] == {"bookings": 3, "hours": 4.5, "checked_in_rate": 0.6667}
    assert usage[other.pk] == {"bookings": 0, "hours": 0.0, "checked_in_rate": 0.0}


def test_resources_at_a_place(centre):
    sub_room = centre.room(place=centre.subcentre, name="Sub room")
    centre.room(name="Centre room")
    centre.room(place=centre.subcentre, name="Closed room", is_active=False)
    assert list(resources_at(centre.subcentre)) == [sub_room]


def test_timeline_shows_the_enterprise_bookings_to_its_members_and_staff(centre):
    room = centre.room(name="Room T")
    booking = make(centre, room, "2026-11-02 10:00", State.COMPLETED)
    entries = enterprise_timeline(centre.acme, centre.access(centre.member), kinds=["booking"])
    assert [e.at for e in entries] == [booking.start]
    assert "Room T" in entries[0].title and entries[0].kind == "booking"
    assert enterprise_timeline(centre.acme, centre.access(centre.staff), kinds=["booking"])
    assert not enterprise_timeline(
        centre.acme, centre.access(centre.beta_member), kinds=["booking"]
    )
    assert enterprise_timeline(centre.acme, Access.system(centre.subdistrict), kinds=["booking"])


def test_usage_figures_count_what_the_person_may_count(centre):
    at_sub = centre.room(place=centre.subcentre, name="Sub room")
    make(centre, at_sub, "2026-11-02 10:00", State.COMPLETED, 2)
    since, until = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    staff = subcentre_usage([centre.building.pk], since, until, access=centre.access(centre.staff))
    assert staff[centre.building.pk]["bookings"] == 1
    member = centre.access(centre.member)  # sees the booking itself, not the centre's figures
    assert subcentre_usage([centre.building.pk], since, until, access=member)[
        centre.building.pk
    ] == {"bookings": 0, "hours": 0.0, "checked_in_rate": 0.0}
