"""Plans, the visit log, concerns and alerts becoming cases, extreme weather."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.cases.models import Case, Stage, State
from linli.core import services as core_services
from linli.core.access import Access
from linli.livelihood.caring import planning, services, weather
from linli.livelihood.caring.models import Alert, CaringPlan, CaringVisit
from tests.caring.helpers import TODAY

pytestmark = pytest.mark.django_db


def test_the_month_plans_everyone_entitled_once(hood, access):
    assert planning.plan_everyone(access["admin"], TODAY) == 2
    assert planning.plan_everyone(access["admin"], TODAY) == 0
    plan = CaringPlan.objects.get(person=hood.persons[0])
    assert plan.reason == CaringPlan.Reason.LIVING_ALONE
    assert plan.next_due_on == TODAY + dt.timedelta(days=30)


def test_committee_staff_plan_only_their_quarters(hood, access):
    # The committee runs the first quarter; the second quarter's elder is not theirs.
    assert planning.plan_everyone(access["committee"], TODAY) == 1
    assert CaringPlan.objects.get().person == hood.persons[0]


def test_a_younger_person_or_one_not_alone_has_no_plan(hood, access):
    from linli.people import services as people

    younger = people.register_person(
        Access.system(hood.subdistrict),
        name="Young",
        on=TODAY,
        dwelling=hood.dwellings[0],
    )
    assert younger not in planning.entitled(TODAY)
    assert hood.persons[0] in planning.entitled(TODAY)


def _plan(hood, access, who="volunteer", person=0):
    return services.create_plan(
        access["committee"] if person == 0 else access["admin"],
        person=hood.persons[person],
        reason=CaringPlan.Reason.LIVING_ALONE,
        visitor=access[who].user,
    )


def test_a_visit_seen_well_moves_the_due_date(hood, access):
    plan = _plan(hood, access)
    services.log_visit(access["volunteer"], plan, outcome=CaringVisit.Outcome.SEEN_WELL)
    plan.refresh_from_db()
    assert plan.last_visited_on == TODAY
    assert plan.next_due_on == TODAY + dt.timedelta(days=30)


def test_a_concern_opens_a_case_for_the_committee_in_one_step(hood, access):
    plan = _plan(hood, access)
    visit = services.log_visit(
        access["volunteer"], plan, outcome=CaringVisit.Outcome.CONCERN, note="No heating, cold flat"
    )
    case = Case.objects.get(pk=visit.case_id)
    assert case.state == State.DISPATCHED
    assert case.lead_organisation == hood.committee
    assert case.reporter == access["volunteer"].user
    assert case.category.code == "caring-concern"


def test_a_concern_needs_a_note_and_nothing_is_half_written(hood, access):
    plan = _plan(hood, access)
    with pytest.raises(ValidationError) as caught:
        services.log_visit(access["volunteer"], plan, outcome=CaringVisit.Outcome.CONCERN)
    assert "note" in caught.value.message_dict
    assert not CaringVisit.objects.exists() and not Case.objects.exists()


def test_a_visitor_logs_only_for_the_people_assigned_to_them(hood, access):
    plan = _plan(hood, access)
    with pytest.raises(PermissionDenied):
        services.log_visit(access["volunteer2"], plan, outcome=CaringVisit.Outcome.SEEN_WELL)


def test_a_visitor_sees_only_the_people_assigned_to_them(hood, access):
    mine = _plan(hood, access)
    _plan(hood, access, who="volunteer2", person=1)
    assert list(CaringPlan.objects.visible_to(access["volunteer"])) == [mine]
    assert CaringPlan.objects.visible_to(access["handler"]).count() == 0
    assert CaringPlan.objects.visible_to(access["committee"]).count() == 1
    assert CaringPlan.objects.visible_to(access["admin"]).count() == 2


def test_not_reached_twice_opens_an_urgent_case_with_one_working_hour(hood, access):
    plan = _plan(hood, access)
    services.log_visit(access["volunteer"], plan, outcome=CaringVisit.Outcome.NOT_REACHED)
    assert not Alert.objects.exists()
    services.log_visit(access["volunteer"], plan, outcome=CaringVisit.Outcome.NOT_REACHED)
    alert = Alert.objects.get()
    assert alert.kind == Alert.Kind.NOT_REACHED_TWICE
    case = alert.case
    assert case.category.code == "caring-urgent"
    assert case.lead_organisation == hood.committee
    assert case.stage == Stage.ACCEPT
    # Wednesday 10:00 + 1 working hour.
    assert case.stage_deadline == case.dispatched_at + dt.timedelta(hours=1)
    # A third in a row is part of the same run: no second alert.
    services.log_visit(access["volunteer"], plan, outcome=CaringVisit.Outcome.NOT_REACHED)
    assert Alert.objects.count() == 1


def test_a_caregiver_call_opens_an_urgent_case(hood, access):
    alert = services.report_alert(
        access["caregiver"],
        person=hood.persons[0],
        kind=Alert.Kind.CAREGIVER_CALL,
        note="Did not open the door",
    )
    assert alert.case.lead_organisation == hood.committee
    with pytest.raises(PermissionDenied):
        services.report_alert(
            access["volunteer"], person=hood.persons[0], kind=Alert.Kind.FALL, note="Fell"
        )


def test_extreme_weather_lists_who_was_not_seen_within_a_week(hood, access):
    seen = _plan(hood, access)
    unseen = _plan(hood, access, person=1)
    services.log_visit(
        access["volunteer"],
        seen,
        outcome=CaringVisit.Outcome.SEEN_WELL,
        on=TODAY - dt.timedelta(days=3),
    )
    services.log_visit(
        access["volunteer"],
        seen,
        outcome=CaringVisit.Outcome.SEEN_WELL,
        on=TODAY - dt.timedelta(days=2),
    )
    assert weather.in_force(TODAY) is None
    hot = services.set_weather(
        access["admin"], starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=4), reason="heat"
    )
    assert hot.every_days == 7
    assert weather.in_force(TODAY) == hot
    assert list(weather.to_visit_now(CaringPlan.objects.all(), hot, TODAY)) == [unseen]
    # Ten days on, the first person is due again too.
    later = TODAY + dt.timedelta(days=3)
    assert set(weather.to_visit_now(CaringPlan.objects.all(), hot, later)) == {unseen}
    assert set(
        weather.to_visit_now(CaringPlan.objects.all(), hot, TODAY + dt.timedelta(days=5))
    ) == {seen, unseen}
    with pytest.raises(PermissionDenied):
        services.set_weather(access["committee"], starts_on=TODAY, ends_on=TODAY, reason="cold")


def test_a_future_frequency_change_leaves_todays_due_date(hood, access):
    core_services.set_parameter(
        access["admin"],
        key="caring.visit_every_days",
        value="14",
        effective_from=TODAY + dt.timedelta(days=10),
        source="District notice",
    )
    plan = _plan(hood, access)
    assert plan.next_due_on == TODAY + dt.timedelta(days=30) and plan.due_version is None
    services.log_visit(access["volunteer"], plan, outcome=CaringVisit.Outcome.SEEN_WELL)
    plan.refresh_from_db()
    assert plan.next_due_on == TODAY + dt.timedelta(days=30)
