"""The sporadic-works rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/governance/works/rules.py``. In A, four registrations by the
system: a façade job at a dwelling of quarter A (the grid worker's grid) with its site notice
("home"), an interior job there with its notice ("interior"), one just registered ("fresh"), and
a façade job in a quarter of another grid ("elsewhere"). Administrators, the leader, the
department's handler and the grid worker handle them (the grid worker gets 404 for the other
grid's); the public roles use the ledger and the registration form, and find none of these
(404: they see only their own); everyone else is refused (403). B's administrator gets 404 for
A's registrations. The public page opens for anyone with the token, signed in or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from linli.core.access import Access
from linli.core.roles import ADMINS, PUBLIC, Role
from linli.governance.works import services
from linli.governance.works.models import Works
from linli.people import services as people
from tests.core.matrix import EVERYONE, Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import GridFactory, QuarterFactory

GRID = Role.GRID_WORKER
STAFF_OF_WORKS = ADMINS | {Role.LEADER, Role.HANDLER, GRID}
READERS = STAFF_OF_WORKS | PUBLIC
DAY = dt.date(2026, 9, 28)


def populate(world: World) -> None:
    a = world.a.subdistrict
    system = Access.system(a)
    other_grid = GridFactory(subdistrict=a, name="Grid A works")
    elsewhere = QuarterFactory(subdistrict=a, grid=other_grid, name="Quarter A works")
    made = {}
    for key, quarter, scope in (
        ("home", world.a.records["quarter"], "facade"),
        ("interior", world.a.records["quarter"], "interior"),
        ("fresh", world.a.records["quarter"], "interior"),
        ("elsewhere", elsewhere, "facade"),
    ):
        building = people.record_building(
            system, quarter=quarter, code=f"ZX-{key}", number="9号楼", floors=6, built_year=1995
        )
        dwelling = people.record_dwelling(
            system, building=building, unit="2单元", number="402", floor=4, floor_area_m2="70"
        )
        works = services.register_works(
            actor=system,
            place=services.Place(Works.Place.DWELLING, dwelling=dwelling),
            scopes=[scope],
            description="装修",
            starts_on=DAY,
            ends_on=DAY + dt.timedelta(days=60),
            registered_on=DAY,
        )
        if key != "fresh":
            services.issue_notice(works, actor=system, on=DAY)
        made[key] = works
    world.extra["works"] = made


def works_url(name: str, key: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["works"][key].pk})

    return url


def expect(allowed: Iterable[str], ok: int = 200, *, other: int = 404) -> dict[str, int]:
    """``ok`` for ``allowed``, 403 for everyone else signed in, the login page for visitors;
    B's administrator ``other`` (404: A's record does not exist for them)."""
    return statuses(allowed, ok, denied=403, other=other)


def on_a_record(allowed: Iterable[str], ok: int = 200) -> dict[str, int]:
    """A registration of the system's: the public roles may use the pages but do not see it."""
    return {**expect(allowed, ok), **{role: 404 for role in PUBLIC}}


def in_other_grid(allowed: Iterable[str], ok: int = 200) -> dict[str, int]:
    return {**on_a_record(allowed, ok), GRID: 404}


def empty(world: World, who: str) -> dict[str, str]:
    return {}


ENDPOINTS: list[Endpoint] = [
    Endpoint("works:list", "GET", fixed("works:list"), expect(READERS, other=200)),
    Endpoint("works:export", "GET", fixed("works:export"), expect(STAFF_OF_WORKS, other=200)),
    Endpoint(
        "works:map_layers", "GET", fixed("works:map_layers"), expect(STAFF_OF_WORKS, other=200)
    ),
    Endpoint("works:register", "GET", fixed("works:register"), expect(READERS, other=200)),
    Endpoint(
        "works:register",
        "POST",
        fixed("works:register"),
        expect(READERS, 400, other=400),
        data=empty,
    ),
    Endpoint(
        "works:unregistered", "GET", fixed("works:unregistered"), expect(STAFF_OF_WORKS, other=200)
    ),
    Endpoint(
        "works:unregistered",
        "POST",
        fixed("works:unregistered"),
        expect(STAFF_OF_WORKS, 400, other=400),
        data=empty,
    ),
    Endpoint("works:detail", "GET", works_url("works:detail", "home"), on_a_record(STAFF_OF_WORKS)),
    Endpoint(
        "works:detail",
        "GET",
        works_url("works:detail", "elsewhere"),
        in_other_grid(STAFF_OF_WORKS),
        kind="other grid",
    ),
    Endpoint(
        "works:notice",
        "POST",
        works_url("works:notice", "fresh"),
        on_a_record(STAFF_OF_WORKS, 302),
    ),
    Endpoint(
        "works:notice_pdf",
        "GET",
        works_url("works:notice_pdf", "home"),
        on_a_record(STAFF_OF_WORKS),
    ),
    Endpoint(
        "works:inspect",
        "POST",
        works_url("works:inspect", "home"),
        on_a_record(STAFF_OF_WORKS, 400),
        data=empty,
    ),
    Endpoint(
        "works:inspect",
        "POST",
        works_url("works:inspect", "elsewhere"),
        in_other_grid(STAFF_OF_WORKS, 400),
        kind="other grid",
        data=empty,
    ),
    Endpoint(
        "works:waste",
        "POST",
        works_url("works:waste", "home"),
        on_a_record(STAFF_OF_WORKS, 400),
        data=empty,
    ),
    Endpoint(
        "works:complete",
        "POST",
        works_url("works:complete", "interior"),
        on_a_record(STAFF_OF_WORKS, 400),
        data=empty,
    ),
    Endpoint(
        "works:public",
        "GET",
        lambda w, who: reverse("works:public", kwargs={"token": w.extra["works"]["home"].token}),
        statuses(EVERYONE, anonymous=200),
    ),
]
