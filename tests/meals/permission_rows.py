"""The meals rows of the permission matrix (tests/registry/test_permissions.py).

In A a provider runs a meal point; the world's meal-point operator works for it (their
membership's organisation is the provider). Another provider runs a second point. A resident of
the grid worker's grid has lunch ordered today at each point. Who may do what comes from
``linli/livelihood/meals/rules.py``: administrators everything; the operator their own point's
orders (404 for the other provider's); the grid worker sees the resident's orders (on the
person's page) but may neither serve nor cancel them (403); leaders the statistics; everyone
else is refused the pages and finds no order (404); B's administrator sees empty pages of B
and gets 404 for A's orders.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from linli.core import clock
from linli.core.access import Access
from linli.core.models import Membership, Organisation
from linli.core.roles import ADMINS, Role
from linli.livelihood.meals import services
from linli.livelihood.meals.models import MEAL_POINT, MealOrder
from linli.people import services as people
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import FacilityFactory, OrganisationFactory
from tests.people.helpers import resident_id

OPERATOR = Role.MEAL_OPERATOR
GRID = Role.GRID_WORKER
POINTS = ADMINS | {Role.LEADER, OPERATOR}
ORDERING = ADMINS | {OPERATOR}
STATISTICS = ADMINS | {Role.LEADER}
# The full numbers of the diner: no meals page may show them (tests/meals/test_pii_scan.py).
DINER_ID = resident_id(dt.date(1944, 2, 29), 41, female=True)
DINER_MOBILE = "13822223333"


def populate(world: World) -> None:
    a = world.a.subdistrict
    system = Access.system(a)
    provider = OrganisationFactory(
        subdistrict=a, kind=Organisation.Kind.PROVIDER, name="Meals provider A"
    )
    other = OrganisationFactory(subdistrict=a, kind=Organisation.Kind.PROVIDER, name="Other A")
    Membership.objects.filter(user=world.users[OPERATOR], subdistrict=a).update(
        organisation=provider
    )
    quarter = world.a.records["quarter"]
    points = {
        "own": FacilityFactory(
            subdistrict=a,
            category=MEAL_POINT,
            name="Canteen A",
            capacity=80,
            operator=provider,
            quarter=quarter,
        ),
        "other provider": FacilityFactory(
            subdistrict=a, category=MEAL_POINT, name="Canteen A2", capacity=80, operator=other
        ),
    }
    building = people.record_building(
        system, quarter=quarter, code="MEALS-1", number="9号楼", floors=6, built_year=1985
    )
    dwelling = people.record_dwelling(
        system, building=building, unit="1单元", number="101", floor=1, floor_area_m2="42.0"
    )
    diner = people.register_person(
        system,
        name="Diner A",
        on=dt.date(2024, 5, 1),
        resident_id=DINER_ID,
        mobile=DINER_MOBILE,
        dwelling=dwelling,
    )
    orders = {
        key: services.place_order(
            system,
            point=point,
            person=diner,
            day=clock.today(),
            meal=MealOrder.Meal.LUNCH if key == "own" else MealOrder.Meal.DINNER,
            mode=MealOrder.Mode.DELIVERY,
        )
        for key, point in points.items()
    }
    world.extra["meals"] = {"orders": orders, "diner": diner}


def order_url(name: str, key: str = "own"):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["meals"]["orders"][key].pk})

    return url


def handled(roles_ok, roles_refused=frozenset()) -> dict[str, int]:
    """A POST on an order: a redirect for ``roles_ok``, 403 for those who see the order but may
    not do it, 404 for everyone else signed in, B's administrator included."""
    table = statuses(roles_ok | roles_refused, 302, denied=404, other=404)
    return {**table, **{role: 403 for role in roles_refused}}


ENDPOINTS: list[Endpoint] = [
    Endpoint("meals:points", "GET", fixed("meals:points"), statuses(POINTS)),
    Endpoint("meals:day", "GET", fixed("meals:day"), statuses(POINTS)),
    Endpoint("meals:order", "GET", fixed("meals:order"), statuses(ORDERING)),
    Endpoint(
        "meals:order",
        "POST",
        fixed("meals:order"),
        statuses(ORDERING, 400),
        data=lambda w, who: {},
    ),
    Endpoint("meals:serve", "POST", order_url("meals:serve"), handled(ORDERING, {GRID})),
    Endpoint(
        "meals:serve",
        "POST",
        order_url("meals:serve", "other provider"),
        handled(ADMINS, {GRID}),
        kind="other provider",
    ),
    Endpoint("meals:cancel", "POST", order_url("meals:cancel"), handled(ORDERING, {GRID})),
    Endpoint(
        "meals:cancel",
        "POST",
        order_url("meals:cancel", "other provider"),
        handled(ADMINS, {GRID}),
        kind="other provider",
    ),
    Endpoint("meals:statistics", "GET", fixed("meals:statistics"), statuses(STATISTICS)),
    Endpoint("meals:export", "GET", fixed("meals:export"), statuses(STATISTICS)),
]
