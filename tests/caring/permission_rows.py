"""The caring-visit rows of the permission matrix (tests/registry/test_permissions.py).

Who may do what comes from ``linli/livelihood/caring/rules.py``. In A, an elder living alone in
the world's quarter (the grid worker's grid) has a plan whose visitor is the volunteer, and is
in the 老伙伴 group of a volunteer elder (the volunteer's own person record); extreme weather is
set. The world's handler works for a department, not a residents' committee, so sees no plan.
B's administrator gets 404 for every record of A, and their own empty pages otherwise.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.livelihood.caring import groups, services
from linli.livelihood.caring.models import CaringPlan
from linli.people import services as people
from linli.people.models import PersonTag, TagKind
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World

GRID = Role.GRID_WORKER
VOLUNTEER = Role.VOLUNTEER
CAREGIVER = Role.CAREGIVER
MOBILE = "13912340001"


def populate(world: World) -> None:
    a = world.a.subdistrict
    system = Access.system(a)
    today = clock.today()
    building = people.record_building(
        system, quarter=world.a.records["quarter"], code="CRB-1", number="9号楼", floors=6
    )
    dwelling = people.record_dwelling(
        system, building=building, unit="1单元", number="101", floor=1, floor_area_m2="40"
    )
    elder = people.register_person(
        system, name="Elder alone", on=today, mobile=MOBILE, dwelling=dwelling
    )
    elder.birth_date = dt.date(1940, 1, 1)
    elder.save(update_fields=["birth_date"])
    people.set_tag(
        system,
        elder,
        kind=TagKind.objects.get(code="living_alone"),
        source=PersonTag.Source.SURVEY,
        valid_from=today,
        reason="Survey",
    )
    leader = people.register_person(
        system, name="Volunteer elder", on=today, dwelling=dwelling, user=world.users[VOLUNTEER]
    )
    plan = services.create_plan(
        system, person=elder, reason=CaringPlan.Reason.LIVING_ALONE, visitor=world.users[VOLUNTEER]
    )
    group = groups.form_group(system, leader=leader, members=[elder])
    weather = services.set_weather(
        system, starts_on=today, ends_on=today + dt.timedelta(days=2), reason="heat"
    )
    world.extra["caring"] = {
        "plan": plan,
        "member": group.memberships.get(),
        "group": group,
        "weather": weather,
    }


def _url(name: str, key: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["caring"][key].pk})

    return url


def seen(roles, *, ok: int = 200, refused: set[str] | None = None) -> dict[str, int]:
    """``ok`` for ``roles``, 403 for ``refused`` (they see the record but may not do this),
    404 for everyone else signed in, B's administrator included."""
    table = statuses(roles | (refused or set()), ok, denied=404, other=404)
    return {**table, **{role: 403 for role in refused or set()}}


OVERSEERS = ADMINS | {GRID}
VISIT = {"outcome": "seen_well", "kind": "home", "note": ""}

ENDPOINTS: list[Endpoint] = [
    Endpoint("caring:mine", "GET", fixed("caring:mine"), statuses(ADMINS | {VOLUNTEER, GRID})),
    Endpoint("caring:plans", "GET", fixed("caring:plans"), statuses(OVERSEERS)),
    Endpoint("caring:generate", "POST", fixed("caring:generate"), statuses(ADMINS, 302)),
    Endpoint("caring:plan", "GET", _url("caring:plan", "plan"), seen(OVERSEERS | {VOLUNTEER})),
    Endpoint(
        "caring:log",
        "POST",
        _url("caring:log", "plan"),
        seen(OVERSEERS | {VOLUNTEER}, ok=302),
        data=lambda w, who: VISIT,
    ),
    Endpoint(
        "caring:assign",
        "POST",
        _url("caring:assign", "plan"),
        seen(ADMINS, ok=302, refused={GRID, VOLUNTEER}),
        data=lambda w, who: {"visitor": ""},
    ),
    Endpoint(
        "caring:end",
        "POST",
        _url("caring:end", "plan"),
        seen(ADMINS, ok=302, refused={GRID, VOLUNTEER}),
        data=lambda w, who: {"end_reason": "Moved to a care home"},
    ),
    Endpoint("caring:weather", "GET", fixed("caring:weather"), statuses(OVERSEERS)),
    Endpoint(
        "caring:weather",
        "POST",
        fixed("caring:weather"),
        {**statuses(ADMINS, 302), GRID: 403},
        data=lambda w, who: {
            "reason": "cold",
            "starts_on": clock.today().isoformat(),
            "ends_on": clock.today().isoformat(),
        },
    ),
    Endpoint(
        "caring:weather_cancel",
        "POST",
        _url("caring:weather_cancel", "weather"),
        statuses(ADMINS, 302, other=404),
    ),
    Endpoint("caring:alert", "GET", fixed("caring:alert"), statuses(ADMINS | {CAREGIVER})),
    # B's administrator cannot find A's elder by number: the form says so.
    Endpoint(
        "caring:alert",
        "POST",
        fixed("caring:alert"),
        statuses(ADMINS | {CAREGIVER}, 302, other=400),
        data=lambda w, who: {"kind": "fall", "number": MOBILE, "note": "Fell in the kitchen"},
    ),
    Endpoint(
        "caring:companions",
        "GET",
        fixed("caring:companions"),
        statuses(OVERSEERS | {VOLUNTEER}),
    ),
    Endpoint(
        "caring:companion_log",
        "POST",
        _url("caring:companion_log", "member"),
        seen(OVERSEERS | {VOLUNTEER}, ok=302),
        data=lambda w, who: {"outcome": "seen_well", "kind": "phone", "note": ""},
    ),
    # 老伙伴 groups: administrators and committee staff form and change them (the world's
    # committee has no staff member); the volunteer elder and the grid worker read theirs.
    Endpoint("caring:companion_new", "GET", fixed("caring:companion_new"), statuses(ADMINS)),
    Endpoint(
        "caring:companion_new",
        "POST",
        fixed("caring:companion_new"),
        statuses(ADMINS, 400),
        data=lambda w, who: {"leader": "", "members": []},
    ),
    Endpoint(
        "caring:companion_group",
        "GET",
        _url("caring:companion_group", "group"),
        statuses(OVERSEERS | {VOLUNTEER}, other=404),
    ),
    Endpoint(
        "caring:companion_add",
        "POST",
        _url("caring:companion_add", "group"),
        seen(ADMINS, ok=400, refused={GRID, VOLUNTEER}),
        data=lambda w, who: {"members": []},
    ),
    Endpoint(
        "caring:companion_remove",
        "POST",
        _url("caring:companion_remove", "member"),
        seen(ADMINS, ok=302, refused={GRID, VOLUNTEER}),
    ),
    Endpoint(
        "caring:companion_end",
        "POST",
        _url("caring:companion_end", "group"),
        seen(ADMINS, ok=302, refused={GRID, VOLUNTEER}),
    ),
    Endpoint(
        "caring:statistics",
        "GET",
        fixed("caring:statistics"),
        statuses(ADMINS | {Role.LEADER}),
    ),
    Endpoint(
        "caring:statistics_export",
        "GET",
        fixed("caring:statistics_export"),
        statuses(ADMINS | {Role.LEADER}),
    ),
]
