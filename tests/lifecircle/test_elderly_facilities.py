"""Meal points and elderly service centres in the life circle, counted by the real elders.

On the street of ``tests/lifecircle/helpers.py`` with West Lane settled as in
``test_homes.py`` (building A at x=150 with two residents over 60 today, building B at x=700 with
one), a meal point at x=200 reaches 240 m for the elderly (300 m at 0.8 m/s): building A only.
An elderly service centre at x=1000 reaches 800 m: everyone but building A. A care home,
which has no standard, is on the map and counted nowhere.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core.roles import Role
from linli.lifecircle import analysis
from linli.lifecircle.engine.standards import standards_by_key
from linli.registry.models import Facility
from tests.factories import FacilityFactory
from tests.lifecircle.helpers import build_street, lonlat
from tests.lifecircle.test_homes import on_today, settle_west_lane  # noqa: F401 - a fixture

Category = Facility.Category


def test_the_standards_for_elderly_facilities() -> None:
    standards = standards_by_key()
    meal, centre = standards["meal_point"], standards["elderly_service_centre"]
    assert (meal.tier_minutes, meal.threshold_m, meal.group, meal.weight) == (
        5,
        300.0,
        "elderly",
        "over_60",
    )
    assert (centre.tier_minutes, centre.weight) == (15, "over_60")
    assert "15分钟社区生活圈" in meal.source
    assert "care_home" not in standards


@pytest.fixture
def street(subdistrict):
    built = build_street(subdistrict)
    with scopes_disabled():
        for code, category, x in (
            ("LCM", Category.MEAL_POINT, 200),
            ("LCE", Category.ELDERLY_SERVICE_CENTRE, 1000),
            ("LCH", Category.CARE_HOME, 500),
        ):
            FacilityFactory(
                subdistrict=subdistrict,
                code=code,
                name=f"{category} {x}",
                category=category,
                entrances=[lonlat(x)],
                capacity=120,
            )
    return built


def by_name(summary: dict) -> dict:
    return {r["quarter"].name: r for r in summary["quarters"]}


def test_meal_point_coverage_counts_the_real_elders(subdistrict, street, on_today):  # noqa: F811
    settle_west_lane(subdistrict, street)
    with scope(subdistrict=subdistrict):
        result = analysis.get_analysis(subdistrict)
        assert "care_home" not in result.types
        meals = analysis.type_coverage(result, "meal_point")
        centre = analysis.type_coverage(result, "elderly_service_centre")
    west = by_name(meals)["West Lane"]
    assert west["homes"] == "dwellings"
    # Three residents over 60 live in West Lane (not its recorded 40); the two of building A
    # are 50 m from the meal point, the one of building B 500 m away.
    assert (west["total"], west["covered"]) == (3, 2)
    # Middle Yard (250 m) and East Court are beyond the elderly's 240 m; weighted by over-60s.
    assert (meals["total"], meals["covered"]) == (163, 2)
    assert (centre["total"], centre["covered"]) == (163, 161)


def test_life_circle_pages_work_with_elderly_facilities(subdistrict, street, make_user):
    client = Client()
    client.force_login(make_user(Role.SUBDISTRICT_ADMIN, subdistrict))
    for url in (
        reverse("lifecircle:map") + "?type=meal_point",
        reverse("lifecircle:report"),
        reverse("api:lifecircle_coverage") + "?type=elderly_service_centre",
    ):
        assert client.get(url).status_code == 200, url
