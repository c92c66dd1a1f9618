"""Rows of the permission matrix for the cockpit (see tests/core/matrix.py).

Leaders, administrators and butlers see every building's dashboard and the ranking; the
world's building manager sees their own building (A's building) and is sent there from the
ranking page; everyone else is refused. B's administrator gets 404 for A's building.
"""

from __future__ import annotations

from django.urls import reverse

from linli.core.roles import ADMINS, Role
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World

SEES_ALL = ADMINS | {Role.LEADER, Role.BUTLER}
BM = Role.BUILDING_MANAGER


def building_url(name: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.a.records["building"].pk})

    return url


ENDPOINTS: list[Endpoint] = [
    Endpoint("cockpit:index", "GET", fixed("cockpit:index"), {**statuses(SEES_ALL), BM: 302}),
    Endpoint("cockpit:export", "GET", fixed("cockpit:export"), statuses(SEES_ALL)),
    Endpoint(
        "cockpit:building",
        "GET",
        building_url("cockpit:building"),
        statuses(SEES_ALL | {BM}, other=404),
    ),
    Endpoint(
        "api:list_cockpit_buildings",
        "GET",
        fixed("api:list_cockpit_buildings"),
        statuses(SEES_ALL, anonymous=401),
    ),
    Endpoint(
        "api:get_cockpit_building",
        "GET",
        building_url("api:get_cockpit_building"),
        statuses(SEES_ALL | {BM}, anonymous=401, other=404),
    ),
]
