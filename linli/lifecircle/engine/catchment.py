"""Two-step floating catchment (2SFCA): a capacity-limited type's supply per demand in reach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .inputs import Facilities, Homes


@dataclass
class TwoStepFCA:
    """Two-step floating catchment: ratio = capacity / demand within reach, per facility;
    access = sum of the ratios within reach, per home point."""

    type: str
    threshold_m: float
    weight: str
    facility: NDArray[np.int64]  # indices into Facilities
    facility_demand: NDArray[np.float64]
    facility_ratio: NDArray[np.float64]  # NaN where nobody is within reach
    home_access: NDArray[np.float64]
    missing_capacity: int

    def summary(self) -> dict[str, Any]:
        reached = self.home_access[np.isfinite(self.home_access)]
        return {
            "type": self.type,
            "threshold_m": self.threshold_m,
            "weight": self.weight,
            "facilities": len(self.facility),
            "missing_capacity": self.missing_capacity,
            "median_access": float(np.median(reached)) if len(reached) else float("nan"),
            "zero_access_points": int((self.home_access == 0).sum()),
        }


def floating_catchment(
    facility_type: str,
    threshold_m: float,
    weight_name: str,
    homes: Homes,
    facilities: Facilities,
    pairs: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
) -> TwoStepFCA:
    """2SFCA of one type from its (home, facility, distance) pairs within ``threshold_m``."""
    w = homes.weights(weight_name)
    fac = np.flatnonzero(facilities.types == facility_type)
    cap = facilities.capacity[fac]
    missing = int(np.isnan(cap).sum())
    supply = np.where(np.isnan(cap), 0.0, cap)
    h, f, _ = pairs
    local = np.full(len(facilities), -1, dtype=np.int64)
    local[fac] = np.arange(len(fac))
    fl = local[f]
    demand = np.bincount(fl, weights=w[h], minlength=len(fac)).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(demand > 0, supply / demand, np.nan)
    access = np.bincount(h, weights=np.nan_to_num(ratio[fl]), minlength=len(homes)).astype(
        np.float64
    )
    return TwoStepFCA(
        type=facility_type,
        threshold_m=threshold_m,
        weight=weight_name,
        facility=fac,
        facility_demand=demand,
        facility_ratio=ratio,
        home_access=access,
        missing_capacity=missing,
    )
