"""The rule numbers of elderly care (convention 15), with their public sources."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

ASSESSMENT = _(
    "Shanghai Measures for the Unified Assessment of Elderly Care Needs "
    "(上海市老年照护统一需求评估办法)"
)
LTC = _("Shanghai Long-term Care Insurance Pilot Measures (上海市长期护理保险试点办法)")
BEDS = _("Shanghai basic elderly care service list (上海市基本养老服务清单): subsidised beds")

VALIDITY = "eldercare.assessment_validity_months"
REMINDER = "eldercare.reassessment_reminder_days"
LTC_MIN_GRADE = "eldercare.ltc_min_grade"
BED_MIN_GRADE = "eldercare.subsidised_bed_min_grade"
VISIT_HOURS = "eldercare.home_care_visit_hours"


def weekly_visits_key(grade: int) -> str:
    return f"eldercare.home_care_weekly_visits_grade_{grade}"


declare(
    Parameter(
        key=VALIDITY,
        label=_("Validity of a care-needs assessment"),
        default=24,
        source=ASSESSMENT,
        unit=_("months"),
        minimum=1,
        maximum=60,
    ),
    Parameter(
        key=REMINDER,
        label=_("Re-assessment reminder before expiry"),
        default=60,
        source=ASSESSMENT,
        unit=_("days"),
        minimum=1,
        maximum=365,
    ),
    Parameter(
        key=LTC_MIN_GRADE,
        label=_("Lowest grade covered by long-term care insurance"),
        default=2,
        source=LTC,
        unit=_("grade"),
        minimum=1,
        maximum=6,
    ),
    Parameter(
        key=BED_MIN_GRADE,
        label=_("Lowest grade for a subsidised care-home bed"),
        default=3,
        source=BEDS,
        unit=_("grade"),
        minimum=1,
        maximum=6,
    ),
    Parameter(
        key=VISIT_HOURS,
        label=_("Length of a home-care visit"),
        default=1,
        source=LTC,
        unit=_("hours"),
        minimum=Decimal("0.25"),
        maximum=8,
        decimal=True,
    ),
)

# The label of each grade's weekly visits, spelled out so that each is one translatable message.
WEEKLY_VISITS = {
    2: (3, _("Home-care visits a week at grade 2")),
    3: (3, _("Home-care visits a week at grade 3")),
    4: (5, _("Home-care visits a week at grade 4")),
    5: (7, _("Home-care visits a week at grade 5")),
    6: (7, _("Home-care visits a week at grade 6")),
}
declare(
    *(
        Parameter(
            key=weekly_visits_key(grade),
            label=label,
            default=visits,
            source=LTC,
            unit=_("visits a week"),
            minimum=0,
            maximum=7,
        )
        for grade, (visits, label) in WEEKLY_VISITS.items()
    )
)
