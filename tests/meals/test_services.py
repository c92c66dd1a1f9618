"""Ordering meals: subsidy by age band, hardship and actual residence, the rule versions an
order keeps, capacity, serving and cancelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.core.services import set_parameter
from linli.livelihood.meals import services
from linli.livelihood.meals.models import MealOrder
from tests.meals.helpers import TODAY

LUNCH, DINNER = MealOrder.Meal.LUNCH, MealOrder.Meal.DINNER
DINE_IN, DELIVERY = MealOrder.Mode.DINE_IN, MealOrder.Mode.DELIVERY


def order(actor, meals, key, *, day=TODAY, meal=LUNCH, mode=DINE_IN, point=None):
    return services.place_order(
        actor,
        point=point or meals.other_point,
        person=meals.persons[key],
        day=day,
        meal=meal,
        mode=mode,
    )


@pytest.mark.parametrize(
    ("key", "band", "subsidy"),
    [
        ("aged_50", None, "0"),
        ("aged_65", 60, "1.00"),
        ("aged_75", 70, "2.00"),
        ("aged_85", 80, "3.00"),
        ("aged_92", 90, "5.00"),
    ],
)
def test_the_subsidy_follows_the_age_band(meals, access, key, band, subsidy):
    placed = order(access["committee"], meals, key)
    assert placed.age_band == band
    assert placed.subsidy == Decimal(subsidy)
    assert placed.price == Decimal("15.00")
    assert placed.payable == Decimal("15.00") - Decimal(subsidy)


def test_a_hardship_status_adds_its_supplement(meals, access):
    placed = order(access["committee"], meals, "hardship")
    assert (placed.age_band, placed.hardship) == (70, "minimum_living")
    assert placed.subsidy == Decimal("6.00")  # 2 for 70–79, 4 on the minimum living allowance
    assert set(placed.rule_versions) == {
        "meals.price",
        "meals.subsidy_age_70",
        "meals.subsidy_minimum_living",
    }


def test_residents_living_here_but_registered_elsewhere_are_served_and_subsidised(meals, access):
    placed = order(access["committee"], meals, "separated", mode=DELIVERY)
    assert placed.lives_here and placed.subsidy == Decimal("2.00")
    assert placed.deliver_to == meals.persons["separated"].dwelling


def test_a_person_registered_here_but_living_elsewhere_is_not_subsidised(meals, access):
    placed = order(access["admin"], meals, "elsewhere")
    assert not placed.lives_here
    assert placed.subsidy == 0 and placed.age_band is None
    with pytest.raises(ValidationError) as refused:
        order(access["admin"], meals, "elsewhere", meal=DINNER, mode=DELIVERY)
    assert "delivered only to a home in this sub-district" in str(refused.value)


def test_a_future_change_of_the_subsidy_leaves_earlier_orders_alone(meals, access):
    later = TODAY + dt.timedelta(days=14)
    before = order(access["committee"], meals, "aged_75")
    version = set_parameter(
        access["admin"],
        key="meals.subsidy_age_70",
        value="3.50",
        effective_from=later,
        source="区民政局 2026 年助餐补贴通知",
    )
    on_the_eve = order(access["committee"], meals, "aged_75", day=later - dt.timedelta(days=1))
    after = order(access["committee"], meals, "aged_75", day=later)
    before.refresh_from_db()
    assert before.subsidy == on_the_eve.subsidy == Decimal("2.00")
    assert before.rule_versions["meals.subsidy_age_70"] is None  # the declared default
    assert after.subsidy == Decimal("3.50")
    assert after.rule_versions["meals.subsidy_age_70"] == version.pk


def test_an_order_over_the_capacity_is_refused_with_the_figures(meals, access):
    for key in ("aged_65", "aged_75"):
        order(access["committee"], meals, key, point=meals.point)
    order(access["committee"], meals, "aged_85", point=meals.point, meal=DINNER)
    with pytest.raises(ValidationError) as refused:
        order(access["committee"], meals, "aged_92", point=meals.point)
    assert refused.value.message_dict["point"] == [
        "Canteen A is full on 03/02/2026: 3 of 3 meals are ordered. Choose another point or day."
    ]
    assert MealOrder.objects.filter(point=meals.point).count() == 3
    # Another day, or after a cancellation, there is room again.
    order(access["committee"], meals, "aged_92", point=meals.point, day=TODAY + dt.timedelta(1))
    first = MealOrder.objects.filter(point=meals.point, day=TODAY).first()
    services.cancel_order(access["committee"], first)
    order(access["committee"], meals, "aged_92", point=meals.point)


def test_one_meal_a_person_a_day_and_not_in_the_past(meals, access):
    order(access["committee"], meals, "aged_75")
    with pytest.raises(ValidationError, match="already has this meal"):
        order(access["committee"], meals, "aged_75")
    with pytest.raises(ValidationError, match="today or a later day"):
        order(access["committee"], meals, "aged_65", day=TODAY - dt.timedelta(days=1))


def test_the_operator_serves_at_their_own_points_only(meals, access):
    mine = order(access["committee"], meals, "aged_75", point=meals.point)
    theirs = order(access["committee"], meals, "aged_85", point=meals.other_point)
    served = services.serve_order(access["operator"], mine)
    assert served.status == MealOrder.Status.SERVED and served.served_at is not None
    with pytest.raises(PermissionDenied):
        services.serve_order(access["operator"], theirs)
    with pytest.raises(PermissionDenied):
        services.serve_order(access["committee"], theirs)
    with pytest.raises(ValidationError):
        services.serve_order(access["operator"], served)


def test_the_operator_orders_for_their_diners_only(meals, access):
    operator = access["operator"]
    with pytest.raises(Http404):  # nobody has eaten at the point yet
        order(operator, meals, "aged_75", point=meals.point)
    order(access["committee"], meals, "aged_75", point=meals.point)
    again = order(operator, meals, "aged_75", point=meals.point, day=TODAY + dt.timedelta(1))
    assert again.ordered_by == operator.user
    with pytest.raises(Http404):  # not their point
        order(operator, meals, "aged_75", point=meals.other_point, meal=DINNER)


def test_staff_without_a_committee_cannot_order(meals, access):
    for who in ("leader", "grid2", "caregiver"):
        with pytest.raises(PermissionDenied):
            order(access[who], meals, "aged_75")
