"""How the analysis pages name and show figures: type and weighting labels, percentages."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from linli.lifecircle.models import FacilityStandard
from linli.registry.models import Facility


def type_label(facility_type: str) -> str:
    try:
        return str(Facility.Category(facility_type).label)
    except ValueError:
        return facility_type


def weight_label(weighting: str) -> str:
    if weighting == FacilityStandard.Weighting.OVER_60:
        return _("residents over 60")
    return _("residents")


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.1%}"


def finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)
