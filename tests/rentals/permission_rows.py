"""The group-rental rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/governance/rentals/rules.py``. In A, three files sit in
quarter A (the grid worker's grid): one at the lead stage, one inspected with a breach, one
with a notice, one at joint enforcement with a re-inspection to do; a fifth sits in a quarter of
another grid. Administrators, the leader and the world's handler (a department's) see all of
them; the grid worker the first three (404 for the fourth); everyone else is refused (403).
Notices, enforcement and the export are the departments' and administrators'; certification
the administrators'. B's administrator finds nothing of A (404) and has lists of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.governance.rentals import services
from linli.governance.rentals.models import GroupRental
from linli.people import services as people
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import GridFactory, QuarterFactory
from tests.rentals.helpers import rooms

GRID = Role.GRID_WORKER
VIEWERS = ADMINS | {Role.LEADER, Role.HANDLER, GRID}
ACTORS = ADMINS | {Role.HANDLER}
DAY = dt.date(2026, 9, 28)
CROWDED = (("bedroom", "8", 2), ("bedroom", "8", 2))


def populate(world: World) -> None:
    a = world.a.subdistrict
    system = Access.system(a)
    other_grid = GridFactory(subdistrict=a, name="Grid A rentals")
    elsewhere = QuarterFactory(subdistrict=a, grid=other_grid, name="Quarter A rentals")
    quarter = world.a.records["quarter"]
    dwellings = {}
    for key, where in (
        ("lead", quarter),
        ("inspected", quarter),
        ("noticed", quarter),
        ("enforced", quarter),
        ("elsewhere", elsewhere),
    ):
        building = people.record_building(
            system, quarter=where, code=f"QZ-{key}", number="7号楼", floors=6, built_year=1990
        )
        dwellings[key] = people.record_dwelling(
            system, building=building, unit="1单元", number="501", floor=5, floor_area_m2="60"
        )
    files = {
        key: services.record_lead(
            dwelling,
            actor=system,
            source=GroupRental.Source.PROPERTY_MANAGER,
            description="物业反映",
            reported_on=DAY,
        )
        for key, dwelling in dwellings.items()
    }
    for key in ("inspected", "noticed", "enforced"):
        services.record_inspection(
            files[key], actor=system, rooms=rooms(*CROWDED), inspected_on=DAY
        )
    services.issue_notice(files["noticed"], actor=system, issued_on=DAY)
    notice = services.issue_notice(files["enforced"], actor=system, issued_on=DAY)
    services.record_enforcement(
        files["enforced"],
        actor=system,
        on=notice.deadline,
        departments=[world.a.records["organisation"]],
        result="拆除隔断",
    )
    world.extra["rentals"] = {
        "files": files,
        "notice": notice,
        "reinspection": files["enforced"].reinspections.order_by("due_on").first(),
        "dwelling": dwellings["lead"],
        "quarter": quarter,
    }


def file_url(name: str, key: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["rentals"]["files"][key].pk})

    return url


def record_url(name: str, record: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["rentals"][record].pk})

    return url


def expect(allowed: Iterable[str], ok: int = 200, *, other: int = 404) -> dict[str, int]:
    """``ok`` for ``allowed``, 403 for everyone else signed in, the login page for visitors;
    B's administrator ``other`` (404: A's record does not exist for them)."""
    return statuses(allowed, ok, denied=403, other=other)


def in_other_grid(allowed: Iterable[str]) -> dict[str, int]:
    """The file of another grid: the grid worker may use the pages, but the file does not
    exist for them (404)."""
    return {**expect(allowed), GRID: 404}


def certify_data(world: World, who: str) -> dict[str, str]:
    return {"certified_on": DAY.isoformat()}


ENDPOINTS: list[Endpoint] = [
    Endpoint("rentals:list", "GET", fixed("rentals:list"), expect(VIEWERS, other=200)),
    Endpoint("rentals:find", "GET", fixed("rentals:find"), expect(VIEWERS, other=200)),
    Endpoint(
        "rentals:new",
        "GET",
        record_url("rentals:new", "dwelling"),
        expect(VIEWERS),
    ),
    Endpoint("rentals:detail", "GET", file_url("rentals:detail", "lead"), expect(VIEWERS)),
    Endpoint(
        "rentals:detail",
        "GET",
        file_url("rentals:detail", "elsewhere"),
        in_other_grid(VIEWERS),
        kind="other grid",
    ),
    Endpoint("rentals:inspect", "GET", file_url("rentals:inspect", "lead"), expect(VIEWERS)),
    Endpoint(
        "rentals:inspect",
        "GET",
        file_url("rentals:inspect", "elsewhere"),
        in_other_grid(VIEWERS),
        kind="other grid",
    ),
    Endpoint(
        "rentals:notice", "POST", file_url("rentals:notice", "inspected"), expect(ACTORS, 302)
    ),
    Endpoint("rentals:enforce", "GET", file_url("rentals:enforce", "noticed"), expect(ACTORS)),
    Endpoint(
        "rentals:notice_pdf", "GET", record_url("rentals:notice_pdf", "notice"), expect(VIEWERS)
    ),
    Endpoint(
        "rentals:reinspect",
        "GET",
        record_url("rentals:reinspect", "reinspection"),
        expect(VIEWERS),
    ),
    Endpoint("rentals:quarters", "GET", fixed("rentals:quarters"), expect(VIEWERS, other=200)),
    Endpoint(
        "rentals:certify",
        "POST",
        record_url("rentals:certify", "quarter"),
        {**expect(ADMINS, 302), Role.LEADER: 403, Role.HANDLER: 403, GRID: 403},
        data=certify_data,
    ),
    Endpoint("rentals:statistics", "GET", fixed("rentals:statistics"), expect(VIEWERS, other=200)),
    Endpoint("rentals:export", "GET", fixed("rentals:export"), expect(ACTORS, other=200)),
    Endpoint("rentals:map", "GET", fixed("rentals:map"), expect(VIEWERS, other=200)),
    Endpoint("rentals:map_layers", "GET", fixed("rentals:map_layers"), expect(VIEWERS, other=200)),
]
