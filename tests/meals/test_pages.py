"""The meals pages as their users see them: the operator's phone list, ordering through the
page, the statistics and their export, the person's timeline, another sub-district."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope
from openpyxl import load_workbook

from linli.core.roles import Role
from linli.livelihood.meals import services
from linli.livelihood.meals.models import MealOrder
from tests.meals.helpers import MOBILE, TODAY, build_meals

LUNCH, DINNER = MealOrder.Meal.LUNCH, MealOrder.Meal.DINNER


@pytest.fixture
def ordered(meals, access):
    """Today: three lunches at the provider's point (one delivered), one at the other's."""
    committee = access["committee"]

    def place(key, point, meal=LUNCH, mode=MealOrder.Mode.DINE_IN):
        return services.place_order(
            committee, point=point, person=meals.persons[key], day=TODAY, meal=meal, mode=mode
        )

    return {
        "hardship": place("hardship", meals.point, mode=MealOrder.Mode.DELIVERY),
        "aged_65": place("aged_65", meals.point),
        "aged_92": place("aged_92", meals.point, meal=DINNER),
        "other": place("aged_85", meals.other_point),
    }


def test_the_operator_sees_names_and_meals_of_their_points_only(meals, users, ordered, client_for):
    client = client_for(users["operator"])
    page = client.get(reverse("meals:day")).content.decode()
    for key in ("hardship", "aged_65", "aged_92"):
        assert f'data-key="{ordered[key].pk}"' in page
        assert meals.persons[key].name in page
    assert f'data-key="{ordered["other"].pk}"' not in page
    assert "Other canteen A" not in page and "Aged 85 A" not in page
    assert "Deliver to" in page  # the delivery's address, which the operator needs
    # No hardship status, subsidy, ID or mobile number, masked or not.
    for hidden in ("minimum", "Minimum", "subsidy", "Subsidy", MOBILE, MOBILE[-4:], "****"):
        assert hidden not in page
    # The points list shows their own point only, with today's figures.
    points = client.get(reverse("meals:points")).content.decode()
    assert "Canteen A" in points and "Other canteen A" not in points


def test_the_operator_marks_a_meal_served_from_the_phone_page(meals, users, ordered, client_for):
    client = client_for(users["operator"])
    order = ordered["aged_65"]
    response = client.post(reverse("meals:serve", args=[order.pk]), {"next": reverse("meals:day")})
    assert response.status_code == 302 and response.url == reverse("meals:day")
    with scope(subdistrict=meals.subdistrict):
        order.refresh_from_db()
    assert order.status == MealOrder.Status.SERVED
    page = client.get(reverse("meals:day")).content.decode()
    assert "3 meals, 1 served" in page
    # Another provider's order does not exist for them.
    other = client.post(reverse("meals:serve", args=[ordered["other"].pk]))
    assert other.status_code == 404


def test_committee_staff_order_through_the_page_and_see_the_subsidy(meals, users, client_for):
    client = client_for(users["committee"])
    found = client.get(reverse("meals:order"), {"q": "Aged 75"}).content.decode()
    person = meals.persons["aged_75"]
    assert f'data-key="{person.pk}"' in found
    url = reverse("meals:order") + f"?person={person.pk}"
    data = {"point": meals.point.pk, "day": TODAY.isoformat(), "meal": LUNCH, "mode": "dine_in"}
    response = client.post(url, data)
    assert response.status_code == 302
    with scope(subdistrict=meals.subdistrict):
        placed = MealOrder.objects.get(person=person)
    assert placed.subsidy == 2
    page = client.get(response.url).content.decode()
    assert "Price 15.00 yuan, subsidy 2.00 yuan" in page


def test_a_full_point_is_refused_on_the_page_with_the_reason(meals, users, ordered, client_for):
    client = client_for(users["committee"])
    person = meals.persons["aged_75"]
    url = reverse("meals:order") + f"?person={person.pk}"
    data = {"point": meals.point.pk, "day": TODAY.isoformat(), "meal": DINNER, "mode": "dine_in"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "is full on" in response.content.decode()


def test_statistics_and_their_export(meals, users, ordered, access, client_for):
    services.serve_order(access["operator"], ordered["hardship"])
    services.serve_order(access["operator"], ordered["aged_65"])
    client = client_for(users["leader"])
    points = client.get(reverse("meals:points")).content.decode()
    assert "Today: 4 of 53 meals ordered, 2 served." in points
    page = client.get(reverse("meals:statistics"), {"month": "2026-03"}).content.decode()
    assert "Canteen A" in page
    response = client.get(reverse("meals:export"), {"month": "2026-03"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [tuple(v for v in row if v is not None) for row in sheet.values]
    # Above the tables: what the figures are, where, for which month, when computed.
    assert rows[0] == ("Meal statistics", str(access["leader"].subdistrict))
    assert rows[1] == ("Filters", "Month: 2026-03") and rows[3] == ()
    days = rows[rows.index(("Meals per point and day",)) + 2 :]
    assert days == [
        ("2026-03-02", "Canteen A", 3, 3, 2, 1),
        ("2026-03-02", "Other canteen A", 50, 1, 0, 0),
    ]
    # Served: the hardship diner (2 + 4) and the 65-year-old (1), as the page shows.
    assert ("2026-03", "Canteen A", 2, 2, 7.0, 23.0) in rows
    assert '<td>Canteen A</td><td class="num">2</td><td class="num">2</td>' in page


def test_the_person_page_shows_their_meals(meals, users, ordered, client_for):
    client = client_for(users["committee"])
    page = client.get(reverse("people:person", args=[meals.persons["hardship"].pk]))
    assert "Lunch at Canteen A, Delivery: Ordered" in page.content.decode()


def test_pages_render_in_chinese(meals, users, ordered, client_for):
    with translation.override("zh-hans"):
        for who, name in (
            ("operator", "meals:day"),
            ("committee", "meals:order"),
            ("leader", "meals:statistics"),
            ("admin", "meals:points"),
        ):
            response = client_for(users[who]).get(
                reverse(name), headers={"Accept-Language": "zh-hans"}
            )
            assert response.status_code == 200


def test_another_subdistrict_gets_404_for_orders_and_sees_none(
    meals, ordered, other_subdistrict, make_user, client_for
):
    build_meals(other_subdistrict, "B")
    admin_b = client_for(make_user(Role.SUBDISTRICT_ADMIN, other_subdistrict))
    for name in ("meals:serve", "meals:cancel"):
        assert admin_b.post(reverse(name, args=[ordered["aged_65"].pk])).status_code == 404
    page = admin_b.get(reverse("meals:day")).content.decode()
    assert "Canteen A" not in page
    assert "Aged 65 A" not in page
    assert (
        admin_b.get(reverse("meals:order") + f"?person={meals.persons['aged_65'].pk}").status_code
        == 404
    )


def test_a_day_without_orders_says_so(meals, users, ordered, client_for):
    client = client_for(users["admin"])
    page = client.get(reverse("meals:day"), {"day": (TODAY + dt.timedelta(1)).isoformat()})
    assert "No meals ordered for this day." in page.content.decode()
