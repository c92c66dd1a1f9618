"""The livelihood indicators on crafted data: caring-visit coverage, elders not reached twice,
meals served and capacity used, long-term-care hours, care-home occupancy; and an alert on
"elders not reached twice" that fires once per breach.

The clock stands at Wednesday 2026-03-11 (the caring tests' neighbourhood: two elders living
alone, one in each grid)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from linli.cockpit.indicators import INDICATORS, Period
from linli.cockpit.services import check_alerts, create_alert_rule
from linli.core import clock
from linli.core.models import Notification
from linli.livelihood.caring import services as caring
from linli.livelihood.caring.models import CaringPlan, CaringVisit
from linli.livelihood.eldercare.models import CareOrder, CareVisit
from linli.livelihood.meals.models import MealOrder
from linli.registry.models import Facility
from tests.caring import conftest as caring_fixtures
from tests.factories import FacilityFactory, OrganisationFactory

# The caring tests' neighbourhood, people and clock (``fixed_clock`` applies to every test).
hood, users, access = caring_fixtures.hood, caring_fixtures.users, caring_fixtures.access
fixed_clock = caring_fixtures.fixed_clock

MARCH = Period(2026, 3)
Outcome = CaringVisit.Outcome


def figure(access, key: str, period: Period = MARCH):
    return INDICATORS[key].compute(access["leader"], period)


@pytest.fixture
def plans(hood, access):
    return [
        caring.create_plan(
            access["admin"],
            person=person,
            reason=CaringPlan.Reason.LIVING_ALONE,
            visitor=access["admin"].user,
            starts_on=dt.date(2026, 2, 1),
        )
        for person in hood.persons
    ]


def log(access, plan, outcome: str, day: int) -> CaringVisit:
    return caring.log_visit(access["admin"], plan, outcome=outcome, on=dt.date(2026, 3, day))


def test_caring_coverage_counts_elders_reached_not_visits_tried(
    hood, access, users, plans, client_for
):
    log(access, plans[0], Outcome.SEEN_WELL, 5)
    log(access, plans[1], Outcome.NOT_REACHED, 6)  # tried, not reached: not covered
    march = figure(access, "livelihood.caring_coverage")
    assert (march.value, march.base) == (0.5, 2)
    (gap,) = march.parts
    assert (gap.label, gap.value) == (hood.grids[1].name, 1)
    assert client_for(users["leader"]).get(march.url).status_code == 200
    # Before any plan started: nothing due, no rate (not 0 %).
    empty = figure(access, "livelihood.caring_coverage", Period(2026, 1))
    assert (empty.value, empty.base) == (None, 0)


def test_an_elder_reached_after_two_misses_is_no_longer_counted(hood, access, plans):
    log(access, plans[0], Outcome.NOT_REACHED, 2)
    log(access, plans[0], Outcome.NOT_REACHED, 4)  # the second in a row: the alert
    log(access, plans[1], Outcome.NOT_REACHED, 5)  # once only
    missed = figure(access, "livelihood.not_reached_twice")
    assert missed.value == 1
    assert [(p.label, p.value) for p in missed.parts] == [
        (f"{hood.grids[0].code} {hood.grids[0].name}", 1)
    ]
    log(access, plans[0], Outcome.SEEN_WELL, 9)
    assert figure(access, "livelihood.not_reached_twice").value == 0
    assert figure(access, "livelihood.not_reached_twice", Period(2026, 2)).value == 0


def test_an_alert_on_elders_not_reached_twice_fires_once_per_breach(hood, access, plans, users):
    create_alert_rule(
        access["admin"],
        indicator="livelihood.not_reached_twice",
        comparison="above",
        threshold=Decimal(0),
        recipients=[users["leader"]],
    )

    def inbox() -> list[str]:
        with scopes_disabled():
            return list(
                Notification.objects.filter(
                    user=users["leader"], title__startswith="Alert:"
                ).values_list("title", flat=True)
            )

    assert check_alerts(hood.subdistrict) == 0
    log(access, plans[0], Outcome.NOT_REACHED, 2)
    log(access, plans[0], Outcome.NOT_REACHED, 4)
    assert check_alerts(hood.subdistrict) == 1
    assert check_alerts(hood.subdistrict) == 0  # still not reached: not told again
    (title,) = inbox()
    assert "Elders not reached twice" in title
    log(access, plans[0], Outcome.SEEN_WELL, 9)  # reached: recovered, nobody told
    assert check_alerts(hood.subdistrict) == 0
    assert len(inbox()) == 1
    log(access, plans[1], Outcome.NOT_REACHED, 9)
    log(access, plans[1], Outcome.NOT_REACHED, 10)
    assert check_alerts(hood.subdistrict) == 1
    assert len(inbox()) == 2


@pytest.fixture
def meal_points(hood):
    canteen = FacilityFactory(
        subdistrict=hood.subdistrict, category=Facility.Category.MEAL_POINT, capacity=10
    )
    kiosk = FacilityFactory(  # no capacity recorded: its meals count, not its load
        subdistrict=hood.subdistrict, category=Facility.Category.MEAL_POINT, capacity=None
    )
    return canteen, kiosk


def order(point, person, day: dt.date, status: str = MealOrder.Status.SERVED, meal="lunch"):
    return MealOrder.objects.create(
        subdistrict=point.subdistrict,
        point=point,
        person=person,
        day=day,
        meal=meal,
        mode=MealOrder.Mode.DINE_IN,
        status=status,
        price=Decimal("15"),
        subsidy=Decimal("5"),
        lives_here=True,
    )


def test_meals_served_leave_out_cancelled_and_unserved_orders(hood, access, meal_points):
    canteen, kiosk = meal_points
    elder, other = hood.persons
    for day in (2, 3, 4):
        order(canteen, elder, dt.date(2026, 3, day))
    order(canteen, other, dt.date(2026, 3, 2), MealOrder.Status.CANCELLED)
    order(canteen, other, dt.date(2026, 3, 11), MealOrder.Status.ORDERED)
    order(kiosk, other, dt.date(2026, 3, 3), meal="dinner")
    order(canteen, other, dt.date(2026, 2, 27))  # February's
    served = figure(access, "livelihood.meals_served")
    assert served.value == 4
    assert {p.label: p.value for p in served.parts} == {canteen.name: 3, kiosk.name: 1}
    # The canteen's 3 meals against 10 a day over the 11 days of March gone so far.
    used = figure(access, "livelihood.meal_capacity_use")
    assert (used.value, used.base) == (round(3 / 110, 4), 110)
    # A month not begun has no day to count: no rate.
    assert figure(access, "livelihood.meal_capacity_use", Period(2026, 4)).value is None


@pytest.fixture
def provider(hood):
    return OrganisationFactory(subdistrict=hood.subdistrict, name="Care Co")


def care_order(provider, person, kind=CareOrder.Kind.HOME_CARE, status="scheduled", home=None):
    return CareOrder.objects.create(
        subdistrict=provider.subdistrict,
        person=person,
        kind=kind,
        provider=provider,
        facility=home,
        status=status,
        requested_on=dt.date(2026, 2, 1),
        grade="3",
    )


def slot(order, day: int, hours: str, status: str) -> CareVisit:
    start = dt.datetime(2026, 3, day, 9, tzinfo=clock.local_zone())
    return CareVisit.objects.create(
        subdistrict=order.subdistrict,
        order=order,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        hours=Decimal(hours),
        grade="3",
        status=status,
    )


def test_care_hours_owe_a_missed_slot_but_not_one_cancelled_by_a_suspension(hood, access, provider):
    home_care = care_order(provider, hood.persons[0])
    slot(home_care, 2, "1", CareVisit.Status.DONE)
    slot(home_care, 4, "0.5", CareVisit.Status.DONE)
    slot(home_care, 6, "1", CareVisit.Status.MISSED)
    slot(home_care, 9, "1", CareVisit.Status.CANCELLED)  # in hospital: not owed
    hours = figure(access, "livelihood.care_hours")
    assert hours.value == 0.6  # 1.5 of 2.5 hours
    assert [(p.label, p.value) for p in hours.parts] == [("Care Co", 1)]
    assert hours.url == ""  # a leader does not open the elders' hours page
    assert figure(access, "livelihood.care_hours", Period(2026, 2)).value is None


def test_a_resident_in_hospital_keeps_the_care_home_bed(hood, access, provider):
    home = FacilityFactory(
        subdistrict=hood.subdistrict, category=Facility.Category.CARE_HOME, capacity=10, name="Home"
    )
    FacilityFactory(subdistrict=hood.subdistrict, category=Facility.Category.CARE_HOME, capacity=5)
    elder, other = hood.persons
    bed = CareOrder.Kind.CARE_HOME_BED
    care_order(provider, elder, bed, CareOrder.Status.SCHEDULED, home)
    care_order(provider, other, bed, CareOrder.Status.SUSPENDED, home)  # in hospital
    care_order(provider, other, bed, CareOrder.Status.CANCELLED, home)
    care_order(provider, elder, bed, CareOrder.Status.REQUESTED, home)  # waiting
    occupancy = figure(access, "livelihood.care_home_occupancy")
    assert (occupancy.value, occupancy.base) == (round(2 / 15, 4), 15)
    assert [(p.label, p.value) for p in occupancy.parts] == [("Home", 2)]
