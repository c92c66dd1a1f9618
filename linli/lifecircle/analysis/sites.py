"""Where a new facility would help: the what-if of one site and suggested sites."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import shapely

from linli.lifecircle.analysis.cache import Analysis
from linli.lifecircle.analysis.labels import finite, type_label, weight_label

# Candidate sites for suggestions: network nodes inside the boundary, one per cell of this size.
CANDIDATE_CELL_M = 60.0


def what_if(analysis: Analysis, lon: float, lat: float, facility_type: str) -> dict[str, Any]:
    """What a new facility of a type at (lon, lat) would add; ``engine_ms`` is the engine's
    own time (the target is 50 ms)."""
    standard = analysis.standard(facility_type)
    with analysis.lock:
        analysis.acc.nearest([facility_type])  # warm, so the timing is the what-if alone
        started = time.perf_counter()
        result = analysis.acc.what_if(lon, lat, facility_type)
        engine_ms = (time.perf_counter() - started) * 1000.0
    weights = analysis.acc.homes.weights(standard.weighting)
    new = result.newly_covered
    hq = analysis.home_quarter
    by_quarter: dict[int, float] = {}
    for i in new.tolist():
        by_quarter[int(hq[i])] = by_quarter.get(int(hq[i]), 0.0) + float(weights[i])
    homes = analysis.acc.homes
    return {
        "type": facility_type,
        "label": type_label(facility_type),
        "tier": standard.tier_minutes,
        "lon": float(lon),
        "lat": float(lat),
        "snap_m": round(result.snap_m, 1),
        "threshold_m": round(result.threshold_m, 1),
        "weighting": standard.weighting,
        "weight_label": weight_label(standard.weighting),
        "total": result.total_weight,
        "covered_before": result.covered_weight_before,
        "covered_after": result.covered_weight_before + result.added_weight,
        "added": result.added_weight,
        "share_before": finite(result.share_before),
        "share_after": finite(result.share_after),
        "quarters": [
            {
                "id": analysis.quarters[i].pk,
                "name": analysis.quarters[i].name,
                "added": round(w, 1),
            }
            for i, w in sorted(by_quarter.items(), key=lambda kv: -kv[1])
        ],
        "points": [
            {
                "lon": round(float(homes.lon[i]), 7),
                "lat": round(float(homes.lat[i]), 7),
                "people": round(float(weights[i]), 1),
                "distance_m": round(float(d), 1),
                "quarter": analysis.quarters[int(hq[i])].name,
            }
            for i, d in zip(new.tolist(), result.distance_m.tolist(), strict=True)
        ],
        "engine_ms": round(engine_ms, 2),
    }


def candidate_sites(analysis: Analysis) -> tuple[np.ndarray, np.ndarray]:
    """Network nodes inside the boundary, thinned to one per cell: where a facility could go."""
    net = analysis.network
    keep = np.ones(net.n_nodes, dtype=bool)
    if analysis.boundary is not None:
        area = shapely.geometry.shape(analysis.boundary)
        keep = shapely.contains_xy(area, net.lon, net.lat)
    idx = np.flatnonzero(keep)
    cells = np.round(np.column_stack([net.x[idx], net.y[idx]]) / CANDIDATE_CELL_M)
    _, first = np.unique(cells, axis=0, return_index=True)
    chosen = idx[np.sort(first)]
    return net.lon[chosen], net.lat[chosen]


def suggest_sites(analysis: Analysis, facility_type: str, top: int = 5) -> dict[str, Any]:
    """The best sites for ``top`` new facilities of a type, each given the ones before it."""
    analysis.standard(facility_type)
    lon, lat = candidate_sites(analysis)
    with analysis.lock:
        started = time.perf_counter()
        ranked = analysis.acc.rank_candidates(lon, lat, facility_type, greedy=True, top=top)
        seconds = time.perf_counter() - started
    return {
        "type": facility_type,
        "label": type_label(facility_type),
        "candidates": len(lon),
        "sites": [
            {
                "rank": n,
                "lon": round(c.lon, 7),
                "lat": round(c.lat, 7),
                "added": round(c.added_weight, 1),
                "homes": c.newly_covered,
            }
            for n, c in enumerate(ranked, start=1)
            if c.added_weight > 0
        ],
        "seconds": round(seconds, 3),
    }
