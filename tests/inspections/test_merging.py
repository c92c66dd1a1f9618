"""Merging plans into joint visits: same enterprise and period → one visit; outside → apart;
merging again changes nothing; a cancelled plan leaves its visit; the month rule."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope

from linli.core.access import Access
from linli.enterprise.inspections import services
from linli.enterprise.inspections.models import InspectionPlan, JointVisit
from tests.inspections.conftest import day

pytestmark = pytest.mark.django_db


def test_three_departments_in_the_same_period_share_one_visit(town, plan_for, subdistrict):
    with scope(subdistrict=subdistrict):
        first = plan_for(0, day(3, 2), day(3, 20))
        plan_for(1, day(3, 10), day(3, 31))
        plan_for(2, day(3, 1), day(3, 15))
        fourth = plan_for(3, day(5, 4), day(5, 15))
        visits = list(JointVisit.objects.order_by("scheduled_on"))
        joint = visits[0]
        departments = {p.department.name for p in joint.plans.all()}
        alone = visits[1].plans.count()
    assert len(visits) == 2
    assert departments == {"Market regulation", "Fire safety", "Environment"}
    assert (joint.window_start, joint.window_end) == (day(3, 10), day(3, 15))
    assert day(3, 10) <= joint.scheduled_on <= day(3, 15)
    assert first.joint_visit == joint
    assert fourth.joint_visit == visits[1] and alone == 1
    assert visits[1].scheduled_on == day(5, 6)  # 1–5 May is the Labour Day holiday


def test_merging_again_merges_nothing_twice(town, plan_for, subdistrict, client_for):
    with scope(subdistrict=subdistrict):
        for i in range(3):
            plan_for(i, day(3, 2), day(3, 20))
        report = services.merge_plans(actor=Access.for_user(town.leader, subdistrict))
        assert (report.plans_merged, report.visits_created) == (0, 0)
    response = client_for(town.leader).post(reverse("inspections:merge"), follow=True)
    assert "0 plans merged, 0 new visits." in response.content.decode()
    with scope(subdistrict=subdistrict):
        assert JointVisit.objects.count() == 1


def test_plans_entered_before_merging_are_merged_on_demand(town, subdistrict):
    """Plans written without the verb (an import, say) wait until the coordinator merges."""
    with scope(subdistrict=subdistrict):
        for i, (start, end) in enumerate(
            [(day(3, 2), day(3, 20)), (day(3, 5), day(3, 9)), (day(3, 8), day(3, 31))]
        ):
            InspectionPlan.objects.create(
                subdistrict=subdistrict,
                enterprise=town.firm,
                department=town.departments[i],
                subject="Imported",
                window_start=start,
                window_end=end,
            )
        InspectionPlan.objects.create(
            subdistrict=subdistrict,
            enterprise=town.firm,
            department=town.departments[3],
            subject="Imported",
            window_start=day(4, 1),
            window_end=day(4, 30),
        )
        leader = Access.for_user(town.leader, subdistrict)
        report = services.merge_plans(actor=leader)
        again = services.merge_plans(actor=leader)
        sizes = sorted(v.plans.count() for v in JointVisit.objects.all())
    assert (report.plans_merged, report.visits_created) == (4, 2)
    assert (again.plans_merged, again.visits_created) == (0, 0)
    assert sizes == [1, 3]


def test_only_coordinators_merge(town, client_for):
    assert client_for(town.handlers[0]).post(reverse("inspections:merge")).status_code == 403


def test_different_enterprises_are_never_merged(town, plan_for, subdistrict):
    with scope(subdistrict=subdistrict):
        plan_for(0, day(3, 2), day(3, 20))
        plan_for(1, day(3, 2), day(3, 20), firm=town.other_firm)
        assert JointVisit.objects.count() == 2


def test_a_cancelled_plan_leaves_its_visit(town, plan_for, subdistrict):
    with scope(subdistrict=subdistrict):
        plan_for(0, day(3, 2), day(3, 20))
        plan_for(1, day(3, 10), day(3, 31))
        narrow = plan_for(2, day(3, 1), day(3, 12))
        visit = narrow.joint_visit
        assert (visit.window_start, visit.window_end) == (day(3, 10), day(3, 12))
        services.cancel_plan(narrow, actor=Access.for_user(town.handlers[2], subdistrict))
        visit.refresh_from_db()
        narrow.refresh_from_db()
        assert narrow.joint_visit is None and narrow.status == InspectionPlan.Status.CANCELLED
        assert visit.plans.count() == 2
        assert (visit.window_start, visit.window_end) == (day(3, 10), day(3, 20))
        for plan in list(visit.plans.all()):
            services.cancel_plan(plan, actor=Access.for_user(town.leader, subdistrict))
        visit.refresh_from_db()
        assert visit.status == JointVisit.Status.CANCELLED
        # Re-merging does not bring the cancelled plans back.
        services.merge_plans(actor=Access.for_user(town.leader, subdistrict))
        assert JointVisit.objects.exclude(status=JointVisit.Status.CANCELLED).count() == 0


def test_the_month_rule_merges_plans_of_the_same_month(town, plan_for, subdistrict, settings):
    settings.INSPECTION_MERGE_RULE = "month"
    with scope(subdistrict=subdistrict):
        plan_for(0, day(3, 2), day(3, 5))
        plan_for(1, day(3, 20), day(3, 25))
        plan_for(2, day(4, 1), day(4, 3))
        visits = list(JointVisit.objects.order_by("window_start"))
        sizes = [v.plans.count() for v in visits]
    assert sizes == [2, 1]
    assert visits[0].window_start.month == visits[0].window_end.month == 3


def test_the_overlap_rule_keeps_disjoint_windows_apart(town, plan_for, subdistrict):
    with scope(subdistrict=subdistrict):
        plan_for(0, day(3, 2), day(3, 5))
        plan_for(1, day(3, 20), day(3, 25))
        assert JointVisit.objects.count() == 2
