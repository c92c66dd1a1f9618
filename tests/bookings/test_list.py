"""The bookings list (page, API, Excel) shows each person what they may see; the actions a
booking offers are exactly those its verbs accept; over-long text is refused, never cut."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from linli.core import clock
from linli.core.roles import Role
from linli.frontoffice.bookings import services
from linli.frontoffice.bookings.models import Booking, State
from linli.registry.models import Enterprise
from tests.bookings.conftest import local
from tests.factories import MembershipFactory, UserFactory

KEY = re.compile(r'data-key="(\d+)"')


def make(centre, room, start: str, state: str, booker, enterprise, purpose="") -> Booking:
    begin = local(start)
    end = begin + dt.timedelta(hours=1)
    return Booking.objects.create(
        subdistrict=centre.subdistrict,
        resource=room,
        booker=booker,
        enterprise=enterprise,
        start=begin,
        end=end,
        blocked_start=begin,
        blocked_end=end,
        state=state,
        purpose=purpose,
    )


def person(centre, role: str, **links):
    user = UserFactory()
    MembershipFactory(user=user, subdistrict=centre.subdistrict, role=role, **links)
    return user


@pytest.fixture
def clock_at(monkeypatch):
    def at(moment: dt.datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    return at


@pytest.fixture
def booked(centre):
    room = centre.room(name="Room L")
    return {
        "acme": make(centre, room, "2026-12-01 10:00", State.CONFIRMED, centre.member, centre.acme),
        "beta": make(
            centre,
            room,
            "2026-12-02 10:00",
            State.PENDING_APPROVAL,
            centre.beta_member,
            centre.beta,
        ),
        "walk_in": make(centre, room, "2026-12-03 10:00", State.CONFIRMED, centre.staff, None),
    }


def seen(client, params=None) -> dict[str, set[int]]:
    params = params or {}
    page = client.get(reverse("bookings:list"), params)
    api = client.get(reverse("api:list_bookings"), {**params, "page_size": 200})
    export = client.get(reverse("bookings:export"), params)
    assert page.status_code == api.status_code == export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    column = rows[0].index("id")
    return {
        "page": {int(k) for k in KEY.findall(page.content.decode())},
        "api": {item["id"] for item in api.json()["items"]},
        "export": {int(row[column]) for row in rows[1:]},
    }


def test_each_person_lists_the_bookings_they_may_see(centre, booked, client_for):
    butler = person(centre, Role.BUTLER)
    Enterprise.objects.filter(pk=centre.acme.pk).update(butler=butler)
    leader = person(centre, Role.LEADER)
    ids = {name: b.pk for name, b in booked.items()}
    expected = {
        centre.staff: set(ids.values()),  # the centre's booking staff: every booking
        centre.member: {ids["acme"]},  # their enterprise's
        centre.beta_member: {ids["beta"]},
        butler: {ids["acme"]},  # the enterprises of their portfolio
        leader: {ids["acme"], ids["beta"]},  # every enterprise's, not a walk-in's own
        centre.resident: set(),
    }
    for user, wanted in expected.items():
        found = seen(client_for(user))
        assert found == {"page": wanted, "api": wanted, "export": wanted}, user


def test_the_same_filters_give_the_same_rows(centre, booked, client_for):
    client = client_for(centre.staff)
    cases = [
        ({"state": "pending_approval"}, "beta"),
        ({"since": "2026-12-02", "until": "2026-12-02"}, "beta"),
        ({"enterprise": centre.acme.pk}, "acme"),
        ({"q": "Beta"}, "beta"),
    ]
    for params, name in cases:
        wanted = {booked[name].pk}
        assert seen(client, params) == {"page": wanted, "api": wanted, "export": wanted}, params


def test_a_bad_filter_is_an_error_on_every_surface(centre, booked, client_for):
    client = client_for(centre.staff)
    bad = {"since": "2026-12-03", "until": "2026-12-01", "q": "x" * 101}
    api = client.get(reverse("api:list_bookings"), bad)
    assert api.status_code == 422
    assert {"until", "q"} <= set(api.json()["fields"])
    page = client.get(reverse("bookings:list"), bad)
    assert 'id="filter-errors"' in page.content.decode()
    assert client.get(reverse("bookings:export"), bad).status_code == 400
    assert client.get(reverse("api:list_bookings"), {"resource": 2**63}).status_code == 422


def test_the_export_writes_local_times_and_text_as_text(centre, client_for):
    room = centre.room(name="Room X")
    make(centre, room, "2026-12-01 10:00", State.CONFIRMED, centre.member, centre.acme, "=1+1")
    response = client_for(centre.member).get(reverse("bookings:export"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["Starts"].value == "2026-12-01 10:00"  # Shanghai time, as booked
    assert row["Purpose"].value == "=1+1" and row["Purpose"].data_type == "s"
    assert row["On behalf of"].value == "Acme Ltd"


# --- allowed actions ------------------------------------------------------------------------


VERBS = {
    "check_in": lambda b, actor, now: services.check_in(b, actor=actor, now=now),
    "cancel": lambda b, actor, now: services.cancel_booking(b, actor=actor, now=now),
    "approve": lambda b, actor, now: services.approve_booking(b, actor=actor),
    "reject": lambda b, actor, now: services.reject_booking(b, actor=actor, reason="Full"),
}


def succeeds(verb, booking, actor, now) -> bool:
    """The verb changed the booking (a second check-in is accepted but changes nothing)."""
    try:
        with transaction.atomic():
            done = VERBS[verb](Booking.objects.get(pk=booking.pk), actor, now)
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError):
        return False
    return done.state != booking.state


@pytest.mark.parametrize(
    ("state", "when"),
    [
        (State.CONFIRMED, "2026-12-01 09:55"),  # check-in is open, cancelling is too late
        (State.CONFIRMED, "2026-11-30 10:00"),  # the day before: cancel, not check in
        (State.PENDING_APPROVAL, "2026-11-30 10:00"),
        (State.REQUESTED, "2026-11-30 10:00"),
        (State.CHECKED_IN, "2026-12-01 10:10"),
        (State.CANCELLED, "2026-11-30 10:00"),
    ],
)
def test_the_actions_offered_are_the_ones_the_verbs_accept(centre, state, when):
    room = centre.room(name="Room A", cancel_cutoff_minutes=120)
    booking = make(centre, room, "2026-12-01 10:00", state, centre.member, centre.acme)
    leader = person(centre, Role.LEADER)
    now = local(when)
    offered_somewhere = set()
    for user in (centre.member, centre.beta_member, centre.staff, centre.admin, leader):
        actor = centre.access(user)
        offered = services.allowed_actions(booking, actor, now)
        offered_somewhere |= set(offered)
        for action in services.ACTIONS:
            assert succeeds(action, booking, actor, now) == (action in offered), (
                user,
                action,
                offered,
            )
    assert offered_somewhere or state in (State.CHECKED_IN, State.CANCELLED)


def test_the_detail_page_offers_no_cancel_after_the_cutoff(centre, client_for, clock_at):
    room = centre.room(name="Room C", cancel_cutoff_minutes=120)
    booking = make(centre, room, "2026-12-01 10:00", State.CONFIRMED, centre.member, centre.acme)
    url = reverse("bookings:detail", kwargs={"pk": booking.pk})
    clock_at(local("2026-11-30 10:00"))
    assert 'id="cancel-form"' in client_for(centre.member).get(url).content.decode()
    clock_at(local("2026-12-01 09:00"))  # within two hours of the start
    assert 'id="cancel-form"' not in client_for(centre.member).get(url).content.decode()
    staff_page = client_for(centre.staff).get(url).content.decode()
    assert 'id="cancel-form"' in staff_page  # booking staff cancel any time
    api = client_for(centre.member).get(reverse("api:list_bookings")).json()
    assert api["items"][0]["actions"] == []


# --- refused, never cut ---------------------------------------------------------------------


def test_an_overlong_reason_or_purpose_is_refused_and_nothing_changes(centre, client_for):
    room = centre.open_room(name="Room R", approval_required=True)
    booking = make(
        centre, room, "2026-12-01 10:00", State.PENDING_APPROVAL, centre.member, centre.acme
    )
    with pytest.raises(ValidationError) as refused:
        services.reject_booking(booking, actor=centre.access(centre.staff), reason="x" * 301)
    assert "reason" in refused.value.message_dict
    client_for(centre.staff).post(
        reverse("bookings:reject", kwargs={"pk": booking.pk}), {"reason": "y" * 301}
    )
    booking.refresh_from_db()
    assert booking.state == State.PENDING_APPROVAL and booking.reason == ""

    start = local("2026-12-05 10:00")
    response = client_for(centre.member).post(
        reverse("api:create_booking"),
        json.dumps(
            {
                "resource_id": room.pk,
                "start": start.isoformat(),
                "end": (start + dt.timedelta(minutes=30)).isoformat(),
                "purpose": "p" * 201,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "purpose" in response.json()["fields"]
    assert Booking.objects.count() == 1
