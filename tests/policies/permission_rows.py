"""Rows of the permission matrix for the policy pages and API (see tests/core/matrix.py).

Who sees what: the library is everyone's; an enterprise's decisions are its members', its
butler's and other staff's; applying is for the enterprise's members and its butler; the list
of eligible enterprises is staff's; screening on demand is for administrators and leaders.
Another sub-district's administrator gets 404 for A's enterprise and A's data nowhere else.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.urls import reverse

from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import EnterpriseFactory
from tests.policies.support import load, screen, three_policies

EM = Role.ENTERPRISE_MEMBER
BUTLER = Role.BUTLER
SCREENERS = ADMINS | {Role.LEADER}
POLICY = "test-eligible"


def populate(world: World) -> None:
    """The three test policies, screened in A and B (A's enterprise: eligible for one, maybe
    for one, one condition short of the third). A second high-tech enterprise of A, in A's
    building but nobody's portfolio, is eligible too: the butler does not see it."""
    EnterpriseFactory(
        subdistrict=world.a.subdistrict,
        name="Eligible Second Ltd",
        building=world.a.records["building"],
        tags=["high_tech"],
    )
    with tempfile.TemporaryDirectory() as directory:
        load(three_policies(Path(directory)))
    screen(world.a.subdistrict)
    screen(world.b.subdistrict)


def enterprise_url(name: str, **extra: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.a.records["enterprise"].pk, **extra})

    return url


ENDPOINTS: list[Endpoint] = [
    Endpoint("policies:library", "GET", fixed("policies:library"), statuses(EVERYONE)),
    Endpoint(
        "policies:detail", "GET", fixed("policies:detail", policy_id=POLICY), statuses(EVERYONE)
    ),
    Endpoint("policies:export", "GET", fixed("policies:export", policy_id=POLICY), statuses(STAFF)),
    Endpoint(
        "policies:enterprise",
        "GET",
        enterprise_url("policies:enterprise"),
        statuses(STAFF | {EM}, other=404),
    ),
    Endpoint(
        "policies:apply",
        "POST",
        enterprise_url("policies:apply", policy_id=POLICY),
        statuses({EM, BUTLER}, 302, other=404),
        data=lambda world, who: {"confirm": "1"},
    ),
    Endpoint("policies:mine", "GET", fixed("policies:mine"), statuses({EM}, 302, other=403)),
    Endpoint(
        "policies:unclaimed", "GET", fixed("policies:unclaimed"), statuses(SCREENERS | {BUTLER})
    ),
    Endpoint(
        "policies:unclaimed_export",
        "GET",
        fixed("policies:unclaimed_export"),
        statuses(SCREENERS | {BUTLER}),
    ),
    Endpoint(
        "api:list_unclaimed_benefits",
        "GET",
        fixed("api:list_unclaimed_benefits"),
        statuses(SCREENERS | {BUTLER}, anonymous=401),
    ),
    Endpoint("policies:screen", "POST", fixed("policies:screen"), statuses(SCREENERS, 302)),
    Endpoint("api:list_policies", "GET", fixed("api:list_policies"), statuses(anonymous=401)),
    Endpoint(
        "api:get_policy",
        "GET",
        fixed("api:get_policy", policy_id=POLICY),
        statuses(anonymous=401),
    ),
    Endpoint(
        "api:list_policy_eligible",
        "GET",
        fixed("api:list_policy_eligible", policy_id=POLICY),
        statuses(STAFF, anonymous=401),
    ),
    Endpoint(
        "api:get_enterprise_policies",
        "GET",
        enterprise_url("api:get_enterprise_policies"),
        statuses(STAFF | {EM}, anonymous=401, other=404),
    ),
    Endpoint(
        "api:apply_for_policy",
        "POST",
        enterprise_url("api:apply_for_policy"),
        statuses({EM, BUTLER}, 201, anonymous=401, other=404),
        data=lambda w, who: {"policy_id": POLICY},
        json=True,
    ),
    Endpoint(
        "api:list_screenings",
        "GET",
        fixed("api:list_screenings"),
        statuses(SCREENERS, anonymous=401),
    ),
    Endpoint(
        "api:trigger_screening",
        "POST",
        fixed("api:trigger_screening"),
        statuses(SCREENERS, 202, anonymous=401),
        json=True,
    ),
]
