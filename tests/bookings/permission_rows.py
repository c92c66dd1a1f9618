"""The bookings rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/frontoffice/bookings/rules.py``:

- Everyone signed in sees the grid, a resource, their own bookings and their feed links.
- Booking is for enterprise members (for their enterprise) and booking staff (window staff and
  administrators, for any enterprise).
- A booking is seen by booking staff, its booker and whoever sees its enterprise's own business
  (its members, its butler, the staff of the whole area); anyone else gets 404, as does another
  sub-district's administrator. Cancelling and checking in stay with the booker, members of its
  enterprise and booking staff: the other staff who see it are refused (403).
- The bookings list (page, API, Excel) is everyone's: each sees the bookings they may see.
- Approvals are for booking staff; resource administration (and the door poster) for admins.
- The calendar feeds need no sign-in: the secret in the URL is the credential.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from linli.core import clock
from linli.core.models import Organisation
from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from linli.frontoffice.bookings.models import Booking, FeedToken, Resource, State
from tests.core.matrix import Endpoint, everyone, fixed, statuses
from tests.core.world import World
from tests.factories import EnterpriseFactory

EM = Role.ENTERPRISE_MEMBER
BOOKING_STAFF = ADMINS | {Role.WINDOW_STAFF}
BOOKERS = BOOKING_STAFF | {EM}
ALWAYS_OPEN = {str(day): [["00:00", "23:59"]] for day in range(7)}


def _resource(subdistrict, code: str) -> Resource:
    place = Organisation.objects.create(
        subdistrict=subdistrict, kind="service_centre", code=f"ESC-{code}", name="Centre"
    )
    return Resource.objects.create(
        subdistrict=subdistrict,
        kind="meeting_room",
        code=code,
        name=f"Room {code}",
        place=place,
        opening_hours=ALWAYS_OPEN,
        open_on_non_working_days=True,
        min_notice_minutes=0,
        window_days=30,
    )


def _start() -> dt.datetime:
    """Two days ahead at 10:00 local time: inside every rule of the rooms above."""
    day = clock.today() + dt.timedelta(days=2)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def populate(world: World) -> None:
    """A room in A and in B; in A a confirmed booking of A's enterprise member and a request
    awaiting approval, a walk-in and a cancelled booking for the spare enterprise; a feed token
    for the member."""
    room = _resource(world.a.subdistrict, "MX-A")
    _resource(world.b.subdistrict, "MX-B")
    member = world.users[EM]
    start = _start()

    def booking(offset_hours: int, state: str, booker=member, enterprise="enterprise") -> Booking:
        begin = start + dt.timedelta(hours=offset_hours)
        return Booking.objects.create(
            subdistrict=world.a.subdistrict,
            resource=room,
            booker=booker,
            enterprise=world.a.records[enterprise] if enterprise == "enterprise" else enterprise,
            start=begin,
            end=begin + dt.timedelta(hours=1),
            blocked_start=begin,
            blocked_end=begin + dt.timedelta(hours=1),
            state=state,
        )

    world.extra["bookings"] = {
        "room": room,
        "booking": booking(0, State.CONFIRMED),
        "pending": booking(3, State.PENDING_APPROVAL),
        # For the bookings list: a walk-in booked at the window for nobody's enterprise (only
        # booking staff see it), and one for an enterprise of no butler's portfolio (not the
        # world's spare one: the matrix deletes that).
        "walk_in": booking(5, State.CONFIRMED, world.users[Role.WINDOW_STAFF], None),
        "other": booking(
            8,
            State.CANCELLED,
            world.users[Role.SUBDISTRICT_ADMIN],
            EnterpriseFactory(subdistrict=world.a.subdistrict, name="Walk-in Ltd"),
        ),
        "feed": FeedToken.objects.create(subdistrict=world.a.subdistrict, user=member),
    }


def url(name: str, which: str, attribute: str = "pk", kwarg: str = "pk"):
    def build(world: World, who: str) -> str:
        value = getattr(world.extra["bookings"][which], attribute)
        return reverse(name, kwargs={kwarg: value})

    return build


def api_booking_body(world: World, who: str) -> dict:
    start = _start() + dt.timedelta(hours=6)
    return {
        "resource_id": world.extra["bookings"]["room"].pk,
        "enterprise_id": world.a.records["enterprise"].pk,
        "start": start.isoformat(),
        "end": (start + dt.timedelta(minutes=30)).isoformat(),
    }


PUBLIC_FEED = everyone(200)
SEES_BOOKING = statuses(STAFF | {EM}, denied=404, other=404)
RUNS_BOOKING = statuses(BOOKERS, denied=404, other=404)


def runs_booking(ok: int, **kwargs: int) -> dict[str, int]:
    """The booker's side and booking staff may; other staff see the booking but are refused;
    the rest do not see it."""
    table = statuses(STAFF | {EM}, 403, denied=404, other=404, **kwargs)
    return table | {role: ok for role in BOOKERS}


ENDPOINTS: list[Endpoint] = [
    Endpoint("bookings:grid", "GET", fixed("bookings:grid"), statuses(EVERYONE)),
    Endpoint(
        "bookings:resource",
        "GET",
        url("bookings:resource", "room"),
        statuses(EVERYONE, other=404),
    ),
    Endpoint("bookings:book", "GET", url("bookings:book", "room"), statuses(BOOKERS, other=404)),
    # An empty form comes back with its errors.
    Endpoint(
        "bookings:book",
        "POST",
        url("bookings:book", "room"),
        statuses(BOOKERS, other=404),
        data=lambda w, who: {},
    ),
    Endpoint("bookings:door", "GET", url("bookings:door", "room"), statuses(ADMINS, other=404)),
    # The room has no photo: nothing to show anyone (tests/bookings/test_resources.py shows one).
    Endpoint(
        "bookings:resource_photo",
        "GET",
        url("bookings:resource_photo", "room"),
        statuses((), denied=404, other=404),
    ),
    Endpoint(
        "bookings:enterprise_search",
        "GET",
        lambda w, who: reverse("bookings:enterprise_search") + "?enterprise_q=a",
        statuses(BOOKING_STAFF),
    ),
    Endpoint("bookings:mine", "GET", fixed("bookings:mine"), statuses(EVERYONE)),
    Endpoint("bookings:detail", "GET", url("bookings:detail", "booking"), SEES_BOOKING),
    Endpoint("bookings:cancel", "POST", url("bookings:cancel", "booking"), runs_booking(302)),
    Endpoint("bookings:list", "GET", fixed("bookings:list"), statuses(EVERYONE)),
    Endpoint("bookings:export", "GET", fixed("bookings:export"), statuses(EVERYONE)),
    Endpoint(
        "bookings:approve",
        "POST",
        url("bookings:approve", "pending"),
        statuses(BOOKING_STAFF, 302, other=404),
    ),
    Endpoint(
        "bookings:reject",
        "POST",
        url("bookings:reject", "pending"),
        statuses(BOOKING_STAFF, 302, other=404),
        data=lambda w, who: {"reason": "Room closed for repairs"},
    ),
    Endpoint(
        "bookings:checkin_booking",
        "GET",
        url("bookings:checkin_booking", "booking", "checkin_token", "token"),
        RUNS_BOOKING,
    ),
    Endpoint(
        "bookings:checkin_door",
        "GET",
        url("bookings:checkin_door", "room", "door_token", "token"),
        statuses(EVERYONE, other=404),
    ),
    Endpoint("bookings:approvals", "GET", fixed("bookings:approvals"), statuses(BOOKING_STAFF)),
    Endpoint("bookings:manage", "GET", fixed("bookings:manage"), statuses(ADMINS)),
    Endpoint(
        "bookings:resource_create", "GET", fixed("bookings:resource_create"), statuses(ADMINS)
    ),
    Endpoint(
        "bookings:resource_create",
        "POST",
        fixed("bookings:resource_create"),
        statuses(ADMINS),
        data=lambda w, who: {},
    ),
    Endpoint(
        "bookings:resource_edit",
        "GET",
        url("bookings:resource_edit", "room"),
        statuses(ADMINS, other=404),
    ),
    Endpoint(
        "bookings:resource_edit",
        "POST",
        url("bookings:resource_edit", "room"),
        statuses(ADMINS, other=404),
        data=lambda w, who: {},
    ),
    Endpoint(
        "bookings:rotate_resource",
        "POST",
        url("bookings:rotate_resource", "room"),
        statuses(ADMINS, 302, other=404),
    ),
    Endpoint("bookings:feeds", "GET", fixed("bookings:feeds"), statuses(EVERYONE)),
    Endpoint("bookings:rotate_feed", "POST", fixed("bookings:rotate_feed"), statuses(ok=302)),
    Endpoint(
        "bookings:user_feed",
        "GET",
        url("bookings:user_feed", "feed", "token", "token"),
        PUBLIC_FEED,
    ),
    Endpoint(
        "bookings:resource_feed",
        "GET",
        url("bookings:resource_feed", "room", "feed_token", "token"),
        PUBLIC_FEED,
    ),
    Endpoint(
        "api:list_booking_resources",
        "GET",
        fixed("api:list_booking_resources"),
        statuses(EVERYONE, anonymous=401),
    ),
    Endpoint(
        "api:get_booking_day",
        "GET",
        url("api:get_booking_day", "room"),
        statuses(EVERYONE, anonymous=401, other=404),
    ),
    Endpoint(
        "api:create_booking",
        "POST",
        fixed("api:create_booking"),
        statuses(BOOKERS, 201, anonymous=401, other=404),
        data=api_booking_body,
        json=True,
    ),
    Endpoint(
        "api:list_my_bookings",
        "GET",
        fixed("api:list_my_bookings"),
        statuses(EVERYONE, anonymous=401),
    ),
    Endpoint(
        "api:list_bookings",
        "GET",
        fixed("api:list_bookings"),
        statuses(EVERYONE, anonymous=401),
    ),
    Endpoint(
        "api:cancel_booking",
        "POST",
        url("api:cancel_booking", "booking"),
        runs_booking(200, anonymous=401),
        json=True,
    ),
    # Two days early: refused (400) for those who may see it; 404 for the rest.
    Endpoint(
        "api:check_in_booking",
        "POST",
        url("api:check_in_booking", "booking"),
        runs_booking(400, anonymous=401),
        json=True,
    ),
]
