"""Rows of the permission matrix for the Park Assistant (see tests/core/matrix.py).

Who may do what (linli/enterprise/park/rules.py): the building manager runs the portal of
Tower A, administrators may stand in for them; the enterprise member reads the notices
addressed to Enterprise A and files its requests. Other roles are refused (403); another
sub-district's administrator finds none of A's buildings, notices or requests (404).
"""

from __future__ import annotations

from django.urls import reverse

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.enterprise.park import services
from linli.enterprise.park.models import BuildingRequest
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import EnterpriseFactory

BM = Role.BUILDING_MANAGER
EM = Role.ENTERPRISE_MEMBER
MANAGERS = ADMINS | {BM}
PORTAL = MANAGERS | {EM}
CATEGORY = "PARK-MATRIX"


def populate(world: World) -> None:
    """In A: a notice from Tower A's manager to its enterprises, and a request of Enterprise A
    waiting for the manager; a case category to forward it under."""
    a = world.a
    Category.objects.create(
        subdistrict=a.subdistrict,
        code=CATEGORY,
        name="Park matrix",
        kind=Category.Kind.ENTERPRISE_APPEAL,
    )
    manager = Access.for_user(world.users[BM], a.subdistrict)
    member = Access.for_user(world.users[EM], a.subdistrict)
    notice = services.publish_notice(
        a.records["building"], actor=manager, title="Water off", body="Friday 9–12."
    )
    # A neighbour in Tower A and a notice to it alone: the manager sees both notices, the
    # member of Enterprise A only the first; a request the neighbour's (absent) member filed.
    neighbour = EnterpriseFactory(
        subdistrict=a.subdistrict, building=a.records["building"], name="Neighbour Park Ltd"
    )
    services.publish_notice(
        a.records["building"],
        actor=manager,
        title="Meter reading",
        body="Tuesday.",
        enterprise_ids=[neighbour.pk],
    )
    BuildingRequest.objects.create(
        subdistrict=a.subdistrict,
        building=a.records["building"],
        enterprise=neighbour,
        title="Parking card",
        description="Two more cards",
        status=BuildingRequest.Status.DECLINED,
        reply="None left",
    )
    request = services.file_request(
        a.records["enterprise"], actor=member, title="Lift stuck", description="Lift 3"
    )
    world.extra["park"] = {"notice": notice.pk, "request": request.pk}


def building_url(name: str):
    return lambda world, who: reverse(name, kwargs={"pk": world.a.records["building"].pk})


def extra_url(name: str, key: str):
    return lambda world, who: reverse(name, kwargs={"pk": world.extra["park"][key]})


def manager_page(ok: int = 200) -> dict[str, int]:
    return statuses(MANAGERS, ok, other=404)


def manager_api(ok: int = 200) -> dict[str, int]:
    return statuses(MANAGERS, ok, anonymous=401, other=404)


home = statuses(ADMINS | {EM})
home[BM] = 302  # straight to their one building

ENDPOINTS: list[Endpoint] = [
    Endpoint("park:home", "GET", fixed("park:home"), home),
    Endpoint("park:building", "GET", building_url("park:building"), manager_page()),
    Endpoint("park:notices", "GET", fixed("park:notices"), statuses(PORTAL)),
    Endpoint("park:notices_xlsx", "GET", fixed("park:notices_xlsx"), statuses(PORTAL)),
    Endpoint("park:request_list", "GET", fixed("park:request_list"), statuses(PORTAL)),
    Endpoint("park:notice_new", "GET", building_url("park:notice_new"), manager_page()),
    Endpoint(
        "park:notice_new",
        "POST",
        building_url("park:notice_new"),
        manager_page(302),
        kind="publish",
        data=lambda w, who: {"title": "Drill", "body": "15:00", "audience": "all"},
    ),
    Endpoint("park:enterprises", "GET", building_url("park:enterprises"), manager_page()),
    Endpoint("park:requests", "GET", building_url("park:requests"), manager_page()),
    Endpoint(
        "park:notice",
        "GET",
        extra_url("park:notice", "notice"),
        statuses(PORTAL, other=404),
    ),
    Endpoint(
        "park:notice_remind",
        "POST",
        extra_url("park:notice_remind", "notice"),
        manager_page(302),
    ),
    Endpoint("park:request_new", "GET", fixed("park:request_new"), statuses({EM}, other=403)),
    Endpoint(
        "park:request_new",
        "POST",
        fixed("park:request_new"),
        statuses({EM}, 302, other=403),
        kind="file",
        data=lambda w, who: {
            "enterprise": w.a.records["enterprise"].pk,
            "title": "Aircon",
            "description": "Too cold",
        },
    ),
    Endpoint(
        "park:request_forward",
        "GET",
        extra_url("park:request_forward", "request"),
        manager_page(),
    ),
    Endpoint(
        "park:request_forward",
        "POST",
        extra_url("park:request_forward", "request"),
        manager_page(302),
        kind="forward",
        data=lambda w, who: {"category": CATEGORY},
    ),
    Endpoint(
        "park:request_decline",
        "POST",
        extra_url("park:request_decline", "request"),
        manager_page(302),
        data=lambda w, who: {"reply": "Fixed already"},
    ),
    Endpoint("api:park_notices", "GET", fixed("api:park_notices"), statuses(PORTAL, anonymous=401)),
    Endpoint(
        "api:park_publish_notice",
        "POST",
        building_url("api:park_publish_notice"),
        manager_api(201),
        data=lambda w, who: {"title": "Drill", "body": "15:00"},
        json=True,
    ),
    Endpoint(
        "api:park_notice",
        "GET",
        extra_url("api:park_notice", "notice"),
        statuses(PORTAL, anonymous=401, other=404),
    ),
    Endpoint(
        "api:park_remind_unread",
        "POST",
        extra_url("api:park_remind_unread", "notice"),
        manager_api(),
        json=True,
    ),
    Endpoint(
        "api:park_requests", "GET", fixed("api:park_requests"), statuses(PORTAL, anonymous=401)
    ),
    Endpoint(
        "api:park_file_request",
        "POST",
        fixed("api:park_file_request"),
        statuses({EM}, 201, anonymous=401, other=403),
        data=lambda w, who: {
            "enterprise_id": w.a.records["enterprise"].pk,
            "title": "Aircon",
            "description": "Too cold",
        },
        json=True,
    ),
    Endpoint(
        "api:park_forward_request",
        "POST",
        extra_url("api:park_forward_request", "request"),
        manager_api(),
        data=lambda w, who: {"category": CATEGORY},
        json=True,
    ),
    Endpoint(
        "api:park_decline_request",
        "POST",
        extra_url("api:park_decline_request", "request"),
        manager_api(),
        data=lambda w, who: {"reply": "Fixed already"},
        json=True,
    ),
]
