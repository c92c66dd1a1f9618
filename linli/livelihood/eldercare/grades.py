"""The grade in force and what it entitles to, read from the assessments and the parameters.

One place for both, so that the file, the approval of an order and the visit planner agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from linli.core import parameters
from linli.livelihood.eldercare import parameters as keys
from linli.livelihood.eldercare.models import Assessment, grade_number
from linli.people.models import Person, PersonTag


def assessment_on(assessments: Sequence[Assessment], day: dt.date) -> Assessment | None:
    """Of a person's assessments, the newest that covers ``day``."""
    covering = [a for a in assessments if a.in_force_on(day)]
    return max(covering, key=lambda a: (a.assessed_on, a.pk), default=None)


def in_force(person: Person, day: dt.date) -> Assessment | None:
    return assessment_on(list(Assessment.objects.filter(person=person)), day)


@dataclass(frozen=True)
class Entitlements:
    """What the grade in force on ``day`` gives, with the versions of the rules read."""

    day: dt.date
    assessment: Assessment | None
    long_term_care: bool
    subsidised_bed: bool
    versions: dict[str, Any] = field(default_factory=dict)

    @property
    def grade(self) -> str:
        return self.assessment.grade if self.assessment else ""


def entitlements(person: Person, day: dt.date) -> Entitlements:
    """Long-term care insurance from the lowest covered grade; a subsidised care-home bed from
    its own lowest grade, or with cognitive impairment, or with the special-hardship tag."""
    assessment = in_force(person, day)
    ltc, bed = (
        parameters.value(keys.LTC_MIN_GRADE, on=day),
        parameters.value(keys.BED_MIN_GRADE, on=day),
    )
    grade = grade_number(assessment.grade) if assessment else 0
    hardship = any(
        t.in_force_on(day)
        for t in PersonTag.objects.filter(person=person, kind__code="special_hardship")
    )
    return Entitlements(
        day=day,
        assessment=assessment,
        long_term_care=assessment is not None and grade >= ltc.value,
        subsidised_bed=(
            assessment is not None and (grade >= bed.value or assessment.cognitive_impairment)
        )
        or hardship,
        versions={keys.LTC_MIN_GRADE: ltc.pk, keys.BED_MIN_GRADE: bed.pk},
    )
