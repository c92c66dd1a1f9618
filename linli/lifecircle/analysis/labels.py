"""How the analysis names and shows figures, for the pages, the API, the map and the exports
alike: type and weighting labels, percentages, and the coverage band of a share."""

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


def homes_label(homes: str) -> str:
    """Where a quarter's homes come from (``analysis.inputs``)."""
    if homes == "dwellings":
        return _("residents register: people at their buildings")
    return _("estimate: the quarter's totals at its gates")


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.1%}"


def finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


# Coverage bands of a share of people within reach: (upper bound, colour); 1.0 means everyone.
SHARE_BANDS = (
    (0.25, "#d73027"),
    (0.5, "#fc8d59"),
    (0.75, "#fee08b"),
    (0.999999, "#91cf60"),
    (1.0, "#1a9850"),
)
NO_SHARE_COLOUR = "#bdbdbd"


def share_bands() -> list[tuple[str, str]]:
    """(label, colour) of each band, lowest first: the map's legend."""
    # A bare "%" would mark these as Python format strings and trip msgfmt --check.
    labels = [
        # xgettext:no-python-format
        _("under 25% covered"),
        # xgettext:no-python-format
        _("25–50% covered"),
        # xgettext:no-python-format
        _("50–75% covered"),
        # xgettext:no-python-format
        _("75% or more covered"),
        _("everyone covered"),
    ]
    return [(label, colour) for label, (_upper, colour) in zip(labels, SHARE_BANDS, strict=True)]


def share_colour(share: float | None) -> str:
    """The colour of the band ``share`` falls in (grey where nobody lives)."""
    if share is None:
        return NO_SHARE_COLOUR
    for upper, colour in SHARE_BANDS:
        if share <= upper:
            return colour
    return SHARE_BANDS[-1][1]
