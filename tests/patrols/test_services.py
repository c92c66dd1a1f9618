"""Running a patrol: check-ins at, away from and without a location; a finding becomes a
patrol case linked to the patrol; only the grid's worker may run it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from linli.cases.models import Case, Channel
from linli.core import clock
from linli.core.access import Access
from linli.core.models import RuleParameter
from linli.governance.patrols import services
from linli.governance.patrols.models import CheckIn, Patrol, PatrolPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def patrol(beat, as_, in_scope):
    return services.start_patrol(actor=as_(beat.worker), plan=beat.plan)


def points(beat):
    return list(beat.plan.points.all())


def test_plan_takes_the_frequency_in_force_and_keeps_its_version(beat, in_scope):
    assert beat.plan.per_week == 7
    assert beat.plan.per_week_version is None  # the declared default
    assert (beat.other_plan.per_week, beat.other_plan.per_week_set) == (3, True)
    assert [p.name for p in points(beat)] == [
        "Gate of Jade Garden",
        "Building 5",
        "Wet market",
    ]


def test_a_plan_needs_a_grid_and_points(beat, as_, in_scope):
    with pytest.raises(ValidationError) as caught:
        services.create_plan(actor=as_(beat.admin), grid=None, name="", points=[])
    assert set(caught.value.message_dict) == {"grid", "name", "points"}
    with pytest.raises(PermissionDenied):
        services.create_plan(
            actor=as_(beat.worker),
            grid=beat.grid,
            name="Mine",
            points=[services.PointSpec("A", 121.45, 31.23)],
        )


def test_check_ins_at_away_and_without_location(beat, patrol, as_):
    gate, building, market = points(beat)
    worker = as_(beat.worker)
    at = services.check_in(actor=worker, patrol=patrol, point=gate, lon=121.4551, lat=31.2351)
    # Building 5's check-in made from the gate, ~200 m away: kept, but away.
    away = services.check_in(actor=worker, patrol=patrol, point=building, lon=121.4550, lat=31.2350)
    blind = services.check_in(actor=worker, patrol=patrol, point=market)
    assert at.result == CheckIn.Result.AT_POINT and at.distance_m < 20
    assert away.result == CheckIn.Result.AWAY and 150 < away.distance_m < 250
    assert (blind.result, blind.distance_m, blind.lon) == (CheckIn.Result.NO_LOCATION, None, None)
    with pytest.raises(ValidationError):
        services.check_in(actor=worker, patrol=patrol, point=gate, lon=121.4551, lat=31.2351)


def test_the_away_distance_is_the_parameter_in_force_when_the_patrol_started(
    beat, as_, in_scope, subdistrict
):
    today = clock.today()
    in_force = RuleParameter.objects.create(
        subdistrict=subdistrict,
        key="patrols.away_m",
        value=250,
        effective_from=today - dt.timedelta(days=30),
        source="test",
    )
    # A change dated next week leaves today's patrol alone.
    RuleParameter.objects.create(
        subdistrict=subdistrict,
        key="patrols.away_m",
        value=50,
        effective_from=today + dt.timedelta(days=7),
        source="test",
    )
    patrol = services.start_patrol(actor=as_(beat.worker), plan=beat.plan)
    assert (patrol.away_m, patrol.away_version) == (250, in_force.pk)
    building = points(beat)[1]
    near_enough = services.check_in(
        actor=as_(beat.worker), patrol=patrol, point=building, lon=121.4550, lat=31.2350
    )
    assert near_enough.result == CheckIn.Result.AT_POINT


def test_a_point_of_another_plan_is_refused(beat, patrol, as_):
    foreign = beat.other_plan.points.first()
    with pytest.raises(ValidationError):
        services.check_in(actor=as_(beat.worker), patrol=patrol, point=foreign)


def test_only_the_grids_worker_runs_its_patrols(beat, patrol, as_):
    for user in (beat.other_worker, beat.leader, beat.admin):
        with pytest.raises(PermissionDenied):
            services.start_patrol(actor=as_(user), plan=beat.plan)
        with pytest.raises(PermissionDenied):
            services.check_in(actor=as_(user), patrol=patrol, point=points(beat)[0])


def test_starting_twice_gives_the_running_patrol(beat, patrol, as_):
    assert services.start_patrol(actor=as_(beat.worker), plan=beat.plan) == patrol
    services.end_patrol(actor=as_(beat.worker), patrol=patrol)
    assert services.start_patrol(actor=as_(beat.worker), plan=beat.plan) != patrol


def test_a_finding_becomes_a_patrol_case_linked_to_the_patrol(beat, patrol, as_):
    gate = points(beat)[0]
    finding = services.report_finding(
        actor=as_(beat.worker),
        patrol=patrol,
        category=beat.category,
        description="Rubbish piled by the gate",
        point=gate,
    )
    case = Case.objects.get(pk=finding.case_id)
    assert case.channel == Channel.GRID_PATROL
    assert case.reporter == beat.worker
    # No position of its own: the case is placed at the point.
    assert (case.lon, case.lat, case.address) == (gate.lon, gate.lat, gate.name)
    assert list(patrol.findings.values_list("case__number", flat=True)) == [case.number]


def test_a_finding_needs_a_category_and_writes_nothing_without(beat, patrol, as_):
    with pytest.raises(ValidationError):
        services.report_finding(
            actor=as_(beat.worker), patrol=patrol, category=None, description="Something"
        )
    assert Case.objects.count() == 0


def test_an_ended_patrol_takes_no_more_check_ins(beat, patrol, as_):
    services.end_patrol(actor=as_(beat.worker), patrol=patrol)
    patrol.refresh_from_db()
    assert patrol.status == Patrol.Status.DONE and patrol.ended_at is not None
    with pytest.raises(PermissionDenied):
        services.check_in(actor=as_(beat.worker), patrol=patrol, point=points(beat)[0])


def test_a_grid_worker_sees_only_their_grids_patrols(beat, patrol, as_, subdistrict):
    services.start_patrol(actor=as_(beat.other_worker), plan=beat.other_plan)
    mine = Patrol.objects.visible_to(as_(beat.worker))
    assert list(mine) == [patrol]
    assert set(PatrolPlan.objects.visible_to(as_(beat.worker))) == {beat.plan}
    assert Patrol.objects.visible_to(as_(beat.leader)).count() == 2
    assert Patrol.objects.visible_to(as_(beat.handler)).count() == 0


def test_another_subdistrict_sees_none(beat, patrol, other_subdistrict, make_user):
    from linli.core.roles import Role

    outsider = make_user(Role.SUBDISTRICT_ADMIN, other_subdistrict)
    with scope(subdistrict=other_subdistrict):
        assert Patrol.objects.visible_to(Access.for_user(outsider, other_subdistrict)).count() == 0
