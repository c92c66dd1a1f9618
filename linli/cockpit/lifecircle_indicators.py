"""The life-circle indicator of the cockpit: how much of the population lives within the planning
standard's walking distance of each type of facility.

The figures are the life circle's own: its cached analysis of the current walking network
(``lifecircle.analysis.get_analysis``, built once per network and inputs) and its engine's
coverage of every type in one pass, never a distance recomputed here. They describe the
sub-district as it is now, so the month does not change them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.cockpit.indicators import Figure, Part, Period, indicator
from linli.core import display
from linli.core.access import Access
from linli.lifecircle import analysis
from linli.lifecircle import rules as lifecircle_rules

LIFE_CIRCLE = _("Life circle")


def _gaps_url(facility_type: str = "") -> str:
    query = urlencode({"type": facility_type}) if facility_type else ""
    return reverse("lifecircle:gaps") + (f"?{query}" if query else "")


@indicator(
    key="lifecircle.coverage",
    group=LIFE_CIRCLE,
    label=_("Life-circle coverage"),
    definition=_(
        "For each facility type of the planning standards, the share of the people it serves "
        "(all residents, or those over 60 where the standard says so) whose walk along the "
        "network to the nearest such facility is within the standard's distance (300, 500 or "
        "1,000 m). The figure pools the types: people covered over people, summed over the "
        "types. It is computed by the life circle for the sub-district as it is now."
    ),
    formula=_("Σ over types of people within the distance ÷ Σ over types of people"),
    is_rate=True,
    breakdown=_("By facility type: share covered, and the people not covered"),
)
def coverage(access: Access, period: Period) -> Figure:
    if access.subdistrict is None or not lifecircle_rules.can_view(access):
        return Figure(None, base=0)
    try:
        found = analysis.get_analysis(access.subdistrict)
    except analysis.NoNetwork:
        return Figure(None, base=0)
    with found.lock:
        shares = found.acc.coverage(found.types, with_counts=False)
    parts = []
    covered = total = 0.0
    for facility_type in found.types:
        share = shares[facility_type]
        covered += share.covered_weight
        total += share.total_weight
        percent = share.covered_weight / share.total_weight if share.total_weight > 0 else None
        shown = "—" if percent is None else f"{display.number(percent * 100, 1)}%"
        parts.append(
            Part(
                f"{analysis.type_label(facility_type)} · {shown}",
                round(max(0.0, share.total_weight - share.covered_weight)),
                _gaps_url(facility_type),
            )
        )
    value = round(covered / total, 4) if total > 0 else None
    return Figure(value, _gaps_url(), tuple(parts), base=round(total))
