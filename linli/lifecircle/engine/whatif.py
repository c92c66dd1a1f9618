"""What-if: the coverage a new facility at a candidate site would add, and candidates ranked."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .distances import CHUNK_CELLS, WalkDistances
from .snap import Snapped


@dataclass
class WhatIf:
    type: str
    lon: float
    lat: float
    snap_m: float
    threshold_m: float
    newly_covered: NDArray[np.int64]
    added_weight: float
    covered_weight_before: float
    total_weight: float
    #: Walking distance from the candidate to each newly covered home point.
    distance_m: NDArray[np.float64]

    @property
    def share_before(self) -> float:
        return _share(self.covered_weight_before, self.total_weight)

    @property
    def share_after(self) -> float:
        return _share(self.covered_weight_before + self.added_weight, self.total_weight)


@dataclass
class CandidateScore:
    index: int  # position in the candidate list
    lon: float
    lat: float
    snap_m: float
    added_weight: float
    newly_covered: int


def _share(part: float, total: float) -> float:
    return part / total if total > 0 else float("nan")


def added_coverage(
    distances: WalkDistances,
    facility_type: str,
    lon: float,
    lat: float,
    cand: Snapped,
    thr: float,
    current: NDArray[np.float64],
    w: NDArray[np.float64],
) -> WhatIf:
    """What a facility at the snapped site ``cand`` adds, given each home point's ``current``
    nearest-facility distance and weight ``w``."""
    _, homes, dist = distances.candidate_reach(cand, thr)
    fresh = ~(current[homes] <= thr)
    new, new_d = homes[fresh], dist[fresh]
    order = np.argsort(new, kind="stable")
    new, new_d = new[order], new_d[order]
    return WhatIf(
        type=facility_type,
        lon=float(lon),
        lat=float(lat),
        snap_m=float(cand.offset_m[0]),
        threshold_m=thr,
        newly_covered=new,
        added_weight=float(w[new].sum()),
        covered_weight_before=float(w[current <= thr].sum()),
        total_weight=float(w.sum()),
        distance_m=new_d,
    )


def score_candidates(
    distances: WalkDistances,
    lon_a: NDArray[np.float64],
    lat_a: NDArray[np.float64],
    cand: Snapped,
    thr: float,
    uncovered: NDArray[np.bool_],
    w: NDArray[np.float64],
    *,
    greedy: bool,
    top: int | None,
) -> list[CandidateScore]:
    """The snapped sites ``cand`` by the weight ``w`` they would newly cover among the
    ``uncovered`` home points, best first (see ``Accessibility.rank_candidates``)."""
    k = len(cand)
    reach: list[NDArray[np.int64]] = []
    chunk = max(1, CHUNK_CELLS // max(distances.n, len(distances.home_snap), 1) // 2)
    for s in range(0, k, chunk):
        idx = np.arange(s, min(k, s + chunk))
        rows, homes, _ = distances.candidate_reach(cand.take(idx), thr)
        order = np.argsort(rows, kind="stable")
        reach.extend(np.split(homes[order], np.searchsorted(rows[order], np.arange(1, len(idx)))))
    limit = k if top is None else min(k, top)

    def score(i: int, open_: NDArray[np.bool_]) -> CandidateScore:
        new = reach[i][open_[reach[i]]]
        return CandidateScore(
            index=i,
            lon=float(lon_a[i]),
            lat=float(lat_a[i]),
            snap_m=float(cand.offset_m[i]),
            added_weight=float(w[new].sum()),
            newly_covered=len(new),
        )

    if not greedy:
        scores = [score(i, uncovered) for i in range(k)]
        scores.sort(key=lambda c: (-c.added_weight, -c.newly_covered, c.index))
        return scores[:limit]
    open_ = uncovered.copy()
    picked: list[CandidateScore] = []
    remaining = set(range(k))
    while remaining and len(picked) < limit:
        best = min(
            (score(i, open_) for i in remaining),
            key=lambda c: (-c.added_weight, -c.newly_covered, c.index),
        )
        picked.append(best)
        remaining.discard(best.index)
        open_[reach[best.index]] = False
    return picked
