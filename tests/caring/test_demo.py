"""The caring demo on the residents demo of two quarters: plans for the elders living alone,
most visited this month, some overdue, the volunteer's list, 老伙伴 groups and alerts."""

from __future__ import annotations

import pytest
from django_scopes import scope

from linli.cases.models import Case
from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.livelihood.caring import demo, statistics
from linli.livelihood.caring.models import Alert, CaringPlan, CaringVisit, CompanionGroup
from linli.people import demo as people_demo
from tests.factories import GridFactory, OrganisationFactory, QuarterFactory, SubdistrictFactory
from tests.people.test_demo import Context, Home

pytestmark = pytest.mark.django_db


def test_the_demo_has_plans_visits_groups_and_alerts(make_user):
    sub = SubdistrictFactory(code="310106901")
    grid = GridFactory(subdistrict=sub)
    committee = OrganisationFactory(subdistrict=sub, kind=Organisation.Kind.COMMITTEE)
    for code in ("Q1", "Q2"):
        QuarterFactory(
            subdistrict=sub,
            code=code,
            grid=grid,
            committee=committee,
            population=1500,
            over_60=500,
        )
    volunteer = make_user(Role.VOLUNTEER, sub, username="volunteer", organisation=committee)
    ctx = Context(sub, Home())
    with scope(subdistrict=sub):
        people_demo.load(ctx)
        written = demo.load(ctx)
        plans = CaringPlan.objects.count()
        assert written > plans > 50
        admin = Access.system(sub)
        (total,) = statistics.coverage(admin, clock.today())
        assert total.due == plans
        assert 0.75 * plans < total.done < plans  # most visited this month, some overdue
        assert statistics.overdue_count(admin, clock.today()) > 0
        mine = CaringPlan.objects.visible_to(Access.for_user(volunteer, sub))
        assert 0 < mine.count() <= demo.VOLUNTEER_LIST
        assert CompanionGroup.objects.count() >= 1
        assert Alert.objects.count() == 2
        assert CaringVisit.objects.filter(case__isnull=False).count() == 1
        assert Case.objects.filter(lead_organisation=committee).count() == 3
        assert demo.STEPS[0].loaded(ctx)
