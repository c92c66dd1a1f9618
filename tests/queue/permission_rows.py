"""Rows of the permission matrix for the queue pages and API (see tests/core/matrix.py).

Who uses what: the kiosk (also its appointment check-in), the calling screen and a ticket's
link are public (the hall's device key or the ticket's secret is in the URL), for everyone,
signed in or not, from any sub-district. The counter console and desk issuing are for window
staff and administrators; A's window staff works A's windows (assigned to both). Statistics:
administrators, leaders and window staff. Device keys: administrators. B's administrator gets
404 for A's counters, tickets and halls.
"""

from __future__ import annotations

from django.urls import reverse
from django_scopes import scope

from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import ADMINS, Role
from linli.frontoffice.queue import services
from linli.frontoffice.queue.models import Counter, CounterService, Hall, Service
from tests.core.matrix import Endpoint, everyone, fixed, statuses
from tests.core.world import World
from tests.factories import OrganisationFactory

DESK = ADMINS | {Role.WINDOW_STAFF}
STATISTICS = ADMINS | {Role.LEADER, Role.WINDOW_STAFF}


def _hall(world: World, place, clerk) -> dict:
    sd = place.subdistrict
    centre = OrganisationFactory(
        subdistrict=sd, kind=Organisation.Kind.SERVICE_CENTRE, name="Service centre"
    )
    hall = Hall.objects.create(subdistrict=sd, organisation=centre, name="Hall")
    service = Service.objects.create(subdistrict=sd, hall=hall, prefix="A", name="Registration")
    other = Service.objects.create(subdistrict=sd, hall=hall, prefix="B", name="Tax")
    counters = []
    for number in (1, 2):
        counter = Counter.objects.create(subdistrict=sd, hall=hall, number=number, staff=clerk)
        for s in (service, other):
            CounterService.objects.create(subdistrict=sd, counter=counter, service=s)
        counters.append(counter)
    with scope(subdistrict=sd):
        kiosk = Access.anonymous(sd)
        called, token = services.issue_ticket(service, actor=kiosk, device=hall)
        services.issue_ticket(service, actor=kiosk, device=hall)
        services.call_next(counters[0], actor=Access.system(sd))
    return {
        "hall": hall,
        "service": service,
        "counter": counters[0],
        "free_counter": counters[1],
        "ticket": called,
        "token": token,
    }


def populate(world: World) -> None:
    world.extra["queue"] = _hall(world, world.a, world.users[Role.WINDOW_STAFF])
    world.extra["queue_b"] = _hall(world, world.b, world.users["other"])


def q(world: World) -> dict:
    return world.extra["queue"]


def url(name: str, key: str, attribute: str = "pk"):
    def build(world: World, who: str) -> str:
        value = q(world)[key]
        return reverse(name, args=[getattr(value, attribute) if attribute else value])

    return build


def key_url(name: str):
    return lambda world, who: reverse(name, args=[q(world)["hall"].device_key])


def counter_act(world: World, who: str) -> str:
    return reverse("queue:counter_act", args=[q(world)["free_counter"].pk, "open"])


ENDPOINTS: list[Endpoint] = [
    Endpoint("queue:console", "GET", fixed("queue:console"), statuses(DESK)),
    Endpoint("queue:counter", "GET", url("queue:counter", "counter"), statuses(DESK, other=404)),
    Endpoint("queue:counter_act", "POST", counter_act, statuses(DESK, 302, other=404)),
    Endpoint("queue:kiosk", "GET", key_url("queue:kiosk"), everyone(200)),
    Endpoint(
        "queue:kiosk_issue",
        "POST",
        key_url("queue:kiosk_issue"),
        everyone(200),
        data=lambda w, who: {"service": q(w)["service"].pk, "priority": ""},
    ),
    Endpoint("queue:kiosk_appointment", "GET", key_url("queue:kiosk_appointment"), everyone(200)),
    # A code that is no booking: the kiosk says so on its page, for everyone alike.
    Endpoint(
        "queue:kiosk_appointment",
        "POST",
        key_url("queue:kiosk_appointment"),
        everyone(200),
        data=lambda w, who: {"code": "ABCD-EFGH"},
    ),
    Endpoint("queue:screen", "GET", key_url("queue:screen"), everyone(200)),
    Endpoint("queue:screen_board", "GET", key_url("queue:screen_board"), everyone(200)),
    Endpoint("queue:ticket", "GET", url("queue:ticket", "token", ""), everyone(200)),
    Endpoint("queue:ticket_status", "GET", url("queue:ticket_status", "token", ""), everyone(200)),
    Endpoint("queue:ticket_cancel", "POST", url("queue:ticket_cancel", "token", ""), everyone(200)),
    Endpoint("queue:stats", "GET", fixed("queue:stats"), statuses(STATISTICS)),
    Endpoint("queue:stats_xlsx", "GET", fixed("queue:stats_xlsx"), statuses(STATISTICS)),
    Endpoint("queue:devices", "GET", fixed("queue:devices"), statuses(DESK)),
    Endpoint(
        "queue:rotate_key",
        "POST",
        url("queue:rotate_key", "hall"),
        statuses(ADMINS, 302, other=404),
    ),
    Endpoint("api:list_queue_halls", "GET", fixed("api:list_queue_halls"), statuses(anonymous=401)),
    Endpoint(
        "api:issue_queue_ticket",
        "POST",
        fixed("api:issue_queue_ticket"),
        statuses(DESK, 201, anonymous=401, other=404),
        data=lambda w, who: {"service_id": q(w)["service"].pk},
        json=True,
    ),
    Endpoint(
        "api:get_queue_ticket",
        "GET",
        lambda w, who: reverse("api:get_queue_ticket", kwargs={"ticket_id": q(w)["ticket"].pk}),
        statuses(DESK, anonymous=401, other=404),
    ),
    Endpoint(
        "api:call_next_queue_ticket",
        "POST",
        lambda w, who: reverse(
            "api:call_next_queue_ticket", kwargs={"counter_id": q(w)["free_counter"].pk}
        ),
        statuses(DESK, anonymous=401, other=404),
        json=True,
    ),
    Endpoint(
        "api:act_on_queue_ticket",
        "POST",
        lambda w, who: reverse(
            "api:act_on_queue_ticket", kwargs={"ticket_id": q(w)["ticket"].pk, "action": "recall"}
        ),
        statuses(DESK, anonymous=401, other=404),
        json=True,
    ),
    Endpoint(
        "api:queue_statistics",
        "GET",
        fixed("api:queue_statistics"),
        statuses(STATISTICS, anonymous=401),
    ),
]
