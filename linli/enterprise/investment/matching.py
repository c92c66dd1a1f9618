"""Match a prospect's needs (area, floors, budget) to the free vacant units, best first.

A unit is a candidate when its area is within ``AREA_TOLERANCE`` of the area needed; floors
and budget then rank the candidates. Each match carries its reasons, met or not, so the
ambassador sees why a unit is proposed and what it would take to make it fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.enterprise.investment.models import Prospect, VacantUnit

AREA_TOLERANCE = Decimal("0.25")  # ±25 % of the area needed
MAX_MATCHES = 10


@dataclass(frozen=True)
class Reason:
    met: bool
    text: str


@dataclass
class Match:
    unit: VacantUnit
    score: float
    reasons: list[Reason] = field(default_factory=list)


def _area_reason(prospect: Prospect, unit: VacantUnit) -> tuple[float, Reason] | None:
    if not prospect.area_m2:
        return 0.5, Reason(True, _("No area given: every unit is a candidate."))
    need = prospect.area_m2
    gap = abs(unit.area_m2 - need) / need
    if gap > AREA_TOLERANCE:
        return None
    text = _("%(area)s m² for %(need)s m² needed (%(gap)s%% off)") % {
        "area": unit.area_m2,
        "need": need,
        "gap": round(gap * 100),
    }
    return 1 - float(gap / AREA_TOLERANCE), Reason(True, text)


def _floor_reason(prospect: Prospect, unit: VacantUnit) -> tuple[float, Reason] | None:
    low, high = prospect.floor_min, prospect.floor_max
    if low is None and high is None:
        return None
    if (low is None or unit.floor >= low) and (high is None or unit.floor <= high):
        wanted = f"{low if low is not None else ''}–{high if high is not None else ''}"
        return 1.0, Reason(
            True, _("floor %(floor)s within %(wanted)s") % {"floor": unit.floor, "wanted": wanted}
        )
    wanted = f"{low if low is not None else ''}–{high if high is not None else ''}"
    return 0.0, Reason(
        False, _("floor %(floor)s outside %(wanted)s") % {"floor": unit.floor, "wanted": wanted}
    )


def _budget_reason(prospect: Prospect, unit: VacantUnit) -> tuple[float, Reason] | None:
    budget = prospect.budget_per_m2_day
    if budget is None:
        return None
    values = {"rent": unit.rent_per_m2_day, "budget": budget}
    if unit.rent_per_m2_day <= budget:
        return 1.0, Reason(True, _("rent %(rent)s within budget %(budget)s yuan/m²/day") % values)
    over = float((unit.rent_per_m2_day - budget) / budget) if budget else 1.0
    return max(0.0, 0.5 - over), Reason(
        False, _("rent %(rent)s over budget %(budget)s yuan/m²/day") % values
    )


def match_units(prospect: Prospect, units: Iterable[VacantUnit]) -> list[Match]:
    """The free units that fit the prospect's area, ranked by how well floor and rent fit."""
    matches = []
    for unit in units:
        if not unit.is_free:
            continue
        area = _area_reason(prospect, unit)
        if area is None:
            continue
        parts = [area, _floor_reason(prospect, unit), _budget_reason(prospect, unit)]
        found = [part for part in parts if part is not None]
        score = sum(points for points, _reason in found)
        matches.append(Match(unit, score, [reason for _points, reason in found]))
    matches.sort(key=lambda m: (-m.score, m.unit.rent_per_m2_day, m.unit.pk))
    return matches[:MAX_MATCHES]


def matches_for(prospect: Prospect, access: Access | None = None) -> list[Match]:
    """The best free units for the prospect, among those ``access`` may read (every unit of
    the sub-district when no one is named: a task's or a test's view)."""
    units = VacantUnit.objects.all()
    if access is not None:
        units = units.visible_to(access)
    units = units.filter(taken_at__isnull=True).select_related("building")
    if prospect.area_m2:
        low = prospect.area_m2 * (1 - AREA_TOLERANCE)
        high = prospect.area_m2 * (1 + AREA_TOLERANCE)
        units = units.filter(area_m2__gte=low, area_m2__lte=high)
    return match_units(prospect, units)
