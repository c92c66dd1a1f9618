"""Coverage figures of a sub-district: per type and quarter, the gaps, 2SFCA and the report."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from linli.lifecircle import engine
from linli.lifecircle.analysis.cache import Analysis
from linli.lifecircle.analysis.labels import (
    finite,
    homes_label,
    percent,
    type_label,
    weight_label,
)


def _quarter_rows(analysis: Analysis, cov: engine.Coverage) -> list[dict[str, Any]]:
    n = len(analysis.quarters)
    weights = analysis.acc.homes.weights(cov.weight)
    hq = analysis.home_quarter
    total = np.bincount(hq, weights=weights, minlength=n) if len(hq) else np.zeros(n)
    covered = (
        np.bincount(hq, weights=weights * cov.covered, minlength=n) if len(hq) else np.zeros(n)
    )
    worst = np.full(n, -np.inf)
    if len(hq):
        np.maximum.at(worst, hq, cov.distance_m)
    rows = []
    for i, q in enumerate(analysis.quarters):
        tot = float(total[i])
        cov_w = float(covered[i])
        rows.append(
            {
                "quarter": q,
                "total": tot,
                "covered": cov_w,
                "uncovered": max(0.0, tot - cov_w),
                "share": cov_w / tot if tot > 0 else None,
                "share_text": percent(cov_w / tot if tot > 0 else None),
                # The walk from the quarter's worst-placed home (gate or building) to the
                # nearest facility.
                "farthest_m": finite(float(worst[i])) if q.located else None,
                "located": q.located,
                "homes": q.homes,
            }
        )
    return rows


def type_coverage(analysis: Analysis, facility_type: str) -> dict[str, Any]:
    standard = analysis.standard(facility_type)
    with analysis.lock:
        cov = analysis.acc.coverage([facility_type], with_counts=False)[facility_type]
        rows = _quarter_rows(analysis, cov)
    in_ring = [f for f in analysis.facilities if f.category == facility_type]
    return {
        "type": facility_type,
        "label": type_label(facility_type),
        "tier": standard.tier_minutes,
        "standard_m": standard.threshold_m,
        "threshold_m": cov.threshold_m,
        "weighting": cov.weight,
        "weight_label": weight_label(cov.weight),
        "covered": cov.covered_weight,
        "total": cov.total_weight,
        "uncovered": max(0.0, cov.total_weight - cov.covered_weight),
        "share": cov.share if cov.total_weight > 0 else None,
        "share_text": percent(cov.share if cov.total_weight > 0 else None),
        "facilities": len(in_ring),
        "facilities_outside": sum(1 for f in in_ring if f.outside),
        "quarters": rows,
    }


def coverage_all(analysis: Analysis) -> list[dict[str, Any]]:
    return [type_coverage(analysis, t) for t in analysis.types]


def gaps(analysis: Analysis, facility_type: str | None = None) -> list[dict[str, Any]]:
    """Quarter × type with residents beyond the walking distance, most people first."""
    out = []
    for t in [facility_type] if facility_type else analysis.types:
        summary = type_coverage(analysis, t)
        for row in summary["quarters"]:
            if row["uncovered"] >= 0.5:
                out.append(
                    {
                        **row,
                        "type": t,
                        "label": summary["label"],
                        "tier": summary["tier"],
                        "threshold_m": summary["threshold_m"],
                        "weighting": summary["weighting"],
                        "weight_label": summary["weight_label"],
                    }
                )
    out.sort(key=lambda r: (-r["uncovered"], r["tier"], r["quarter"].code, r["type"]))
    return out


def two_step(analysis: Analysis, facility_type: str) -> dict[str, Any]:
    """Supply per demand within reach (2SFCA) for a capacity-limited type."""
    standard = analysis.standard(facility_type)
    with analysis.lock:
        fca = analysis.acc.two_step_fca(facility_type)
    weights = analysis.acc.homes.weights(fca.weight)
    total_w = float(weights.sum())
    mean_access = float((fca.home_access * weights).sum() / total_w) if total_w > 0 else None
    no_access = float(weights[fca.home_access <= 0].sum())
    facility_rows = []
    for local, index in enumerate(fca.facility.tolist()):
        info = analysis.facilities[index]
        ratio = fca.facility_ratio[local]
        facility_rows.append(
            {
                "facility": info,
                "capacity": info.capacity,
                "demand": float(fca.facility_demand[local]),
                "per_thousand": finite(float(ratio) * 1000.0) if np.isfinite(ratio) else None,
            }
        )
    capacity = [f.capacity for f in analysis.facilities if f.category == facility_type]
    return {
        "type": facility_type,
        "label": type_label(facility_type),
        "unit": standard.get_capacity_unit_display(),
        "threshold_m": fca.threshold_m,
        "weighting": fca.weight,
        "weight_label": weight_label(fca.weight),
        "facilities": len(fca.facility),
        "capacity": sum(c for c in capacity if c is not None),
        "missing_capacity": fca.missing_capacity,
        "per_thousand": None if mean_access is None else mean_access * 1000.0,
        "no_access": no_access,
        "total": total_w,
        "facility_rows": facility_rows,
    }


def homes(analysis: Analysis) -> list[dict[str, Any]]:
    """Where each quarter's homes come from, with the residents counted there."""
    return [
        {
            "quarter": q,
            "homes": q.homes,
            "homes_label": homes_label(q.homes),
            "population": q.population,
            "over_60": q.over_60,
            "over_80": q.over_80,
            "buildings": q.buildings if q.from_dwellings else None,
            "located": q.located,
        }
        for q in analysis.quarters
    ]


def report(analysis: Analysis) -> dict[str, Any]:
    started = time.perf_counter()
    coverage = coverage_all(analysis)
    capacity_types = [t for t, s in analysis.standards.items() if s.capacity_unit]
    fca = [two_step(analysis, t) for t in capacity_types]
    people = sum(q.population for q in analysis.quarters if q.located)
    return {
        "coverage": coverage,
        "two_step": fca,
        "gaps": gaps(analysis),
        "population": people,
        "over_60": sum(q.over_60 for q in analysis.quarters if q.located),
        "quarters": len(analysis.quarters),
        "homes": homes(analysis),
        "quarters_from_dwellings": sum(1 for q in analysis.quarters if q.from_dwellings),
        "unlocated": analysis.unlocated,
        "facilities": len(analysis.facilities),
        "facilities_outside": sum(1 for f in analysis.facilities if f.outside),
        "version": analysis.version,
        "seconds": time.perf_counter() - started,
    }
