"""The rule numbers of food safety (convention 15).

Inspections a year per risk grade come from the national rules on risk-graded supervision of
food business (《食品生产经营风险分级管理办法》, 2016, art. 23, and the 2022 revision in
force in Shanghai): grade A at least once a year, B once or twice, C twice or three times, D
three or four times. Each grade has a minimum and a maximum; the planner generates the
maximum (the supervision office plans for what it may be asked, and cancels a visit it does not
need), and the statistics hold the inspections done against the minimum, the legal floor.
"""

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

GRADING_SOURCE = _(
    "食品生产经营风险分级管理办法 (2016) art. 23; Shanghai market regulation practice"
)
BOUNDS = {"A": (1, 1), "B": (1, 2), "C": (2, 3), "D": (3, 4)}
LABELS = {
    ("A", "min"): _("Inspections a year, grade A: at least"),
    ("A", "max"): _("Inspections a year, grade A: at most"),
    ("B", "min"): _("Inspections a year, grade B: at least"),
    ("B", "max"): _("Inspections a year, grade B: at most"),
    ("C", "min"): _("Inspections a year, grade C: at least"),
    ("C", "max"): _("Inspections a year, grade C: at most"),
    ("D", "min"): _("Inspections a year, grade D: at least"),
    ("D", "max"): _("Inspections a year, grade D: at most"),
}
RECTIFICATION_DAYS = "foodsafety.rectification_working_days"


def inspections_key(grade: str, bound: str) -> str:
    """``foodsafety.inspections_d_max``: ``bound`` is ``min`` or ``max``."""
    return f"foodsafety.inspections_{grade.lower()}_{bound}"


declare(
    *(
        Parameter(
            key=inspections_key(grade, bound),
            label=LABELS[grade, bound],
            default=BOUNDS[grade][i],
            source=GRADING_SOURCE,
            unit=_("inspections a year"),
            minimum=0,
            maximum=12,
        )
        for grade in BOUNDS
        for i, bound in enumerate(("min", "max"))
    ),
    Parameter(
        key=RECTIFICATION_DAYS,
        label=_("Working days allowed to rectify after a food-safety inspection"),
        default=10,
        source=_(
            "食品生产经营监督检查管理办法 (2021) art. 30: the inspector sets the time limit; "
            "10 working days is the usual order"
        ),
        unit=_("working days"),
        minimum=1,
        maximum=60,
    ),
)
