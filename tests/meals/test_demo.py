"""The meals demo: four points of the meals provider, a month of orders that never exceed a
point's capacity, subsidies as the parameters say, the same on every load."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django_scopes import scope

from linli.core import clock
from linli.core.models import Organisation
from linli.livelihood.meals import demo
from linli.livelihood.meals.models import MealOrder
from linli.registry.demo.organisations import MEALS_PROVIDER
from linli.registry.models import Facility
from tests.factories import OrganisationFactory
from tests.people.test_demo import loaded as residents_loaded

pytestmark = pytest.mark.django_db


def load(code: str):
    ctx, _persons = residents_loaded(code)
    OrganisationFactory(
        subdistrict=ctx.subdistrict, code=MEALS_PROVIDER, kind=Organisation.Kind.PROVIDER
    )
    with scope(subdistrict=ctx.subdistrict):
        demo.load(ctx)
        points = list(Facility.objects.filter(category="meal_point").order_by("code"))
        orders = list(MealOrder.objects.select_related("person").order_by("pk"))
    return ctx, points, orders


def test_four_points_and_a_month_of_orders_within_capacity() -> None:
    ctx, points, orders = load("310106901")
    assert [p.capacity for p in points] == [200, 120, 100, 150]
    assert {p.operator.code for p in points} == {MEALS_PROVIDER}
    today = clock.today()
    days = {o.day for o in orders}
    assert min(days) == today - dt.timedelta(days=demo.DAYS) and max(days) == today
    per_point_day = Counter((o.point_id, o.day) for o in orders)
    capacity = {p.pk: p.capacity for p in points}
    assert all(n <= capacity[point] for (point, _day), n in per_point_day.items())
    statuses = Counter(o.status for o in orders if o.day < today)
    assert statuses[MealOrder.Status.SERVED] > 10 * statuses[MealOrder.Status.CANCELLED]
    assert {o.status for o in orders if o.day == today} == {MealOrder.Status.ORDERED}
    for o in orders:
        assert o.person.age_on(o.day) >= o.age_band >= 60
        expected = {60: "1.00", 70: "2.00", 80: "3.00", 90: "5.00"}[o.age_band]
        assert o.subsidy == Decimal(expected) and o.price == Decimal("15.00")
        assert (o.deliver_to_id is not None) == (o.mode == MealOrder.Mode.DELIVERY)


def test_the_same_on_every_load() -> None:
    _, _, first = load("310106902")
    _, _, second = load("310106903")
    assert [(o.day, o.meal, o.mode, o.status, o.subsidy) for o in first] == [
        (o.day, o.meal, o.mode, o.status, o.subsidy) for o in second
    ]
