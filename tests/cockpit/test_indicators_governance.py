"""The governance indicators on crafted data: lift projects by stage, group rentals open,
charging coverage, food-safety inspections against the legal minimum, disputes settled by
agreement and patrol points checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope

from linli.cockpit import catalogue  # noqa: F401 - registers the indicators
from linli.cockpit.indicators import INDICATORS, Period
from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.roles import Role
from linli.enterprise.inspections.models import InspectionPlan, InspectionResult
from linli.governance.foodsafety.models import Establishment, ScheduledInspection
from linli.governance.lifts.models import Project, Stage
from linli.governance.mediation.models import MediationCase
from linli.governance.patrols.models import CheckIn, Patrol, PatrolPlan, PatrolPoint
from linli.governance.rentals.models import GroupRental
from linli.governance.works import services as works
from linli.governance.works.models import Works
from tests.charging import conftest as charging_fixtures
from tests.factories import EnterpriseFactory, OrganisationFactory
from tests.people.helpers import build_neighbourhood

MARCH = Period(2026, 3)

# The charging tests' U of streets: three buildings, one within 300 m of the charging point.
town, walkable = charging_fixtures.town, charging_fixtures.walkable


def figure(access: Access, key: str, period: Period = MARCH):
    return INDICATORS[key].compute(access, period)


@pytest.fixture
def hood(subdistrict, in_scope):
    return build_neighbourhood(subdistrict)


def test_lift_projects_count_each_project_once_in_its_stage(hood, leader, client_for):
    first, second = (d.unit for d in hood.dwellings)
    Project.objects.create(
        subdistrict=hood.subdistrict, unit=first, stage=Stage.SURVEY, opened_on=dt.date(2025, 5, 1)
    )
    Project.objects.create(
        subdistrict=hood.subdistrict,
        unit=second,
        stage=Stage.IN_SERVICE,
        opened_on=dt.date(2024, 3, 1),
    )
    lifts = figure(leader, "governance.lift_projects")
    assert lifts.value == 2
    by_stage = {p.label: p.value for p in lifts.parts}
    assert len(by_stage) == len(Stage)  # every stage shown, empty ones as 0
    assert by_stage[Stage.SURVEY.label] == by_stage[Stage.IN_SERVICE.label] == 1
    assert by_stage[Stage.INSTALLATION.label] == 0
    in_service = next(p for p in lifts.parts if p.label == Stage.IN_SERVICE.label)
    listing = client_for(leader.user).get(in_service.url)
    assert listing.status_code == 200
    assert [p.pk for p in listing.context["projects"]] == [Project.objects.get(unit=second).pk]


def test_group_rentals_open_leave_out_closed_files(hood, leader):
    first, second = hood.dwellings
    for dwelling, stage in (
        (first, GroupRental.Stage.LEAD),
        (second, GroupRental.Stage.NOTICE),
        (first, GroupRental.Stage.CLOSED),
    ):
        GroupRental.objects.create(
            subdistrict=hood.subdistrict,
            dwelling=dwelling,
            source=GroupRental.Source.PATROL,
            stage=stage,
            reported_on=dt.date(2026, 2, 2),
            description="Bunk beds in the living room",
            recorded_at=clock.now(),
        )
    rentals = figure(leader, "governance.group_rentals_open")
    assert rentals.value == 2
    shown = {p.label: p.value for p in rentals.parts if p.value}
    assert shown == {"Lead": 1, "Rectification notice": 1}
    assert all("closed" not in p.url for p in rentals.parts)


def test_charging_coverage_walks_the_streets_and_says_nothing_without_a_network(town):
    leader = Access.for_user(town.leader, town.subdistrict)
    with scope(subdistrict=town.subdistrict):
        assert figure(leader, "governance.charging_coverage").value is None


def test_charging_coverage_counts_buildings_within_the_walking_distance(walkable):
    leader = Access.for_user(walkable.leader, walkable.subdistrict)
    with scope(subdistrict=walkable.subdistrict):
        charging = figure(leader, "governance.charging_coverage")
    # Only the building 200 m up the west leg; "across" is 200 m away but 700 m on foot.
    assert (charging.value, charging.base) == (round(1 / 3, 4), 3)
    assert [(p.label, p.value) for p in charging.parts] == [("U Garden", 2)]
    assert charging.url == ""  # the planning page is not a leader's


def inspect(establishment, office, slot: int, *, result: bool, cancelled: bool = False):
    plan = InspectionPlan.objects.create(
        subdistrict=establishment.subdistrict,
        enterprise=establishment.enterprise,
        department=office,
        subject="Food safety",
        window_start=dt.date(2026, 1, 1),
        window_end=dt.date(2026, 12, 31),
        status=InspectionPlan.Status.CANCELLED if cancelled else InspectionPlan.Status.PLANNED,
    )
    ScheduledInspection.objects.create(
        subdistrict=establishment.subdistrict,
        establishment=establishment,
        year=2026,
        slot=slot,
        grade=establishment.effective_grade,
        inspections_a_year=3,
        plan=plan,
    )
    if result:
        InspectionResult.objects.create(
            subdistrict=establishment.subdistrict, plan=plan, outcome="passed"
        )


def test_a_re_inspection_does_not_make_up_for_a_missing_inspection(subdistrict, in_scope, leader):
    office = OrganisationFactory(subdistrict=subdistrict, kind=Organisation.Kind.DEPARTMENT)
    grade_a, grade_c = (
        Establishment.objects.create(
            subdistrict=subdistrict,
            enterprise=EnterpriseFactory(subdistrict=subdistrict),
            kind="restaurant",
            licence_number=f"JY1310106{grade}",
            licence_valid_until=dt.date(2028, 1, 1),
            grade=grade,
            graded_on=dt.date(2025, 1, 1),
        )
        for grade in ("A", "C")
    )
    inspect(grade_a, office, 1, result=True)
    inspect(grade_a, office, 2, result=True)  # a re-inspection beyond the minimum of 1
    inspect(grade_c, office, 1, result=True)
    inspect(grade_c, office, 2, result=True, cancelled=True)  # a cancelled plan counts nowhere
    inspect(grade_c, office, 3, result=False)
    food = figure(leader, "governance.food_inspections")
    # Due: 1 (A) + 2 (C); done: min(2, 1) + 1.
    assert (food.value, food.base) == (round(2 / 3, 4), 3)
    assert {p.label: p.value for p in food.parts} == {"Grade A": 2, "Grade C": 1}
    assert figure(leader, "governance.food_inspections", Period(2025, 6)).value == 0.0


def test_disputes_settled_by_agreement_leave_out_withdrawn_ones(hood, leader, make_user):
    mediator = make_user(Role.HANDLER, hood.subdistrict)
    for n, (status, closed) in enumerate(
        [
            (MediationCase.Status.AGREED, dt.date(2026, 3, 3)),
            (MediationCase.Status.AGREED, dt.date(2026, 3, 20)),
            (MediationCase.Status.NO_AGREEMENT, dt.date(2026, 3, 9)),
            (MediationCase.Status.WITHDRAWN, dt.date(2026, 3, 10)),
            (MediationCase.Status.OPEN, None),
            (MediationCase.Status.AGREED, dt.date(2026, 2, 27)),
        ]
    ):
        MediationCase.objects.create(
            subdistrict=hood.subdistrict,
            number=f"M{n}",
            quarter=hood.quarters[0],
            kind=MediationCase.Kind.NEIGHBOURS,
            summary="Water leaking through the ceiling",
            mediator=mediator,
            status=status,
            opened_on=dt.date(2026, 2, 1),
            closed_on=closed,
        )
    # The leader mediates none of them: the count is the whole sub-district's.
    settled = figure(leader, "governance.mediation_agreements")
    assert (settled.value, settled.base) == (round(2 / 3, 4), 3)
    assert {p.label: p.value for p in settled.parts} == {
        "Agreement reached": 2,
        "No agreement": 1,
        "Withdrawn": 1,
    }
    empty = figure(leader, "governance.mediation_agreements", Period(2026, 4))
    assert (empty.value, empty.base) == (None, 0)


def test_patrol_points_checked_count_a_point_once(hood, leader, make_user):
    grid = hood.grids[0]
    worker = make_user(Role.GRID_WORKER, hood.subdistrict, grid=grid)
    plan = PatrolPlan.objects.create(
        subdistrict=hood.subdistrict, grid=grid, name="Day", per_week=7
    )
    retired = PatrolPlan.objects.create(
        subdistrict=hood.subdistrict, grid=grid, name="Old", per_week=1, active=False
    )
    gate, market, _street, _old = (
        PatrolPoint.objects.create(
            subdistrict=hood.subdistrict, plan=p, name=name, lon=121.459, lat=31.237
        )
        for p, name in ((plan, "Gate"), (plan, "Market"), (plan, "Street"), (retired, "Old"))
    )
    zone = clock.local_zone()
    for day, points in ((3, (gate, market)), (5, (gate,))):
        start = dt.datetime(2026, 3, day, 9, tzinfo=zone)
        patrol = Patrol.objects.create(
            subdistrict=hood.subdistrict,
            plan=plan,
            grid=grid,
            worker=worker,
            status=Patrol.Status.DONE,
            started_at=start,
            ended_at=start + dt.timedelta(hours=1),
            away_m=50,
        )
        for point in points:
            CheckIn.objects.create(
                subdistrict=hood.subdistrict,
                patrol=patrol,
                point=point,
                at=start,
                result=CheckIn.Result.AT_POINT,
            )
    patrols = figure(leader, "governance.patrol_coverage")
    # Gate (twice) and market of the active plan's three points; the retired plan's point
    # is not planned.
    assert (patrols.value, patrols.base) == (round(2 / 3, 4), 3)
    assert [p.value for p in patrols.parts] == [2]
    assert patrols.url == reverse("patrols:coverage") + "?month=2026-03"
    assert figure(leader, "governance.patrol_coverage", Period(2026, 2)).value == 0.0


def test_works_registered_count_the_month_by_class_and_keep_unregistered_apart(hood, leader):
    system = Access.system(hood.subdistrict)
    home, other = hood.dwellings
    december, november = dt.date(2026, 12, 1), dt.date(2026, 11, 30)
    for dwelling, scopes, day in (
        (home, ("interior",), december),
        (other, ("interior", "waste"), december),
        (home, ("interior",), november),  # the month before: not counted
    ):
        works.register_works(
            actor=system,
            place=works.Place(Works.Place.DWELLING, dwelling=dwelling),
            scopes=scopes,
            description="厨卫翻新",
            starts_on=day + dt.timedelta(days=7),
            ends_on=day + dt.timedelta(days=30),
            registered_on=day,
        )
    works.record_unregistered(
        actor=system,
        place=works.Place(Works.Place.ADDRESS, address="南京西路1号"),
        description="擅自拆墙",
        found_on=december,
    )
    found = figure(leader, "governance.works_registered", Period(2026, 12))
    assert found.value == 2  # the unregistered find is a part of its own, not a registration
    parts = {p.label: p.value for p in found.parts}
    assert parts[str(Works.Stage.UNREGISTERED.label)] == 1
    assert sum(parts.values()) == 3 and len(parts) == 3  # interior, waste, unregistered
    assert found.url == reverse("works:list")
    assert figure(leader, "governance.works_registered", Period(2026, 10)).value == 0
