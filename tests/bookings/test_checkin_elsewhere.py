"""Check-in codes work in every sub-district the person is a member of, not only the one open in
their session; someone who is no member of the booking's sub-district still finds nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.models import AuditEntry, Subdistrict, User
from linli.core.roles import Role
from linli.frontoffice.bookings import services
from linli.frontoffice.bookings.models import Booking, Resource, State
from tests.bookings.conftest import ALWAYS_OPEN
from tests.factories import EnterpriseFactory, MembershipFactory, OrganisationFactory, UserFactory


@dataclass
class Elsewhere:
    """A room of the other sub-district, booked for about now by its enterprise's member, who is
    also a member of the centre's sub-district (the one their session opens first)."""

    subdistrict: Subdistrict
    room: Resource
    booking: Booking
    person: User


@pytest.fixture
def elsewhere(centre, other_subdistrict) -> Elsewhere:
    person = UserFactory()
    MembershipFactory(
        user=person,
        subdistrict=centre.subdistrict,
        role=Role.ENTERPRISE_MEMBER,
        enterprise=centre.acme,
    )
    with scope(subdistrict=other_subdistrict):
        place = OrganisationFactory(
            subdistrict=other_subdistrict, kind="service_centre", name="East centre"
        )
        firm = EnterpriseFactory(subdistrict=other_subdistrict, name="Gamma Ltd")
        MembershipFactory(
            user=person, subdistrict=other_subdistrict, role=Role.ENTERPRISE_MEMBER, enterprise=firm
        )
        room = Resource.objects.create(
            subdistrict=other_subdistrict,
            kind="meeting_room",
            code="E1",
            name="East room",
            place=place,
            opening_hours=ALWAYS_OPEN,
            open_on_non_working_days=True,
            min_notice_minutes=0,
        )
        start = clock.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=5)
        booking = services.request_booking(
            room,
            actor=Access.for_user(person, other_subdistrict),
            enterprise=firm,
            start=start,
            end=start + dt.timedelta(hours=1),
        )
    assert booking.state == State.CONFIRMED
    return Elsewhere(other_subdistrict, room, booking, person)


def opened(page) -> str:
    """The sub-district the page says the person is acting in."""
    found = re.search(r'<option value="(\d+)" selected>', page.content.decode())
    return found.group(1) if found else ""


def state_of(booking: Booking) -> Booking:
    with scopes_disabled():
        return Booking.objects.get(pk=booking.pk)


def check_ins_recorded(booking: Booking) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="bookings.booking.check_in",
            object_type="bookings.booking",
            object_id=str(booking.pk),
        )
    )


def test_the_booking_code_of_the_other_subdistrict_checks_the_member_in(
    centre, elsewhere, client_for
):
    client = client_for(elsewhere.person)
    url = reverse("bookings:checkin_booking", kwargs={"token": elsewhere.booking.checkin_token})

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "East room" in html and 'id="checkin-submit"' in html
    assert opened(page) == str(elsewhere.subdistrict.pk)

    done = client.post(url, follow=True)
    assert done.status_code == 200
    assert "Checked in. Welcome!" in done.content.decode()
    assert 'data-state="checked_in"' in done.content.decode()
    checked = state_of(elsewhere.booking)
    assert checked.state == State.CHECKED_IN and checked.checked_in_at is not None
    [entry] = check_ins_recorded(elsewhere.booking)
    assert entry.actor == elsewhere.person
    assert entry.subdistrict_id == elsewhere.subdistrict.pk


def test_the_door_code_of_the_other_subdistrict_checks_the_member_in(centre, elsewhere, client_for):
    client = client_for(elsewhere.person)
    url = reverse("bookings:checkin_door", kwargs={"token": elsewhere.room.door_token})

    page = client.get(url)
    assert page.status_code == 200
    assert 'id="checkin-submit"' in page.content.decode()

    done = client.post(url)
    detail = reverse("bookings:detail", kwargs={"pk": elsewhere.booking.pk})
    assert done.status_code == 302 and done["Location"] == detail
    assert state_of(elsewhere.booking).state == State.CHECKED_IN
    assert len(check_ins_recorded(elsewhere.booking)) == 1
    # The booking's sub-district is now the open one, so its page is there to land on.
    landed = client.get(detail)
    assert landed.status_code == 200
    assert opened(landed) == str(elsewhere.subdistrict.pk)


@pytest.mark.parametrize("code", ["checkin_booking", "checkin_door"])
def test_someone_who_is_no_member_there_finds_nothing(centre, elsewhere, client_for, code):
    outsider = client_for(centre.member)  # of the centre's sub-district only
    token = (
        elsewhere.booking.checkin_token if code == "checkin_booking" else elsewhere.room.door_token
    )
    url = reverse(f"bookings:{code}", kwargs={"token": token})

    assert outsider.get(url).status_code == 404
    assert outsider.post(url).status_code == 404
    assert state_of(elsewhere.booking).state == State.CONFIRMED
    assert check_ins_recorded(elsewhere.booking) == []
