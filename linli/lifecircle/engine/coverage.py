"""Coverage: the share of residents within walking distance of a facility type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .inputs import Homes


@dataclass
class GroupShare:
    covered_weight: float
    total_weight: float

    @property
    def share(self) -> float:
        return self.covered_weight / self.total_weight if self.total_weight > 0 else float("nan")


@dataclass
class Coverage:
    type: str
    threshold_m: float
    weight: str
    #: Nearest-facility walking distance per home point (inf: none reachable).
    distance_m: NDArray[np.float64]
    covered: NDArray[np.bool_]
    #: Facilities of the type within the threshold, per home point.
    count: NDArray[np.int64] | None
    covered_weight: float
    total_weight: float
    by_group: dict[Any, GroupShare] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.covered_weight / self.total_weight if self.total_weight > 0 else float("nan")

    @property
    def gaps(self) -> NDArray[np.int64]:
        """Home points outside the threshold, farthest first."""
        idx = np.flatnonzero(~self.covered)
        return idx[np.argsort(-self.distance_m[idx], kind="stable")]

    def summary(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "threshold_m": self.threshold_m,
            "weight": self.weight,
            "covered_weight": self.covered_weight,
            "total_weight": self.total_weight,
            "share": self.share,
            "uncovered_points": int((~self.covered).sum()),
        }


def group_index(homes: Homes) -> tuple[NDArray[np.str_], NDArray[np.int64]]:
    """The distinct group labels of the home points, and each point's position among them."""
    group = homes.group if homes.group is not None else np.zeros(0)
    labels, inv = np.unique(group.astype(str), return_inverse=True)
    return labels, inv.reshape(-1).astype(np.int64)


def type_coverage(
    facility_type: str,
    threshold_m: float,
    weight_name: str,
    homes: Homes,
    distance_m: NDArray[np.float64],
    count: NDArray[np.int64] | None,
    groups: tuple[NDArray[np.str_], NDArray[np.int64]] | None,
) -> Coverage:
    """Coverage of one type from each home point's nearest-facility distance; ``groups`` (see
    :func:`group_index`) adds the share per group."""
    covered = distance_m <= threshold_m
    w = homes.weights(weight_name)
    by_group: dict[Any, GroupShare] = {}
    if groups is not None:
        labels, inv = groups
        cov_w = np.bincount(inv, weights=w * covered, minlength=len(labels))
        tot_w = np.bincount(inv, weights=w, minlength=len(labels))
        by_group = {
            str(lab): GroupShare(float(c), float(tw))
            for lab, c, tw in zip(labels, cov_w, tot_w, strict=True)
        }
    return Coverage(
        type=facility_type,
        threshold_m=threshold_m,
        weight=weight_name,
        distance_m=distance_m,
        covered=covered,
        count=count,
        covered_weight=float(w[covered].sum()),
        total_weight=float(w.sum()),
        by_group=by_group,
    )
