"""Rows of the permission matrix for the enterprise-service (retention) pages and API.

In the shared world the butler owns A's enterprise, the building manager manages its building
and the enterprise member belongs to it. Administrators and leaders manage portfolios, plans and
the watch list; the butler logs visits and sees the risk of their portfolio; other staff read
profiles; the building manager and the enterprise member read the profile (basic data / their
own); residents see nothing here. Another sub-district's administrator gets 404 for A's records.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.core.roles import ADMINS, STAFF, Role
from linli.enterprise.retention.models import Visit, VisitPlan
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import EnterpriseFactory

BM = Role.BUILDING_MANAGER
EM = Role.ENTERPRISE_MEMBER
BUTLER = Role.BUTLER
MANAGERS = ADMINS | {Role.LEADER}
READERS = STAFF | {BM, EM}


def populate(world: World) -> None:
    """A visit plan in A and B; a visit logged at A's enterprise (the butler's), at a second
    enterprise of A (nobody's portfolio, in no building) and at B's."""
    plans = {}
    for place in (world.a, world.b):
        plans[place.subdistrict.code] = VisitPlan.objects.create(
            subdistrict=place.subdistrict, name="Key enterprises quarterly", every_months=3
        )
    for enterprise, butler in (
        (world.a.records["enterprise"], world.users[BUTLER]),
        (
            EnterpriseFactory(subdistrict=world.a.subdistrict, name="Second Visited Ltd"),
            world.users[Role.SUBDISTRICT_ADMIN],
        ),
        (world.b.records["enterprise"], world.users["other"]),
    ):
        Visit.objects.create(
            subdistrict=enterprise.subdistrict,
            enterprise=enterprise,
            butler=butler,
            visited_on=dt.date(2025, 11, 3),
            people_met="Ms Zhao, CEO",
            topics="Expansion plans",
        )
    world.extra["retention"] = {"plan_a": plans[world.a.subdistrict.code]}


def enterprise_url(name: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.a.records["enterprise"].pk})

    return url


def visit_data(world: World, who: str) -> dict:
    return {
        "visited_on": dt.date(2026, 1, 5).isoformat(),
        "people_met": "Ms Wang, HR",
        "topics": "Hiring",
        "notes": "",
        "demands-TOTAL_FORMS": "0",
        "demands-INITIAL_FORMS": "0",
    }


def assign_data(world: World, who: str) -> dict:
    return {
        "butler": world.users[BUTLER].pk,
        "building": world.a.records["building"].pk,
        "industry": "",
    }


def with_(table: dict[str, int], **overrides: int) -> dict[str, int]:
    return {**table, **overrides}


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "retention:portfolio",
        "GET",
        fixed("retention:portfolio"),
        with_(statuses(STAFF | {BM}), **{EM: 302}),
    ),
    Endpoint(
        "retention:profile",
        "GET",
        enterprise_url("retention:profile"),
        statuses(READERS, other=404),
    ),
    Endpoint(
        "retention:visit",
        "GET",
        enterprise_url("retention:visit"),
        statuses(ADMINS | {BUTLER}, other=404),
    ),
    Endpoint(
        "retention:visit",
        "POST",
        enterprise_url("retention:visit"),
        statuses(ADMINS | {BUTLER}, 302, other=404),
        data=visit_data,
    ),
    Endpoint(
        "retention:note",
        "POST",
        enterprise_url("retention:note"),
        statuses(MANAGERS | {BUTLER}, 302, other=404),
        data=lambda world, who: {"text": "Prefers calls after 14:00."},
    ),
    Endpoint(
        "retention:group_service",
        "POST",
        enterprise_url("retention:group_service"),
        statuses(MANAGERS | {BUTLER}, 302, other=404),
        data=lambda world, who: {},
    ),
    Endpoint("retention:assign", "GET", fixed("retention:assign"), statuses(MANAGERS)),
    Endpoint(
        "retention:assign",
        "POST",
        fixed("retention:assign"),
        # B's administrator cannot name A's butler: the form comes back with the error.
        statuses(MANAGERS, 302, other=200),
        data=assign_data,
    ),
    Endpoint("retention:plans", "GET", fixed("retention:plans"), statuses(MANAGERS)),
    Endpoint(
        "retention:plans",
        "POST",
        fixed("retention:plans"),
        statuses(MANAGERS, 302),
        data=lambda world, who: {"name": "Everyone yearly", "tag": "", "every_months": "12"},
    ),
    Endpoint(
        "retention:plan_end",
        "POST",
        lambda world, who: reverse(
            "retention:plan_end", kwargs={"plan_pk": world.extra["retention"]["plan_a"].pk}
        ),
        statuses(MANAGERS, 302, other=404),
    ),
    Endpoint("retention:overdue", "GET", fixed("retention:overdue"), statuses(MANAGERS | {BUTLER})),
    Endpoint(
        "retention:portfolio_xlsx", "GET", fixed("retention:portfolio_xlsx"), statuses(STAFF | {BM})
    ),
    Endpoint("retention:visits", "GET", fixed("retention:visits"), statuses(STAFF)),
    Endpoint("retention:visits_xlsx", "GET", fixed("retention:visits_xlsx"), statuses(STAFF)),
    Endpoint(
        "api:retention_list_enterprises",
        "GET",
        fixed("api:retention_list_enterprises"),
        statuses(STAFF | {BM}, anonymous=401),
    ),
    Endpoint(
        "api:retention_list_visits",
        "GET",
        fixed("api:retention_list_visits"),
        statuses(STAFF, anonymous=401),
    ),
    Endpoint("retention:watchlist", "GET", fixed("retention:watchlist"), statuses(MANAGERS)),
    Endpoint(
        "retention:watchlist_xlsx", "GET", fixed("retention:watchlist_xlsx"), statuses(MANAGERS)
    ),
    Endpoint(
        "api:retention_risk",
        "GET",
        enterprise_url("api:retention_risk"),
        statuses(MANAGERS | {BUTLER}, anonymous=401, other=404),
    ),
    Endpoint(
        "api:retention_timeline",
        "GET",
        enterprise_url("api:retention_timeline"),
        statuses(STAFF | {EM}, anonymous=401, other=404),
    ),
    Endpoint(
        "api:retention_watchlist",
        "GET",
        fixed("api:retention_watchlist"),
        statuses(MANAGERS, anonymous=401),
    ),
    Endpoint(
        "api:retention_log_visit",
        "POST",
        enterprise_url("api:retention_log_visit"),
        statuses(ADMINS | {BUTLER}, 201, anonymous=401, other=404),
        data=lambda world, who: {
            "visited_on": "2026-01-05",
            "people_met": "Mr Li, CFO",
            "topics": "Tax refund",
        },
        json=True,
    ),
]
