"""Rows of the permission matrix for grid patrols (see tests/core/matrix.py).

Who may do what (linli/governance/patrols/rules.py): administrators, leaders and the grid
worker see the patrol pages (the grid worker their own grid's); administrators make plans; the
grid worker of A's grid starts, runs (check-in, finding, end) their own patrol. Other roles
get 403; another sub-district's administrator finds none of A's plans or patrols (404) and
sees B's (empty) lists.
"""

from __future__ import annotations

from django.urls import reverse

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.governance.patrols import services
from linli.governance.patrols.services import PointSpec
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World

GRID = Role.GRID_WORKER
USERS = ADMINS | {Role.LEADER, GRID}


def populate(world: World) -> None:
    """In A: a plan of A's grid with two points, and the grid worker's patrol on it."""
    a = world.a.subdistrict
    admin = world.users[Role.SUBDISTRICT_ADMIN]
    plan = services.create_plan(
        actor=Access.for_user(admin, a),
        grid=world.a.records["grid"],
        name="Matrix round",
        points=[PointSpec("Gate", 121.455, 31.235), PointSpec("Market", 121.457, 31.235)],
    )
    patrol = services.start_patrol(actor=Access.for_user(world.users[GRID], a), plan=plan)
    category = Category.objects.create(
        subdistrict=a, code="PATROL-MATRIX", name="Patrol matrix", kind=Category.Kind.INCIDENT
    )
    world.extra["patrols"] = {
        "plan": plan.pk,
        "patrol": patrol.pk,
        "point": plan.points.first().pk,
        "grid": world.a.records["grid"].pk,
        "category": category.code,
    }


def url(name: str, key: str):
    return lambda world, who: reverse(name, kwargs={"pk": world.extra["patrols"][key]})


def page(allowed, ok: int = 200, other: int = 200) -> dict[str, int]:
    return statuses(allowed, ok, other=other)


def plan_form(world: World, who: str) -> dict[str, str]:
    return {
        "grid": str(world.extra["patrols"]["grid"]),
        "name": "Evening round",
        "points": "Gate, 121.455, 31.235, gate\nSquare, 121.456, 31.236",
    }


ENDPOINTS: list[Endpoint] = [
    Endpoint("patrols:home", "GET", fixed("patrols:home"), page(USERS)),
    Endpoint("patrols:coverage", "GET", fixed("patrols:coverage"), page(USERS)),
    Endpoint("patrols:coverage_xlsx", "GET", fixed("patrols:coverage_xlsx"), page(USERS)),
    Endpoint("patrols:plan_new", "GET", fixed("patrols:plan_new"), page(ADMINS)),
    # B's administrator names A's grid: the form refuses it and comes back (200).
    Endpoint(
        "patrols:plan_new",
        "POST",
        fixed("patrols:plan_new"),
        page(ADMINS, 302, other=200),
        kind="save",
        data=plan_form,
    ),
    Endpoint("patrols:plan", "GET", url("patrols:plan", "plan"), page(USERS, other=404)),
    # Only a grid worker of the plan's grid starts a patrol (the running one comes back).
    Endpoint("patrols:start", "POST", url("patrols:start", "plan"), page({GRID}, 302, other=404)),
    Endpoint("patrols:patrol", "GET", url("patrols:patrol", "patrol"), page(USERS, other=404)),
    Endpoint(
        "patrols:check_in",
        "POST",
        url("patrols:check_in", "patrol"),
        page({GRID}, 302, other=404),
        data=lambda w, who: {
            "point": w.extra["patrols"]["point"],
            "lon": "121.455",
            "lat": "31.235",
        },
    ),
    Endpoint("patrols:finding", "GET", url("patrols:finding", "patrol"), page({GRID}, other=404)),
    Endpoint(
        "patrols:finding",
        "POST",
        url("patrols:finding", "patrol"),
        page({GRID}, 302, other=404),
        kind="save",
        data=lambda w, who: {
            "category": w.extra["patrols"]["category"],
            "description": "Bicycles block the gate",
            "point": w.extra["patrols"]["point"],
        },
    ),
    Endpoint("patrols:end", "POST", url("patrols:end", "patrol"), page({GRID}, 302, other=404)),
]
