"""The visit slots of a home-care order, day by day, from the grade in force that day.

Each grade's visits a week fall on fixed weekdays (three: Monday, Wednesday, Friday; five: the
working week; seven: every day), at the order's visit time, each as long as the visit-length
parameter says on that day. The grade, the weekly visits and the length are read per day, so a
re-assessment or a parameter change takes effect from its own date and not before.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from linli.core import clock, parameters
from linli.livelihood.eldercare import parameters as keys
from linli.livelihood.eldercare.grades import assessment_on
from linli.livelihood.eldercare.models import Assessment, CareOrder, CareVisit, grade_number

# Weekdays (Monday = 0) in the order visits are added to a week.
SPREAD = (0, 2, 4, 1, 3, 5, 6)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def visit_days(visits_a_week: int) -> frozenset[int]:
    return frozenset(SPREAD[: max(0, min(visits_a_week, 7))])


def plan(order: CareOrder, start: dt.date, end: dt.date) -> list[CareVisit]:
    """Unsaved visits of ``order`` from ``start`` to ``end`` (both included)."""
    assessments = list(Assessment.objects.filter(person_id=order.person_id))
    ltc = parameters.timeline(keys.LTC_MIN_GRADE)
    length = parameters.timeline(keys.VISIT_HOURS)
    weekly = {g: parameters.timeline(keys.weekly_visits_key(g)) for g in keys.WEEKLY_VISITS}
    zone = clock.local_zone()
    visits: list[CareVisit] = []
    day = start
    while day <= end:
        assessment = assessment_on(assessments, day)
        grade = grade_number(assessment.grade) if assessment else 0
        if assessment is not None and grade in weekly and grade >= ltc.at(day).value:
            count = weekly[grade].at(day)
            if day.weekday() in visit_days(int(count.value)):
                hours = length.at(day)
                starts = dt.datetime.combine(day, order.slot_time, tzinfo=zone)
                visits.append(
                    CareVisit(
                        subdistrict_id=order.subdistrict_id,
                        order=order,
                        starts_at=starts.astimezone(dt.UTC),
                        ends_at=(starts + dt.timedelta(hours=float(hours.value))).astimezone(
                            dt.UTC
                        ),
                        hours=Decimal(hours.value),
                        grade=assessment.grade,
                        visits_version=count.pk,
                        hours_version=hours.pk,
                    )
                )
        day += dt.timedelta(days=1)
    return visits
