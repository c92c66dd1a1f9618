"""The governance indicators of the cockpit: lifts, group rentals, charging, food safety,
mediation, patrols and sporadic works.

Each figure reuses its app's own figures (``statistics``, ``coverage``), read through the
app's visibility; mediation cases and residential buildings are shown only to those who work
on them, so an overview reader counts the whole sub-district there (``counted_by``). The list
behind a figure is linked only for a reader whose role opens it.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from linli.cockpit.indicators import Figure, Part, Period, indicator, rate
from linli.cockpit.livelihood_indicators import counted_by, page_url
from linli.core.access import Access
from linli.governance.charging import coverage as charging_coverage
from linli.governance.charging import rules as charging_rules
from linli.governance.foodsafety import rules as foodsafety_rules
from linli.governance.foodsafety import statistics as foodsafety_statistics
from linli.governance.foodsafety.models import Establishment, Grade, ScheduledInspection
from linli.governance.lifts import rules as lifts_rules
from linli.governance.lifts import statistics as lifts_statistics
from linli.governance.lifts.models import Project, Stage
from linli.governance.mediation import rules as mediation_rules
from linli.governance.mediation.models import MediationCase
from linli.governance.patrols import coverage as patrol_coverage
from linli.governance.patrols import rules as patrols_rules
from linli.governance.rentals import rules as rentals_rules
from linli.governance.rentals import statistics as rentals_statistics
from linli.governance.rentals.models import GroupRental
from linli.governance.works import rules as works_rules
from linli.governance.works.classification import CHOICES as WORKS_CLASSES
from linli.governance.works.models import Works

GOVERNANCE = _("Governance")


@indicator(
    key="governance.lift_projects",
    group=GOVERNANCE,
    label=_("Lift projects"),
    definition=_(
        "Lift installation projects at this moment, each counted once in the stage it has "
        "reached, from the intention survey to the lift in service."
    ),
    formula=_("count(lift projects), by current stage"),
    breakdown=_("By stage"),
)
def lift_projects(access: Access, period: Period) -> Figure:
    counts = lifts_statistics.by_stage(Project.objects.visible_to(access))
    allowed = lifts_rules.may_list(access)
    labels = dict(Stage.choices)
    parts = tuple(
        Part(str(labels[stage]), n, page_url("lifts:list", allowed, stage=stage))
        for stage, n in counts.items()
    )
    return Figure(sum(counts.values()), page_url("lifts:list", allowed), parts)


@indicator(
    key="governance.group_rentals_open",
    group=GOVERNANCE,
    label=_("Group rentals open"),
    definition=_(
        "Group-rental files not closed at this moment: leads, inspected dwellings, "
        "rectification notices, joint enforcement and re-inspections under way."
    ),
    formula=_("count(group-rental files with stage other than closed)"),
    lower_is_better=True,
    breakdown=_("By stage"),
)
def group_rentals_open(access: Access, period: Period) -> Figure:
    counts = rentals_statistics.by_stage(access)
    allowed = rentals_rules.may_see_rentals(access)
    labels = dict(GroupRental.Stage.choices)
    parts = tuple(
        Part(str(labels[stage]), n, page_url("rentals:list", allowed, stage=stage))
        for stage, n in counts.items()
        if stage != GroupRental.Stage.CLOSED
    )
    return Figure(sum(p.value for p in parts), page_url("rentals:statistics", allowed), parts)


@indicator(
    key="governance.charging_coverage",
    group=GOVERNANCE,
    label=_("E-bike charging coverage"),
    definition=_(
        "Residential buildings with an e-bike charging point within the walking distance of "
        "the charging parameter (300 m by default), on the walking network, at this moment. "
        "Without a walking network there is no figure."
    ),
    formula=_("buildings with a charging point within reach ÷ residential buildings"),
    is_rate=True,
    breakdown=_("Buildings out of reach, by quarter"),
)
def charging(access: Access, period: Period) -> Figure:
    found = charging_coverage.coverage(counted_by(access))
    url = page_url("charging:coverage", charging_rules.may_plan(access))
    gaps = Counter(str(b.building.quarter) for b in found.uncovered)
    parts = tuple(Part(name, n, url) for name, n in sorted(gaps.items()))
    buildings = len(found.buildings)
    return Figure(rate(found.covered_count, buildings), url, parts, base=buildings)


@indicator(
    key="governance.food_inspections",
    group=GOVERNANCE,
    label=_("Food-safety inspections done"),
    definition=_(
        "Inspections of catering establishments done in the month's year (a result recorded "
        "on a scheduled inspection not cancelled) against the legal minimum of their risk "
        "grade (establishments × inspections a year at least). Inspections beyond a grade's "
        "minimum do not make up for another grade's."
    ),
    formula=_("sum over grades of min(done, establishments × minimum) ÷ sum of the minimums"),
    is_rate=True,
    breakdown=_("Inspections done, by grade"),
)
def food_inspections(access: Access, period: Period) -> Figure:
    grades = foodsafety_statistics.per_grade(
        Establishment.objects.visible_to(access),
        ScheduledInspection.objects.visible_to(access),
        period.year,
    )
    allowed = foodsafety_rules.may_read(access)
    due = sum(g.required for g in grades)
    done = sum(min(g.done, g.required) for g in grades)
    labels = dict(Grade.choices)
    parts = tuple(
        Part(str(labels[g.grade]), g.done, page_url("foodsafety:list", allowed, grade=g.grade))
        for g in grades
        if g.establishments
    )
    url = page_url("foodsafety:statistics", allowed, year=period.year)
    return Figure(rate(done, due), url, parts, base=due)


MEDIATED = (MediationCase.Status.AGREED, MediationCase.Status.NO_AGREEMENT)


@indicator(
    key="governance.mediation_agreements",
    group=GOVERNANCE,
    label=_("Disputes settled by agreement"),
    definition=_(
        "Of the disputes whose mediation ended in the month (agreement or no agreement), the "
        "share that ended in an agreement. A withdrawn dispute was not mediated to an end and "
        "counts in neither."
    ),
    formula=_("agreements reached ÷ disputes mediated, closed in the month"),
    is_rate=True,
    breakdown=_("Closed in the month, by outcome"),
)
def mediation_agreements(access: Access, period: Period) -> Figure:
    closed = (
        MediationCase.objects.visible_to(counted_by(access))
        .filter(closed_on__gte=period.first_day, closed_on__lte=period.last_day)
        .aggregate(
            **{
                status: Count("pk", filter=Q(status=status))
                for status in (*MEDIATED, MediationCase.Status.WITHDRAWN)
            }
        )
    )
    allowed = mediation_rules.may_use(access)
    labels = dict(MediationCase.Status.choices)
    parts = tuple(
        Part(str(labels[status]), n, page_url("mediation:list", allowed, status=status))
        for status, n in closed.items()
        if n
    )
    mediated = sum(closed[status] for status in MEDIATED)
    return Figure(
        rate(closed[MediationCase.Status.AGREED], mediated),
        page_url("mediation:list", allowed),
        parts,
        base=mediated,
    )


@indicator(
    key="governance.patrol_coverage",
    group=GOVERNANCE,
    label=_("Patrol points checked"),
    definition=_(
        "Of the points of the active patrol plans, the share checked in at least once on a "
        "patrol in the month; a point checked in twice counts once."
    ),
    formula=_("points checked in during the month ÷ points of the active plans"),
    is_rate=True,
    breakdown=_("Points checked, by grid"),
)
def patrol_points(access: Access, period: Period) -> Figure:
    grids = patrol_coverage.by_grid(access, period.first_day)
    url = page_url("patrols:coverage", patrols_rules.may_use(access), month=str(period))
    planned = sum(g.points for g in grids)
    checked = sum(min(g.points_checked, g.points) for g in grids)
    parts = tuple(Part(g.grid, g.points_checked, url) for g in grids)
    return Figure(rate(checked, planned), url, parts, base=planned)


@indicator(
    key="governance.works_registered",
    group=GOVERNANCE,
    label=_("Sporadic works registered"),
    definition=_(
        "Renovation works registered in the month before they started, by the class their "
        "registration was given; works found without registration in the month are a part "
        "of their own and not in the count."
    ),
    formula=_("count(works with registration date in the month, not found unregistered)"),
    breakdown=_("By class; found without registration"),
)
def works_registered(access: Access, period: Period) -> Figure:
    allowed = works_rules.may_export(access)
    in_month = Works.objects.visible_to(access).filter(
        registered_on__gte=period.first_day, registered_on__lte=period.last_day
    )
    unregistered = in_month.filter(stage=Works.Stage.UNREGISTERED).count()
    registered = in_month.exclude(stage=Works.Stage.UNREGISTERED)
    by_class = dict(registered.values_list("classification").annotate(n=Count("pk")).order_by())
    parts = tuple(
        Part(str(label), by_class[code], page_url("works:list", allowed, classification=code))
        for code, label in WORKS_CLASSES
        if by_class.get(code)
    )
    if unregistered:
        parts += (
            Part(
                str(Works.Stage.UNREGISTERED.label),
                unregistered,
                page_url("works:list", allowed, stage=Works.Stage.UNREGISTERED),
            ),
        )
    return Figure(sum(by_class.values()), page_url("works:list", allowed), parts)
