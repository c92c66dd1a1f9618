"""The events list (page, API, Excel) shows each person the events open to them, with the same
filters everywhere; seats and whether registration is open are one fact on every surface; the
actions a registration offers are exactly those its verbs accept; over-long text is refused."""

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
from linli.frontoffice.events import services
from linli.frontoffice.events.models import Audience, Registration, State
from linli.registry.models import Enterprise
from linli.registry.timeline import enterprise_timeline

pytestmark = pytest.mark.django_db
KEY = re.compile(r'data-key="(\d+)"')


def seen(client, params=None) -> dict[str, set[int]]:
    params = params or {}
    page = client.get(reverse("events:list"), params)
    api = client.get(reverse("api:list_events"), {**params, "page_size": 200})
    export = client.get(reverse("events:export"), params)
    assert page.status_code == api.status_code == export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True))
    column = rows[0].index("id")
    return {
        "page": {int(k) for k in KEY.findall(page.content.decode())},
        "api": {item["id"] for item in api.json()},
        "export": {int(row[column]) for row in rows[1:]},
    }


def test_each_person_lists_the_events_open_to_them(centre, make_event, client_for):
    public = make_event(audience=Audience.PUBLIC, title="Health talk")
    closed = make_event(title="Tax filing")
    over = make_event(starts_in=-dt.timedelta(days=2), title="Last week's talk")
    called_off = make_event(title="Called off", cancelled_at=clock.now())
    upcoming = {public.pk, closed.pk, called_off.pk}
    for user, wanted in (
        (centre.resident, {public.pk}),
        (centre.member, upcoming),
        (centre.staff, upcoming),
    ):
        assert seen(client_for(user)) == dict.fromkeys(("page", "api", "export"), wanted)
    everything = upcoming | {over.pk}
    found = seen(client_for(centre.member), {"upcoming": "false"})
    assert found == dict.fromkeys(("page", "api", "export"), everything)
    found = seen(client_for(centre.member), {"q": "called"})
    assert found == dict.fromkeys(("page", "api", "export"), {called_off.pk})
    page = client_for(centre.member).get(reverse("events:list")).content.decode()
    assert "Cancelled" in page  # called off, and still listed for those who registered


def test_a_bad_filter_is_an_error_on_every_surface(centre, client_for):
    client = client_for(centre.member)
    api = client.get(reverse("api:list_events"), {"kind": "party", "q": "x" * 101})
    assert api.status_code == 422 and {"kind", "q"} <= set(api.json()["fields"])
    assert (
        'id="filter-errors"'
        in client.get(reverse("events:list"), {"kind": "party"}).content.decode()
    )
    assert client.get(reverse("events:export"), {"kind": "party"}).status_code == 400


def test_seats_and_opening_are_the_same_fact_everywhere(centre, make_event, client_for):
    event = make_event(capacity=2, audience=Audience.PUBLIC)
    services.register(event, actor=centre.access(centre.resident))
    client = client_for(centre.member)
    (item,) = client.get(reverse("api:list_events")).json()
    assert (item["seats_taken"], item["seats_left"], item["registration_open"]) == (1, 1, True)
    assert client.get(reverse("api:get_event", args=[event.pk])).json()["seats_left"] == 1
    detail = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "1 of 2 free" in detail
    listed = client.get(reverse("events:list")).content.decode()
    assert "1 of 2 seats taken" in listed
    sheet = load_workbook(io.BytesIO(client.get(reverse("events:export")).content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (row["Seats taken"], row["Seats left"]) == (1, 1)
    assert row["Starts"] == f"{clock.local(event.starts_at):%Y-%m-%d %H:%M}"
    assert "Registered" not in header  # the figures are for those who read attendance
    staff_sheet = client_for(centre.staff).get(reverse("events:export")).content
    staff_header = [c.value for c in load_workbook(io.BytesIO(staff_sheet)).worksheets[0][1]]
    assert "Registered" in staff_header and "Waitlisted" in staff_header


# --- allowed actions ------------------------------------------------------------------------


VERBS = {
    "accept": lambda r, actor: services.accept_offer(r, actor=actor),
    "cancel": lambda r, actor: services.cancel_registration(r, actor=actor),
    "rate": lambda r, actor: services.rate_event(r, actor=actor, rating=4),
    "approve": lambda r, actor: services.decide_registration(r, actor=actor, approve=True),
    "reject": lambda r, actor: services.decide_registration(r, actor=actor, approve=False),
}


def succeeds(action: str, registration: Registration, actor) -> bool:
    try:
        with transaction.atomic():
            VERBS[action](Registration.objects.get(pk=registration.pk), actor)
            transaction.set_rollback(True)
    except (PermissionDenied, ValidationError):
        return False
    return True


@pytest.mark.parametrize(
    ("state", "past", "extra"),
    [
        (State.OFFERED, False, {"offer_expires_at": dt.timedelta(hours=5)}),
        (State.OFFERED, False, {"offer_expires_at": -dt.timedelta(hours=1)}),  # expired
        (State.CONFIRMED, False, {}),
        (State.WAITLISTED, False, {}),
        (State.PENDING_APPROVAL, False, {}),
        (State.CHECKED_IN, True, {}),
        (State.CHECKED_IN, True, {"rated_at": dt.timedelta()}),
        (State.CHECKED_IN, False, {}),  # not over yet: no rating
        (State.CANCELLED, False, {}),
    ],
)
def test_the_actions_offered_are_the_ones_the_verbs_accept(
    centre, make_event, make_user, state, past, extra
):
    if past:
        event = make_event(
            starts_in=-dt.timedelta(days=2),
            registration_opens_at=clock.now() - dt.timedelta(days=9),
            registration_closes_at=clock.now() - dt.timedelta(days=3),
        )
    else:
        event = make_event()
    fields = {name: clock.now() + delta for name, delta in extra.items()}
    registration = Registration.objects.create(
        subdistrict=centre.subdistrict,
        event=event,
        user=centre.member,
        enterprise=centre.enterprise,
        state=state,
        sequence=1,
        registered_at=clock.now(),
        **fields,
    )
    leader = make_user(Role.LEADER, centre.subdistrict, username="leader")
    offered_somewhere = set()
    for user in (centre.member, centre.colleague, centre.staff, leader, centre.resident):
        actor = centre.access(user)
        offered = services.allowed_actions(Registration.objects.get(pk=registration.pk), actor)
        offered_somewhere |= set(offered)
        for action in services.ACTIONS:
            assert succeeds(action, registration, actor) == (action in offered), (
                user,
                action,
                offered,
            )
    expected_nothing = (
        state == State.CANCELLED or "rated_at" in extra or (state == State.CHECKED_IN and not past)
    )
    assert bool(offered_somewhere) != expected_nothing


def test_the_api_lists_a_registrations_actions(centre, make_event, client_for):
    event = make_event(audience=Audience.PUBLIC)
    response = client_for(centre.resident).post(
        reverse("api:register_for_event", args=[event.pk]), "{}", content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["actions"] == ["cancel"]
    mine = client_for(centre.resident).get(reverse("api:my_event_registrations")).json()
    assert mine[0]["actions"] == ["cancel"] and mine[0]["event"] == event.pk


# --- who sees a registration ----------------------------------------------------------------


def test_a_registration_shows_on_its_enterprise_timeline_to_its_audience(
    centre, make_event, make_user
):
    event = make_event()
    services.register(event, actor=centre.access(centre.member), enterprise_id=centre.enterprise.pk)
    butler = make_user(Role.BUTLER, centre.subdistrict, username="butler")
    Enterprise.objects.filter(pk=centre.enterprise.pk).update(butler=butler)
    other_butler = make_user(Role.BUTLER, centre.subdistrict, username="other-butler")
    manager = make_user(Role.BUILDING_MANAGER, centre.subdistrict, username="manager")

    def shown(user) -> int:
        return len(enterprise_timeline(centre.enterprise, centre.access(user), kinds=["event"]))

    assert shown(centre.colleague) == shown(butler) == shown(centre.staff) == 1
    assert shown(other_butler) == shown(manager) == shown(centre.outsider) == 0
    own = Registration.objects.get()
    assert Registration.objects.visible_to(centre.access(centre.colleague)).get() == own
    assert not Registration.objects.visible_to(centre.access(centre.resident)).exists()


# --- refused, never cut ---------------------------------------------------------------------


def test_an_overlong_comment_or_code_is_refused(centre, make_event, client_for):
    event = make_event(
        starts_in=-dt.timedelta(days=2),
        registration_opens_at=clock.now() - dt.timedelta(days=9),
        registration_closes_at=clock.now() - dt.timedelta(days=3),
    )
    registration = Registration.objects.create(
        subdistrict=centre.subdistrict,
        event=event,
        user=centre.member,
        state=State.CHECKED_IN,
        sequence=1,
        registered_at=clock.now(),
    )
    with pytest.raises(ValidationError) as refused:
        services.rate_event(
            registration, actor=centre.access(centre.member), rating=5, comment="c" * 2001
        )
    assert "comment" in refused.value.message_dict
    page = client_for(centre.member).post(
        reverse("events:rate", args=[registration.pk]),
        {"rating": "5", "comment": "c" * 2001},
        follow=True,
    )
    assert "at most 2000 characters" in page.content.decode()
    registration.refresh_from_db()
    assert registration.rated_at is None and registration.comment == ""
    response = client_for(centre.staff).post(
        reverse("api:check_in_to_event", args=[event.pk]),
        json.dumps({"code": "k" * 301}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "code" in response.json()["fields"]
