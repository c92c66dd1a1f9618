"""An elder's way through elderly care, and the rule numbers the decisions used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from linli.core import clock
from linli.core.models import Notification
from linli.core.services import set_parameter
from linli.livelihood.eldercare import parameters as keys
from linli.livelihood.eldercare import services, statistics, sweeps
from linli.livelihood.eldercare.models import CareOrder, CareVisit, ElderFile
from linli.people import services as people
from linli.people.models import ConsentRecord, PersonTag
from linli.registry.models import Facility
from tests.eldercare.conftest import local
from tests.factories import FacilityFactory

GRADE_4 = keys.weekly_visits_key(4)


def tags(person, code: str, day: dt.date) -> list[PersonTag]:
    return [
        t for t in PersonTag.objects.filter(person=person, kind__code=code) if t.in_force_on(day)
    ]


def local_days(visits) -> list[dt.date]:
    return [clock.local_day(v.starts_at) for v in visits]


def home_care(care, staff) -> CareOrder:
    order = services.request_order(
        staff, care.elder, kind=CareOrder.Kind.HOME_CARE, provider=care.provider
    )
    return services.approve_order(staff, order)


def test_an_elder_from_registration_to_a_new_grade(care, now) -> None:
    staff = care.access["committee"]
    elder = care.elder
    day = dt.date(2026, 3, 1)
    people.record_consent(
        staff, elder, purpose=ConsentRecord.Purpose.ELDERLY_CARE, given_on=day, channel="paper"
    )
    file = services.open_file(staff, elder, living=ElderFile.Living.ALONE)
    assert len(tags(elder, "living_alone", day)) == 1
    services.set_living(staff, file, living=ElderFile.Living.SPOUSE)
    assert tags(elder, "living_alone", day) == []
    services.set_living(staff, file, living=ElderFile.Living.ALONE)
    assert len(tags(elder, "living_alone", day)) == 1

    services.record_assessment(
        staff, elder, grade="4", assessed_on=day, assessor="Jing'an assessment agency"
    )
    (grade_tag,) = tags(elder, "care_grade", day)
    assert grade_tag.grade == "4" and grade_tag.consent is not None
    assert grade_tag.valid_until == dt.date(2028, 2, 29)

    order = home_care(care, staff)
    assert order.entitled and order.grade == "4"
    assert order.parameter_versions[GRADE_4] is None  # the declared default
    services.schedule_order(staff, order)
    march = list(order.visits.order_by("starts_at"))
    assert len(march) == 22  # the weekdays of March 2026, five a week
    assert all(d.weekday() < 5 for d in local_days(march))

    # The caregiver does every visit but one.
    caregiver = care.access["caregiver"]
    skipped = march[10]
    for visit in march:
        if visit == skipped:
            continue
        now(clock.local(visit.starts_at).strftime("%Y-%m-%d %H:%M"))
        services.check_in(caregiver, visit, lat="31.23", lon="121.45")
        now(clock.local(visit.ends_at).strftime("%Y-%m-%d %H:%M"))
        services.check_out(caregiver, visit)
    now("2026-04-01 08:00")
    assert sweeps.flag_missed(care.hood.subdistrict) == 1
    assert sweeps.flag_missed(care.hood.subdistrict) == 0  # once only
    skipped.refresh_from_db()
    assert skipped.status == CareVisit.Status.MISSED
    told = Notification.objects.filter(user=caregiver.user)
    assert told.count() == 1 and "1" in told.get().title
    assert not Notification.objects.filter(user=care.access["other_caregiver"].user).exists()

    (row,) = statistics.hours_by_person(care.access["admin"], dt.date(2026, 3, 1))
    assert (row["entitled"], row["delivered"], row["missed"]) == (Decimal(22), Decimal(21), 1)
    (provider_row,) = statistics.hours_by_provider(caregiver, dt.date(2026, 3, 1))
    assert provider_row["delivered"] == Decimal(21)

    # April is scheduled at grade 4; a re-assessment on the 15th raises it to grade 5.
    services.schedule_order(staff, order)
    now("2026-04-15 09:00")
    services.record_assessment(
        staff, elder, grade="5", assessed_on=dt.date(2026, 4, 15), assessor="Agency"
    )
    order.refresh_from_db()
    assert order.grade == "5"
    april = order.visits.exclude(status=CareVisit.Status.CANCELLED).filter(
        starts_at__gte=local("2026-04-01 00:00")
    )
    before = [v for v in april if clock.local_day(v.starts_at) < dt.date(2026, 4, 15)]
    after = [v for v in april if clock.local_day(v.starts_at) >= dt.date(2026, 4, 15)]
    assert len(before) == 10 and {v.grade for v in before} == {"4"}
    assert len(after) == 16 and {v.grade for v in after} == {"5"}  # every day from the 15th
    assert [t.grade for t in tags(elder, "care_grade", dt.date(2026, 4, 15))] == ["5"]
    (row,) = statistics.hours_by_person(care.access["admin"], dt.date(2026, 4, 1))
    assert row["entitled"] == Decimal(26)


def test_a_future_parameter_change_leaves_earlier_days_alone(care, now) -> None:
    staff = care.access["committee"]
    now("2026-04-01 09:00")
    services.open_file(staff, care.elder, living=ElderFile.Living.FAMILY)
    services.record_assessment(
        staff,
        care.elder,
        grade="4",
        assessed_on=dt.date(2026, 4, 1),
        assessor="Agency",
        legal_basis="Long-term care insurance application (art. 12)",
    )
    order = home_care(care, staff)
    change = set_parameter(
        care.access["admin"],
        key=GRADE_4,
        value=6,
        effective_from=dt.date(2026, 4, 16),
        source="District notice",
    )
    services.schedule_order(staff, order)
    order.refresh_from_db()
    assert order.parameter_versions[GRADE_4] is None
    saturdays = {clock.local_day(v.starts_at): v for v in order.visits.all()}
    assert dt.date(2026, 4, 11) not in saturdays  # before the change: five a week
    assert saturdays[dt.date(2026, 4, 18)].visits_version == change.pk  # after: six
    assert saturdays[dt.date(2026, 4, 13)].visits_version is None


def test_home_care_needs_a_covered_grade_and_a_care_home_puts_entitled_first(care, now) -> None:
    staff = care.access["admin"]
    services.open_file(staff, care.elder, living=ElderFile.Living.FAMILY)
    services.record_assessment(
        staff, care.elder, grade="1", assessed_on=dt.date(2026, 3, 1), assessor="A", legal_basis="x"
    )
    order = services.request_order(
        staff, care.elder, kind=CareOrder.Kind.HOME_CARE, provider=care.provider
    )
    with pytest.raises(ValidationError):
        services.approve_order(staff, order)
    order.refresh_from_db()
    assert order.status == CareOrder.Status.REQUESTED

    home = FacilityFactory(
        subdistrict=care.hood.subdistrict,
        category=Facility.Category.CARE_HOME,
        capacity=1,
        operator=care.provider,
    )
    services.open_file(staff, care.elsewhere, living=ElderFile.Living.ALONE)
    services.record_assessment(
        staff,
        care.elsewhere,
        grade="3",
        assessed_on=dt.date(2026, 3, 1),
        assessor="A",
        legal_basis="x",
    )
    first = services.request_order(
        staff,
        care.elder,
        kind=CareOrder.Kind.CARE_HOME_BED,
        provider=care.provider,
        facility=home,
        on=dt.date(2026, 2, 1),
    )
    second = services.request_order(
        staff,
        care.elsewhere,
        kind=CareOrder.Kind.CARE_HOME_BED,
        provider=care.provider,
        facility=home,
    )
    for bed in (first, second):
        services.approve_order(staff, bed)
    assert (first.entitled, second.entitled) == (False, True)
    assert statistics.waiting_list(staff, home) == [second, first]
    services.schedule_order(staff, second)
    with pytest.raises(ValidationError):
        services.schedule_order(staff, first)  # the one bed is taken
    (row,) = statistics.care_homes(staff)
    assert (row["occupied"], row["waiting"], row["rate"]) == (1, 1, 1.0)


def test_reassessment_reminder_goes_once_to_the_committee(care, now) -> None:
    staff = care.access["committee"]
    services.open_file(staff, care.elder, living=ElderFile.Living.FAMILY)
    services.record_assessment(
        staff, care.elder, grade="3", assessed_on=dt.date(2024, 4, 1), assessor="A", legal_basis="x"
    )
    now("2026-01-15 09:00")  # valid until 2026-03-31: 75 days ahead, beyond the 60-day notice
    assert sweeps.remind_reassessments(care.hood.subdistrict) == 0
    now("2026-02-10 09:00")
    assert sweeps.remind_reassessments(care.hood.subdistrict) == 1
    assert sweeps.remind_reassessments(care.hood.subdistrict) == 0
    assert Notification.objects.filter(user=staff.user).count() == 1
    assert Notification.objects.filter(user=care.access["admin"].user).count() == 1
    assert not Notification.objects.filter(user=care.access["grid"].user).exists()
