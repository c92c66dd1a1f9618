"""The food-safety rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/governance/foodsafety/rules.py``: the whole-area staff read
(every staff role but the butler); the coordinators and the department's handler manage. A's
enterprise is a catering establishment with an open rectification; B's administrator gets 404
for both. Forms are posted empty: those who may act get their form back with its errors (400),
nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.core.access import Access
from linli.core.roles import ADMINS, WHOLE_AREA, Role
from linli.governance.foodsafety import services
from linli.governance.foodsafety.models import Kind
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World

MANAGERS = ADMINS | {Role.LEADER, Role.HANDLER}


def populate(world: World) -> None:
    system = Access.system(world.a.subdistrict)
    establishment = services.register_establishment(
        system,
        enterprise=world.a.records["enterprise"],
        kind=Kind.RESTAURANT,
        licence_number="JY23101060000001",
        licence_valid_until=dt.date(2029, 12, 31),
        grade="B",
        graded_on=dt.date(2025, 10, 1),
    )
    rectification = services.order_rectification(
        establishment, actor=system, requirement="Fix the fridge thermometer"
    )
    world.extra["foodsafety"] = {"establishment": establishment, "rectification": rectification}


def record_url(name: str, key: str = "establishment"):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["foodsafety"][key].pk})

    return url


def empty(world: World, who: str) -> dict[str, str]:
    return {}


def acting(ok: int = 400) -> dict[str, int]:
    """Managers get ``ok``; other readers and everyone else 403; B's administrator 404."""
    return statuses(MANAGERS, ok, other=404)


ENDPOINTS: list[Endpoint] = [
    Endpoint("foodsafety:list", "GET", fixed("foodsafety:list"), statuses(WHOLE_AREA)),
    Endpoint("foodsafety:list_xlsx", "GET", fixed("foodsafety:list_xlsx"), statuses(WHOLE_AREA)),
    Endpoint("foodsafety:statistics", "GET", fixed("foodsafety:statistics"), statuses(WHOLE_AREA)),
    Endpoint("foodsafety:register", "GET", fixed("foodsafety:register"), statuses(MANAGERS)),
    Endpoint(
        "foodsafety:register",
        "POST",
        fixed("foodsafety:register"),
        statuses(MANAGERS, 400),
        data=empty,
    ),
    Endpoint("foodsafety:generate", "GET", fixed("foodsafety:generate"), statuses(MANAGERS)),
    Endpoint(
        "foodsafety:generate",
        "POST",
        fixed("foodsafety:generate"),
        statuses(MANAGERS, 400),
        data=empty,
    ),
    Endpoint(
        "foodsafety:establishment",
        "GET",
        record_url("foodsafety:establishment"),
        statuses(WHOLE_AREA, other=404),
    ),
    Endpoint("foodsafety:grade", "POST", record_url("foodsafety:grade"), acting(), data=empty),
    Endpoint("foodsafety:rectify", "POST", record_url("foodsafety:rectify"), acting(), data=empty),
    Endpoint(
        "foodsafety:follow_up",
        "POST",
        record_url("foodsafety:follow_up", "rectification"),
        acting(),
        data=empty,
    ),
]
