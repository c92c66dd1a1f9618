"""Rows of the permission matrix for joint inspections (see tests/core/matrix.py).

Who may do what (linli/enterprise/inspections/rules.py): the handler of Department A plans for
it and records its results; the coordinators (administrators, the leader) also merge, schedule
and read the spared-visits figures; staff read one enterprise's summary. Other roles get 403;
another sub-district's administrator finds none of A's plans or visits (404) and sees B's
(empty) lists.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.core.access import Access
from linli.core.roles import ADMINS, STAFF, Role
from linli.enterprise.inspections import services
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import EnterpriseFactory, OrganisationFactory

COORDINATORS = ADMINS | {Role.LEADER}
USERS = COORDINATORS | {Role.HANDLER}
START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 20)


def populate(world: World) -> None:
    """In A: Department A's plan for Enterprise A, merged into its visit."""
    a = world.a
    plan = services.plan_inspection(
        actor=Access.for_user(world.users[Role.HANDLER], a.subdistrict),
        enterprise=a.records["enterprise"],
        department=a.records["organisation"],
        subject="Fire safety",
        window_start=START,
        window_end=END,
    )
    # Another department's plans: one joins the visit to Enterprise A, one goes alone to an
    # enterprise of its own. The coordinators see all three plans and both visits, Department
    # A's handler their own plan and the one visit it takes part in.
    fire = OrganisationFactory(subdistrict=a.subdistrict, name="Fire Brigade Matrix")
    elsewhere = EnterpriseFactory(subdistrict=a.subdistrict, name="Inspected Elsewhere Ltd")
    system = Access.system(a.subdistrict)
    for firm, subject in ((a.records["enterprise"], "Exits"), (elsewhere, "Sprinklers")):
        services.plan_inspection(
            actor=system,
            enterprise=firm,
            department=fire,
            subject=subject,
            window_start=START,
            window_end=END,
        )
    world.extra["inspections"] = {"plan": plan.pk, "visit": plan.joint_visit_id}


def extra_url(name: str, key: str):
    return lambda world, who: reverse(name, kwargs={"pk": world.extra["inspections"][key]})


def page(allowed: frozenset[str] | set[str], ok: int = 200, other: int = 200) -> dict[str, int]:
    return statuses(allowed, ok, other=other)


def api(allowed: frozenset[str] | set[str], ok: int = 200, other: int = 200) -> dict[str, int]:
    return statuses(allowed, ok, anonymous=401, other=other)


def plan_form(world: World, who: str) -> dict[str, str]:
    return {
        "department": str(world.a.records["organisation"].pk),
        "enterprise_code": world.a.records["enterprise"].credit_code,
        "subject": "Food safety",
        "window_start": "2026-03-05",
        "window_end": "2026-03-25",
    }


def plan_json(world: World, who: str) -> dict[str, object]:
    return {
        "department_id": world.a.records["organisation"].pk,
        "enterprise_id": world.a.records["enterprise"].pk,
        "subject": "Food safety",
        "window_start": "2026-03-05",
        "window_end": "2026-03-25",
    }


ENDPOINTS: list[Endpoint] = [
    Endpoint("inspections:plans", "GET", fixed("inspections:plans"), page(USERS)),
    Endpoint("inspections:plans_xlsx", "GET", fixed("inspections:plans_xlsx"), page(USERS)),
    Endpoint("inspections:plan_new", "GET", fixed("inspections:plan_new"), page(USERS)),
    # B's administrator names A's department: the form refuses it and comes back (200).
    Endpoint(
        "inspections:plan_new",
        "POST",
        fixed("inspections:plan_new"),
        page(USERS, 302, other=200),
        kind="save",
        data=plan_form,
    ),
    Endpoint(
        "inspections:plan_cancel",
        "POST",
        extra_url("inspections:plan_cancel", "plan"),
        page(USERS, 302, other=404),
    ),
    Endpoint(
        "inspections:record_result",
        "POST",
        extra_url("inspections:record_result", "plan"),
        page(USERS, 302, other=404),
        data=lambda w, who: {f"p{w.extra['inspections']['plan']}-outcome": "passed"},
    ),
    Endpoint("inspections:schedule", "GET", fixed("inspections:schedule"), page(USERS)),
    Endpoint(
        "inspections:schedule_xlsx",
        "GET",
        lambda w, who: reverse("inspections:schedule_xlsx") + "?start=2026-01-01&end=2026-12-31",
        page(USERS),
    ),
    Endpoint(
        "inspections:merge", "POST", fixed("inspections:merge"), page(COORDINATORS, 302, other=302)
    ),
    Endpoint(
        "inspections:visit",
        "GET",
        extra_url("inspections:visit", "visit"),
        page(USERS, other=404),
    ),
    Endpoint(
        "inspections:visit_schedule",
        "POST",
        extra_url("inspections:visit_schedule", "visit"),
        page(COORDINATORS, 302, other=404),
        data=lambda w, who: {"scheduled_on": "2026-03-11"},
    ),
    Endpoint("inspections:spared", "GET", fixed("inspections:spared"), page(COORDINATORS)),
    Endpoint(
        "inspections:enterprise",
        "GET",
        lambda w, who: reverse(
            "inspections:enterprise", kwargs={"pk": w.a.records["enterprise"].pk}
        ),
        page(STAFF, other=404),
    ),
    Endpoint("api:insp_plans", "GET", fixed("api:insp_plans"), api(USERS)),
    Endpoint(
        "api:insp_plan",
        "POST",
        fixed("api:insp_plan"),
        api(USERS, 201, other=400),
        data=plan_json,
        json=True,
    ),
    Endpoint(
        "api:insp_cancel_plan",
        "POST",
        extra_url("api:insp_cancel_plan", "plan"),
        api(USERS, other=404),
        json=True,
    ),
    Endpoint(
        "api:insp_record_result",
        "POST",
        extra_url("api:insp_record_result", "plan"),
        api(USERS, 201, other=404),
        data=lambda w, who: {"outcome": "passed"},
        json=True,
    ),
    Endpoint("api:insp_merge", "POST", fixed("api:insp_merge"), api(COORDINATORS), json=True),
    Endpoint(
        "api:insp_visits",
        "GET",
        lambda w, who: reverse("api:insp_visits") + "?start=2026-01-01&end=2026-12-31",
        api(USERS),
    ),
    Endpoint(
        "api:insp_schedule_visit",
        "POST",
        extra_url("api:insp_schedule_visit", "visit"),
        api(COORDINATORS, other=404),
        data=lambda w, who: {"scheduled_on": "2026-03-11"},
        json=True,
    ),
    Endpoint("api:insp_spared", "GET", fixed("api:insp_spared"), api(COORDINATORS)),
]
