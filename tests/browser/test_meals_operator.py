"""The meal-point operator's phone page (390×844): today's orders at their points
as cards, one tapped *served*, the count following; no other provider's order, no number; no
serious axe-core finding and nothing wider than the screen."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from linli.core import clock
from linli.core.access import Access
from linli.core.roles import Role
from linli.livelihood.meals import services
from linli.livelihood.meals.models import MealOrder
from tests.browser.session import PHONE, serious_violations, sign_in
from tests.factories import MembershipFactory, SubdistrictFactory, UserFactory
from tests.meals.helpers import MOBILE, build_meals

pytestmark = [pytest.mark.browser]


@pytest.fixture
def kitchen(transactional_db):
    with scopes_disabled():
        street = SubdistrictFactory(code="310106021", name="静安示范街道")
    meals = build_meals(street)
    system = Access.system(street)
    with scope(subdistrict=street):
        for key, point, mode in (
            ("aged_75", meals.point, MealOrder.Mode.DINE_IN),
            ("aged_92", meals.point, MealOrder.Mode.DELIVERY),
            ("aged_85", meals.other_point, MealOrder.Mode.DINE_IN),
        ):
            services.place_order(
                system,
                point=point,
                person=meals.persons[key],
                day=clock.today(),
                meal=MealOrder.Meal.LUNCH,
                mode=mode,
            )
    with scopes_disabled():
        operator = UserFactory(username="canteen-operator")
        MembershipFactory(
            user=operator, subdistrict=street, role=Role.MEAL_OPERATOR, organisation=meals.provider
        )
    return meals


def test_the_operator_serves_from_the_phone(kitchen, browser, live_server):
    base = live_server.url
    page = sign_in(browser, base, "canteen-operator", viewport=PHONE, language="en")
    page.goto(base + reverse("meals:day"))
    cards = page.locator("li.card")
    expect(cards).to_have_count(2)
    text = page.locator("main").inner_text()
    assert "Aged 75 A" in text and "Aged 92 A" in text and "Aged 85 A" not in text
    assert "Deliver to" in text  # the delivery's address
    assert MOBILE[-4:] not in text and "subsidy" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(page) == []
    with page.expect_navigation():
        cards.filter(has_text="Aged 75 A").get_by_role("button", name="Served").click()
    expect(page.locator("p.count")).to_contain_text("2 meals, 1 served")
    # Served: nothing left to tap on that card, while the delivery still waits.
    expect(cards.filter(has_text="Aged 75 A").get_by_role("button")).to_have_count(0)
    expect(cards.filter(has_text="Aged 92 A").get_by_role("button", name="Served")).to_be_visible()
