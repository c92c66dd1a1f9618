"""The lift rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/governance/lifts/rules.py``. In A, one project in the grid
worker's grid. Administrators and the department's handler read and record it; the leader and
the grid worker read it (403 when they post); everyone else finds nothing (404) and is refused
the list; B's administrator gets 404 for A's project. The public progress page answers anyone
with its token, signed in or not.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.governance.lifts import services
from linli.people import services as people
from tests.core.matrix import EVERYONE, Endpoint, fixed, statuses
from tests.core.world import World

RECORDERS = ADMINS | {Role.HANDLER}
VIEWERS = RECORDERS | {Role.LEADER, Role.GRID_WORKER}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def populate(world: World) -> None:
    a = world.a.subdistrict
    system = Access.system(a)
    building = people.record_building(
        system,
        quarter=world.a.records["quarter"],
        code="LIFT-1",
        number="12号楼",
        floors=6,
        built_year=1989,
    )
    type(building).objects.filter(pk=building.pk).update(grid=world.a.records["grid"])
    dwelling = people.record_dwelling(
        system, building=building, unit="1单元", number="301", floor=3, floor_area_m2="55.2"
    )
    project = services.open_project(system, dwelling.unit, opened_on=dt.date(2026, 3, 2))
    document = services.add_document(
        system,
        project,
        kind="design",
        title="Design",
        upload=SimpleUploadedFile("design.pdf", PDF, content_type="application/pdf"),
    )
    world.extra["lift"] = project
    world.extra["lift_document"] = document


def project_url(name: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["lift"].pk})

    return url


def seen(roles, *, ok: int = 200, refused=frozenset()) -> dict[str, int]:
    table = statuses(roles | refused, ok, denied=404, other=404)
    return {**table, **{role: 403 for role in refused}}


def empty(w: World, who: str) -> dict[str, str]:
    return {}


LISTS = ["lifts:list", "lifts:stats", "lifts:stats_xlsx", "lifts:map_layers"]
POSTS = ["lifts:vote", "lifts:advance", "lifts:cost", "lifts:mediation", "lifts:document"]

ENDPOINTS: list[Endpoint] = [
    *(Endpoint(name, "GET", fixed(name), statuses(VIEWERS)) for name in LISTS),
    # An empty form comes back with its errors for those who may open a project.
    Endpoint(
        "lifts:open",
        "POST",
        fixed("lifts:open"),
        statuses(RECORDERS, 400, other=400),
        data=empty,
    ),
    Endpoint("lifts:project", "GET", project_url("lifts:project"), seen(VIEWERS)),
    Endpoint("lifts:poster", "GET", project_url("lifts:poster"), seen(VIEWERS)),
    *(
        Endpoint(
            name,
            "POST",
            project_url(name),
            seen(RECORDERS, ok=400, refused=VIEWERS - RECORDERS),
            data=empty,
        )
        for name in POSTS
    ),
    Endpoint(
        "lifts:document_file",
        "GET",
        lambda w, who: reverse(
            "lifts:document_file",
            kwargs={"pk": w.extra["lift"].pk, "document_pk": w.extra["lift_document"].pk},
        ),
        seen(VIEWERS),
    ),
    Endpoint(
        "lifts:public",
        "GET",
        lambda w, who: reverse("lifts:public", kwargs={"token": w.extra["lift"].token}),
        statuses(EVERYONE, anonymous=200),
    ),
]
