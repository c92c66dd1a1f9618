"""The residents rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/people/rules.py``. In A, a person lives in the grid worker's
grid, in the household of the resident's own record; another lives in a second quarter of
another grid. Administrators see both; the grid worker the first only (404 for the second);
the resident their own household (to read, never to unmask); everybody else on the staff is
refused the search and finds no one (the world's handler works for a department, not a
neighbourhood committee), and B's
administrator gets 404 for every record of A.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.people import services
from linli.people.models import ConsentRecord, Person, PersonTag, TagKind
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import GridFactory, QuarterFactory
from tests.people.helpers import resident_id

GRID = Role.GRID_WORKER
RESIDENT = Role.RESIDENT
SEARCHERS = ADMINS | {GRID}
# The full numbers stored in A: no page or API answer may show them (tests/people/test_pii_scan.py).
NUMBERS = {
    "in_grid": (resident_id(dt.date(1938, 4, 9), 11), "13611112222"),
    "elsewhere": (resident_id(dt.date(1961, 10, 30), 12, female=True), "13733334444"),
}


def populate(world: World) -> None:
    a = world.a.subdistrict
    system = Access.system(a)
    second_grid = GridFactory(subdistrict=a, name="Grid A2")
    quarters = {
        "in_grid": world.a.records["quarter"],
        "elsewhere": QuarterFactory(subdistrict=a, grid=second_grid, name="Quarter A2"),
    }
    persons: dict[str, Person] = {}
    for key, quarter in quarters.items():
        building = services.record_building(
            system, quarter=quarter, code=f"PRB-{key}", number="5号楼", floors=6, built_year=1988
        )
        dwelling = services.record_dwelling(
            system, building=building, unit="2单元", number="402", floor=4, floor_area_m2="48.3"
        )
        household = services.create_household(system, number=f"HH-{key}", dwelling=dwelling)
        number, mobile = NUMBERS[key]
        persons[key] = services.register_person(
            system,
            name=f"Person {key}",
            on=dt.date(2024, 5, 1),
            resident_id=number,
            mobile=mobile,
            dwelling=dwelling,
            household=household,
            relation=Person.Relation.HEAD,
            registered_address="Shanghai Jing'an",
        )
    services.register_person(
        system,
        name="The resident",
        on=dt.date(2024, 5, 1),
        dwelling=persons["in_grid"].dwelling,
        household=persons["in_grid"].household,
        relation=Person.Relation.CHILD,
        user=world.users[RESIDENT],
    )
    world.extra["people"] = persons
    kept = persons["in_grid"]
    world.extra["people_tag"] = services.set_tag(
        system,
        kept,
        kind=TagKind.objects.get(code="veteran"),
        source=PersonTag.Source.VETERANS_AFFAIRS,
        valid_from=dt.date(2024, 5, 1),
        reason="Discharge certificate",
    )
    world.extra["people_consent"] = services.record_consent(
        system,
        kept,
        purpose=ConsentRecord.Purpose.ELDERLY_CARE,
        given_on=dt.date(2024, 5, 1),
        channel=ConsentRecord.Channel.PAPER,
    )


def person_url(name: str, key: str = "in_grid", **more: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["people"][key].pk, **more})

    return url


def record_url(name: str, extra: str, argument: str):
    """A tag's or a consent's page of the person in the grid."""

    def url(world: World, who: str) -> str:
        kwargs = {"pk": world.extra["people"]["in_grid"].pk, argument: world.extra[extra].pk}
        return reverse(name, kwargs=kwargs)

    return url


def dwelling_url(name: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["people"]["in_grid"].dwelling_id})

    return url


def seen(roles, *, ok: int = 200, anonymous: int = 302) -> dict[str, int]:
    """``ok`` for ``roles``, 404 for everyone else who is signed in (the record does not exist
    for them), B's administrator included."""
    return statuses(roles, ok, denied=404, anonymous=anonymous, other=404)


def unmask(roles_ok, roles_refused, ok: int = 200) -> dict[str, int]:
    """``ok`` for ``roles_ok``; 403 for those who see the record but may not act on it; 404
    for everyone else signed in."""
    table = seen(roles_ok | roles_refused, ok=ok)
    return {**table, **{role: 403 for role in roles_refused}}


CHANGERS = ADMINS | {GRID}
NOTHING: dict[str, str] = {}


def verb_rows(name: str, url, changers, readers, kind: str = "") -> list[Endpoint]:
    """The page of a verb (GET: its form), and an empty post: the form again with its errors
    (400), nothing written, for those who may; refused for everyone else."""
    return [
        Endpoint(name, "GET", url, unmask(changers, readers), kind=kind),
        Endpoint(
            name,
            "POST",
            url,
            unmask(changers, readers, ok=400),
            kind=kind,
            data=lambda w, who: NOTHING,
        ),
    ]


VERB_ROWS: list[Endpoint] = [
    *verb_rows("people:move_in", person_url("people:move_in"), CHANGERS, {RESIDENT}),
    *verb_rows("people:move_out", person_url("people:move_out"), CHANGERS, {RESIDENT}),
    *verb_rows(
        "people:move_out",
        person_url("people:move_out", "elsewhere"),
        ADMINS,
        set(),
        kind="other grid",
    ),
    *verb_rows("people:death", person_url("people:death"), CHANGERS, {RESIDENT}),
    *verb_rows("people:tag_new", person_url("people:tag_new"), CHANGERS, {RESIDENT}),
    *verb_rows(
        "people:tag_end", record_url("people:tag_end", "people_tag", "tag"), CHANGERS, {RESIDENT}
    ),
    *verb_rows("people:consent_new", person_url("people:consent_new"), CHANGERS, {RESIDENT}),
    *verb_rows(
        "people:consent_withdraw",
        record_url("people:consent_withdraw", "people_consent", "consent"),
        CHANGERS,
        {RESIDENT},
    ),
    # Merging is the administrators' (rules.may_merge).
    *verb_rows("people:merge", person_url("people:merge"), ADMINS, {GRID, RESIDENT}),
    *verb_rows("people:move_here", dwelling_url("people:move_here"), CHANGERS, {RESIDENT}),
]


ENDPOINTS: list[Endpoint] = [
    *VERB_ROWS,
    Endpoint("people:import", "GET", fixed("people:import"), statuses(ADMINS)),
    # An empty form comes back with its errors for those who may import.
    Endpoint(
        "people:import",
        "POST",
        fixed("people:import"),
        statuses(ADMINS, 400),
        data=lambda w, who: {},
    ),
    Endpoint("people:search", "GET", fixed("people:search"), statuses(SEARCHERS)),
    Endpoint(
        "people:search",
        "POST",
        fixed("people:search"),
        statuses(SEARCHERS),
        data=lambda w, who: {"address": "5号楼"},
    ),
    Endpoint("people:person", "GET", person_url("people:person"), seen(ADMINS | {GRID, RESIDENT})),
    Endpoint(
        "people:person",
        "GET",
        person_url("people:person", "elsewhere"),
        seen(ADMINS),
        kind="other grid",
    ),
    Endpoint(
        "people:dwelling", "GET", dwelling_url("people:dwelling"), seen(ADMINS | {GRID, RESIDENT})
    ),
    Endpoint(
        "people:unmask",
        "POST",
        person_url("people:unmask", kind="phone"),
        unmask(ADMINS | {GRID}, {RESIDENT}),
    ),
    Endpoint(
        "people:unmask",
        "POST",
        person_url("people:unmask", kind="resident_id"),
        unmask(ADMINS, {GRID, RESIDENT}),
        kind="resident_id",
    ),
    Endpoint(
        "api:people_persons",
        "GET",
        fixed("api:people_persons"),
        statuses(SEARCHERS, anonymous=401),
    ),
    Endpoint(
        "api:people_person",
        "GET",
        person_url("api:people_person"),
        seen(ADMINS | {GRID, RESIDENT}, anonymous=401),
    ),
    Endpoint(
        "api:people_person",
        "GET",
        person_url("api:people_person", "elsewhere"),
        seen(ADMINS, anonymous=401),
        kind="other grid",
    ),
    Endpoint(
        "api:people_person_history",
        "GET",
        person_url("api:people_person_history"),
        seen(ADMINS | {GRID, RESIDENT}, anonymous=401),
    ),
    Endpoint(
        "api:people_dwelling",
        "GET",
        dwelling_url("api:people_dwelling"),
        seen(ADMINS | {GRID, RESIDENT}, anonymous=401),
    ),
    Endpoint(
        "api:people_dwelling_history",
        "GET",
        dwelling_url("api:people_dwelling_history"),
        seen(ADMINS | {GRID, RESIDENT}, anonymous=401),
    ),
]
