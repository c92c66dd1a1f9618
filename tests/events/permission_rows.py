"""Rows of the permission matrix for the event pages and API (see tests/core/matrix.py).

Who may do what comes from ``linli/frontoffice/events/rules.py``: everyone signed in sees the
events open to them (a resident: the public ones), anyone registers for a public event;
a registration is its registrant's: they accept, rate and cancel it; organisers (window staff
and administrators) run events and the door, and may cancel anyone's registration; leaders
also read attendance and statistics, so they see a registration but may not cancel it (403);
everybody else gets 404. B's administrator organises in B and gets 404 for every event and
registration of A.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from linli.core import clock
from linli.core.models import Organisation
from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from linli.frontoffice.events.models import Audience, Event, Kind, Registration, State
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World

EM, BM, RESIDENT = Role.ENTERPRISE_MEMBER, Role.BUILDING_MANAGER, Role.RESIDENT
ORGANISERS = ADMINS | {Role.WINDOW_STAFF}
READERS = ORGANISERS | {Role.LEADER}
ENTERPRISE_SIDE = STAFF | {EM, BM}


def _event(world: World, subdistrict: Any, tag: str, **fields: Any) -> Event:
    now = clock.now()
    place = Organisation.objects.create(
        subdistrict=subdistrict,
        kind=Organisation.Kind.SERVICE_CENTRE,
        code=f"ESC-{tag}",
        name=f"Service centre {tag}",
    )
    values: dict[str, Any] = {
        "subdistrict": subdistrict,
        "kind": Kind.TRAINING,
        "title": f"Training {tag}",
        "place": place,
        "starts_at": now + dt.timedelta(days=3),
        "ends_at": now + dt.timedelta(days=3, hours=2),
        "capacity": 30,
        "registration_opens_at": now - dt.timedelta(days=1),
        "registration_closes_at": now + dt.timedelta(days=2),
        "audience": Audience.PUBLIC,
    }
    return Event.objects.create(**(values | fields))


def populate(world: World) -> None:
    a = world.a.subdistrict
    now = clock.now()
    public = _event(world, a, "A1")
    closed = _event(world, a, "A2", audience=Audience.ENTERPRISES)
    today = _event(
        world,
        a,
        "A3",
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
        registration_opens_at=now - dt.timedelta(days=2),
        registration_closes_at=now - dt.timedelta(hours=1),
    )
    mine = Registration.objects.create(
        subdistrict=a,
        event=public,
        user=world.users[RESIDENT],
        state=State.CONFIRMED,
        sequence=1,
        registered_at=now,
    )
    public.last_sequence = 1
    public.save(update_fields=["last_sequence"])
    door = Registration.objects.create(
        subdistrict=a,
        event=today,
        user=world.users[RESIDENT],
        state=State.CONFIRMED,
        sequence=1,
        registered_at=now - dt.timedelta(days=1),
    )
    _event(world, world.b.subdistrict, "B1")
    # For the events list: one that is over, and one called off (both enterprise events).
    _event(
        world,
        a,
        "A4",
        audience=Audience.ENTERPRISES,
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=3) + dt.timedelta(hours=2),
        registration_opens_at=now - dt.timedelta(days=9),
        registration_closes_at=now - dt.timedelta(days=4),
    )
    _event(world, a, "A5", kind=Kind.LECTURE, cancelled_at=now)
    world.extra["events"] = {
        "place": public.place_id,
        "public": public.pk,
        "enterprise": closed.pk,
        "today": today.pk,
        "mine": mine.pk,
        "code": door.code,
    }


def event_url(name: str, which: str = "public"):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["events"][which]})

    return url


def api_event_url(name: str, which: str = "public"):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"event_id": world.extra["events"][which]})

    return url


def registration_url(name: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["events"]["mine"]})

    return url


def api_registration_url(name: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"registration_id": world.extra["events"]["mine"]})

    return url


def page(allowed, ok: int = 200, *, other: int = 200) -> dict[str, int]:
    return statuses(allowed, ok, other=other)


def own(ok: int) -> dict[str, int]:
    """The resident's own registration: nobody else even sees it."""
    return statuses({RESIDENT}, ok, denied=404, other=404)


def own_api(ok: int) -> dict[str, int]:
    return statuses({RESIDENT}, ok, denied=404, anonymous=401, other=404)


def cancellable(ok: int, **kwargs: int) -> dict[str, int]:
    """The registrant and organisers cancel; a leader sees the registration but may not."""
    table = statuses(READERS | {RESIDENT}, ok, denied=404, other=404, **kwargs)
    return table | {Role.LEADER: 403}


ENDPOINTS: list[Endpoint] = [
    Endpoint("events:list", "GET", fixed("events:list"), page(EVERYONE)),
    Endpoint(
        "events:list",
        "GET",
        lambda w, who: reverse("events:list") + "?view=calendar&month=2026-11&kind=training",
        page(EVERYONE),
        kind="calendar",
    ),
    Endpoint("events:mine", "GET", fixed("events:mine"), page(EVERYONE)),
    Endpoint("events:detail", "GET", event_url("events:detail"), page(EVERYONE, other=404)),
    Endpoint(
        "events:detail",
        "GET",
        event_url("events:detail", "enterprise"),
        statuses(ENTERPRISE_SIDE, denied=404, other=404),
        kind="enterprise",
    ),
    # Anyone may register for a public event (the resident is told they already are).
    Endpoint(
        "events:register",
        "POST",
        event_url("events:register"),
        page(EVERYONE, 302, other=404),
    ),
    Endpoint("events:ics", "GET", event_url("events:ics"), page(EVERYONE, other=404)),
    Endpoint("events:cancel", "POST", registration_url("events:cancel"), cancellable(302)),
    Endpoint("events:export", "GET", fixed("events:export"), page(EVERYONE)),
    # Not an offer: the resident is told so on the event page.
    Endpoint("events:accept", "POST", registration_url("events:accept"), own(302)),
    Endpoint(
        "events:rate",
        "POST",
        registration_url("events:rate"),
        own(302),
        data=lambda w, who: {"rating": "5"},
    ),
    Endpoint("events:manage", "GET", fixed("events:manage"), page(READERS)),
    Endpoint("events:create", "GET", fixed("events:create"), page(ORGANISERS)),
    # An empty form comes back with its errors.
    Endpoint(
        "events:create",
        "POST",
        fixed("events:create"),
        page(ORGANISERS),
        kind="submit",
        data=lambda w, who: {},
    ),
    Endpoint("events:edit", "GET", event_url("events:edit"), page(ORGANISERS, other=404)),
    Endpoint(
        "events:edit",
        "POST",
        event_url("events:edit"),
        page(ORGANISERS, other=404),
        kind="submit",
        data=lambda w, who: {},
    ),
    Endpoint(
        "events:cancel_event",
        "POST",
        event_url("events:cancel_event"),
        page(ORGANISERS, 302, other=404),
    ),
    Endpoint("events:attendance", "GET", event_url("events:attendance"), page(READERS, other=404)),
    # Not waiting for approval: the organiser is told so.
    Endpoint(
        "events:decide",
        "POST",
        registration_url("events:decide"),
        page(ORGANISERS, 302, other=404),
        data=lambda w, who: {"approve": "1"},
    ),
    Endpoint(
        "events:check_in",
        "GET",
        event_url("events:check_in", "today"),
        page(ORGANISERS, other=404),
    ),
    Endpoint(
        "events:check_in",
        "POST",
        event_url("events:check_in", "today"),
        page(ORGANISERS, other=404),
        kind="scan",
        data=lambda w, who: {"code": w.extra["events"]["code"]},
    ),
    Endpoint(
        "events:scan",
        "GET",
        lambda w, who: reverse("events:scan", kwargs={"code": w.extra["events"]["code"]}),
        page(ORGANISERS, 302, other=404),
    ),
    Endpoint("events:statistics", "GET", fixed("events:statistics"), page(READERS)),
    Endpoint(
        "events:statistics_xlsx",
        "GET",
        lambda w, who: reverse("events:statistics_xlsx") + "?start=2026-01-01&end=2026-12-31",
        page(READERS),
    ),
    Endpoint("api:list_events", "GET", fixed("api:list_events"), statuses(anonymous=401)),
    Endpoint(
        "api:my_event_registrations",
        "GET",
        fixed("api:my_event_registrations"),
        statuses(anonymous=401),
    ),
    Endpoint(
        "api:get_event",
        "GET",
        api_event_url("api:get_event"),
        statuses(anonymous=401, other=404),
    ),
    Endpoint(
        "api:register_for_event",
        "POST",
        api_event_url("api:register_for_event"),
        {**statuses(EVERYONE, 201, anonymous=401, other=404), RESIDENT: 400},
        data=lambda w, who: {},
        json=True,
    ),
    Endpoint(
        "api:cancel_event_registration",
        "POST",
        api_registration_url("api:cancel_event_registration"),
        cancellable(200, anonymous=401),
        json=True,
    ),
    Endpoint(
        "api:accept_event_offer",
        "POST",
        api_registration_url("api:accept_event_offer"),
        own_api(400),
        json=True,
    ),
    Endpoint(
        "api:check_in_to_event",
        "POST",
        api_event_url("api:check_in_to_event", "today"),
        statuses(ORGANISERS, anonymous=401, other=404),
        data=lambda w, who: {"code": w.extra["events"]["code"]},
        json=True,
    ),
    Endpoint(
        "api:get_event_statistics",
        "GET",
        api_event_url("api:get_event_statistics"),
        statuses(READERS, anonymous=401, other=404),
    ),
]
