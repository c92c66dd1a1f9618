"""A year of food-safety inspections generated into the joint-inspection planner: as many as
each grade's maximum (D for elderly and school catering and central kitchens), spread over the
year, merged with another department's plan, idempotent, and explained by the parameter
version in force on 1 January of that year."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from linli.core.access import Access
from linli.core.services import set_parameter
from linli.enterprise.inspections import services as inspections
from linli.enterprise.inspections.models import InspectionPlan, JointVisit
from linli.governance.foodsafety import services
from linli.governance.foodsafety.models import Establishment, ScheduledInspection

pytestmark = pytest.mark.django_db

# The most of each grade's range: A 1, B 2, C 3, D 4; the last three kinds always count as D.
EXPECTED = {
    "Noodle A": 1,
    "Bistro B": 2,
    "Canteen C": 3,
    "Grill D": 4,
    "Elders' meals": 4,
    "School lunches": 4,
    "Central kitchen": 4,
}


def planned_per_establishment(year: int) -> dict[str, int]:
    rows = ScheduledInspection.objects.filter(year=year, plan__status="planned")
    return dict(Counter(rows.values_list("establishment__enterprise__name", flat=True)))


def test_a_year_of_inspections_follows_the_grades(food, subdistrict):
    with scope(subdistrict=subdistrict):
        report = services.generate_inspections(food.access, year=2026, department=food.market)
        assert planned_per_establishment(2026) == EXPECTED
        assert report.planned == sum(EXPECTED.values())
        grill = food.establishments["Grill D"]
        windows = [
            (p.window_start, p.window_end)
            for p in InspectionPlan.objects.filter(enterprise=grill.enterprise).order_by(
                "window_start"
            )
        ]
        plans = InspectionPlan.objects.filter(food_inspection__isnull=False)
        departments = set(plans.values_list("department__code", flat=True))
        merged = plans.filter(joint_visit__isnull=True).count()
    # One whole month in each quarter, all inside the year.
    assert [start.month - 1 for start, _end in windows] == [q * 3 + grill.pk % 3 for q in range(4)]
    assert all(start.day == 1 and end.month == start.month for start, end in windows)
    assert departments == {"SCJG"}
    assert merged == 0  # every plan sits in a joint visit, as the planner's own plans do


def test_the_inspection_merges_with_another_departments_visit(food, subdistrict):
    canteen = food.establishments["Canteen C"]
    with scope(subdistrict=subdistrict):
        services.generate_inspections(food.access, year=2026, department=food.market)
        first = ScheduledInspection.objects.get(establishment=canteen, year=2026, slot=1)
        start = first.plan.window_start
        fire_plan = inspections.plan_inspection(
            actor=Access.for_user(food.firefighter, subdistrict),
            enterprise=canteen.enterprise,
            department=food.fire,
            subject="Fire exits",
            window_start=start + dt.timedelta(days=5),
            window_end=start + dt.timedelta(days=40),
        )
        first.plan.refresh_from_db()
        visit = JointVisit.objects.get(pk=fire_plan.joint_visit_id)
        departments = set(visit.plans.values_list("department__code", flat=True))
    assert fire_plan.joint_visit_id == first.plan.joint_visit_id
    assert departments == {"SCJG", "XFZ"}
    assert visit.window_start == start + dt.timedelta(days=5)


def test_generating_again_adds_nothing_already_planned(food, subdistrict):
    with scope(subdistrict=subdistrict):
        services.generate_inspections(food.access, year=2026, department=food.market)
        again = services.generate_inspections(food.access, year=2026, department=food.market)
        assert (again.planned, again.already_planned) == (0, sum(EXPECTED.values()))
        assert InspectionPlan.objects.count() == sum(EXPECTED.values())
        # A higher grade asks more: a re-run adds just the difference.
        services.grade_establishment(
            food.establishments["Noodle A"],
            actor=food.access,
            grade="C",
            graded_on=dt.date(2026, 2, 20),
            reason="Complaints",
        )
        more = services.generate_inspections(food.access, year=2026, department=food.market)
        assert more.planned == 2
        assert planned_per_establishment(2026)["Noodle A"] == 3
        history = list(
            food.establishments["Noodle A"].gradings.order_by("graded_on").values_list("grade")
        )
    assert history == [("A",), ("C",)]


def test_a_future_dated_change_leaves_the_earlier_year_alone(food, subdistrict):
    admin_ = Access.system(subdistrict)
    with scope(subdistrict=subdistrict):
        version = set_parameter(
            admin_,
            key="foodsafety.inspections_d_max",
            value=3,
            effective_from=dt.date(2027, 1, 1),
            source="District notice 2026/12",
        )
        services.generate_inspections(food.access, year=2026, department=food.market)
        services.generate_inspections(food.access, year=2027, department=food.market)
        this_year = planned_per_establishment(2026)
        next_year = planned_per_establishment(2027)
        used = set(
            ScheduledInspection.objects.filter(year=2027, grade="D").values_list(
                "parameter_version", flat=True
            )
        )
        before = set(
            ScheduledInspection.objects.filter(year=2026, grade="D").values_list(
                "parameter_version", flat=True
            )
        )
    assert this_year["Grill D"] == 4 and this_year["School lunches"] == 4
    assert next_year["Grill D"] == 3 and next_year["School lunches"] == 3
    assert next_year["Bistro B"] == 2
    assert used == {version.pk} and before == {None}


def test_only_a_department_the_actor_plans_for(food, subdistrict):
    with scope(subdistrict=subdistrict):
        with pytest.raises(PermissionDenied):
            services.generate_inspections(food.access, year=2026, department=food.fire)
        with pytest.raises(ValidationError) as refused:
            services.generate_inspections(food.access, year=2062, department=food.market)
        assert "year" in refused.value.message_dict
        assert not ScheduledInspection.objects.exists()


def test_an_expired_licence_gets_no_inspections(food, subdistrict):
    with scope(subdistrict=subdistrict):
        Establishment.objects.filter(pk=food.establishments["Grill D"].pk).update(
            licence_valid_until=dt.date(2025, 12, 31)
        )
        services.generate_inspections(food.access, year=2026, department=food.market)
        assert "Grill D" not in planned_per_establishment(2026)
