"""The life-circle analysis of a sub-district: the engine fed from the registry, cached.

Homes are the quarters' entrances, each carrying an equal share of the quarter's residents (a
quarter without entrances counts at the middle of its polygon); facilities are every registry
facility with an entrance, the ones in the 1 km ring outside the boundary included. One
``Accessibility`` is built per (network version, inputs fingerprint) and kept in process memory,
so a page, its map layers and a what-if click share the same snapped points and Dijkstra runs.
The fingerprint is a hash of the very arrays handed to the engine, so any change to a quarter,
facility, standard or speed is picked up on the next request without explicit invalidation.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _

from linli.core.geo import as_geometry, as_positions
from linli.core.models import Subdistrict
from linli.lifecircle import engine, network_store, services
from linli.lifecircle.models import FacilityStandard, WalkNetworkVersion
from linli.registry.models import Facility, Quarter

MAX_CACHED_ANALYSES = 16
# Colour bands of a service area, as shares of the threshold (nearest first).
SERVICE_BANDS = (0.25, 0.5, 0.75, 1.0)
BAND_COLOURS = ("#1b7837", "#5aae61", "#c98a00", "#d95f02")
# Quarter fill by covered share: (upper bound, colour); 1.0 means everyone is covered.
SHARE_CLASSES = (
    (0.25, "#d73027"),
    (0.5, "#fc8d59"),
    (0.75, "#fee08b"),
    (0.999999, "#91cf60"),
    (1.0, "#1a9850"),
)
# Candidate sites for suggestions: network nodes inside the boundary, one per cell of this size.
CANDIDATE_CELL_M = 60.0


class NoNetwork(Exception):
    """The sub-district has no walking network yet."""


@dataclass
class QuarterInfo:
    pk: int
    code: str
    name: str
    population: int
    over_60: int
    geometry: dict[str, Any] | None
    located: bool


@dataclass
class FacilityInfo:
    pk: int
    code: str
    name: str
    category: str
    capacity: int | None
    entrances: list[list[float]]
    outside: bool


@dataclass
class Analysis:
    subdistrict_id: int
    version: WalkNetworkVersion
    network: engine.WalkNetwork
    acc: engine.Accessibility
    standards: dict[str, FacilityStandard]
    quarters: list[QuarterInfo]
    facilities: list[FacilityInfo]
    home_quarter: np.ndarray  # index into ``quarters`` per home point
    boundary: dict[str, Any] | None
    # The engine keeps scratch buffers per instance; one request at a time may use them.
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def types(self) -> list[str]:
        return list(self.standards)

    def standard(self, facility_type: str) -> FacilityStandard:
        try:
            return self.standards[facility_type]
        except KeyError:
            raise KeyError(facility_type) from None

    @property
    def unlocated(self) -> list[QuarterInfo]:
        return [q for q in self.quarters if not q.located]


_lock = threading.Lock()
_analyses: OrderedDict[tuple[Any, ...], Analysis] = OrderedDict()


def clear_cache() -> None:
    with _lock:
        _analyses.clear()
    network_store.clear()


# -- inputs ---------------------------------------------------------------------------------


def _quarter_points(
    quarter: Any,
) -> tuple[list[list[float]], dict[str, Any] | None]:
    geometry = as_geometry(quarter["polygon"])
    points = as_positions(quarter["entrances"])
    if not points and geometry is not None:
        try:
            centre = shapely.geometry.shape(geometry).representative_point()
            points = [[float(centre.x), float(centre.y)]]
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
            points = []
    return points, geometry


def _inputs(
    subdistrict: Subdistrict,
) -> tuple[engine.Homes, engine.Facilities, list[QuarterInfo], list[FacilityInfo], np.ndarray]:
    quarters: list[QuarterInfo] = []
    lon: list[float] = []
    lat: list[float] = []
    pop: list[float] = []
    old: list[float] = []
    group: list[str] = []
    home_quarter: list[int] = []
    rows = Quarter.objects.filter(subdistrict=subdistrict).order_by("code", "pk")
    for q in rows.values("pk", "code", "name", "polygon", "entrances", "population", "over_60"):
        points, geometry = _quarter_points(q)
        index = len(quarters)
        over_60 = min(q["over_60"], q["population"])
        quarters.append(
            QuarterInfo(
                q["pk"], q["code"], q["name"], q["population"], over_60, geometry, bool(points)
            )
        )
        for lo, la in points:
            lon.append(lo)
            lat.append(la)
            pop.append(q["population"] / len(points))
            old.append(over_60 / len(points))
            group.append(str(q["pk"]))
            home_quarter.append(index)
    homes = engine.Homes.from_arrays(lon, lat, pop, old, group=np.asarray(group, dtype=object))

    boundary = as_geometry(subdistrict.boundary)
    area = None
    if boundary is not None:
        try:
            area = shapely.geometry.shape(boundary)
            shapely.prepare(area)
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
            area = None
    facilities: list[FacilityInfo] = []
    records = []
    rows_f = Facility.objects.filter(subdistrict=subdistrict).order_by("category", "code", "pk")
    for f in rows_f.values("pk", "code", "name", "category", "capacity", "entrances"):
        entrances = as_positions(f["entrances"])
        if not entrances:
            continue
        outside = area is not None and not area.intersects(shapely.Point(entrances[0]))
        facilities.append(
            FacilityInfo(
                f["pk"], f["code"], f["name"], f["category"], f["capacity"], entrances, outside
            )
        )
        records.append(
            {
                "id": f["pk"],
                "type": f["category"],
                "capacity": f["capacity"],
                "entrances": entrances,
            }
        )
    if records:
        engine_facilities = engine.Facilities.from_records(records)
    else:
        engine_facilities = engine.Facilities.from_points([], [], [])
    return homes, engine_facilities, quarters, facilities, np.asarray(home_quarter, dtype=np.int64)


def _fingerprint(
    homes: engine.Homes,
    facilities: engine.Facilities,
    standards: list[engine.FacilityStandard],
    speeds: engine.WalkingSpeeds,
    quarters: list[QuarterInfo],
    names: list[FacilityInfo],
) -> str:
    h = hashlib.sha256()
    for arr in (homes.lon, homes.lat, homes.population, homes.over_60):
        h.update(np.ascontiguousarray(arr).tobytes())
    h.update("|".join(map(str, homes.group if homes.group is not None else [])).encode())
    arrays: tuple[np.ndarray, ...] = (
        facilities.capacity,
        facilities.entrance_lon,
        facilities.entrance_lat,
        facilities.entrance_facility,
    )
    for block in arrays:
        h.update(np.ascontiguousarray(block).tobytes())
    h.update("|".join(map(str, facilities.types)).encode())
    h.update(repr(standards).encode())
    h.update(repr(sorted(speeds.speeds.items())).encode())
    # Names show on the pages; a rename must not serve a stale label.
    h.update(repr([(q.pk, q.name, q.code) for q in quarters]).encode())
    h.update(repr([(f.pk, f.name, f.code) for f in names]).encode())
    return h.hexdigest()


def get_analysis(subdistrict: Subdistrict) -> Analysis:
    """The cached analysis of the sub-district's current network and registry data."""
    version = services.current_version(subdistrict)
    if version is None:
        raise NoNetwork
    rows = services.ensure_standards(subdistrict)
    standards = services.engine_standards(rows)
    speeds = services.engine_speeds(services.settings_for(subdistrict))
    homes, facilities, quarters, facility_info, home_quarter = _inputs(subdistrict)
    key = (
        subdistrict.pk,
        version.pk,
        version.sha256,
        _fingerprint(homes, facilities, standards, speeds, quarters, facility_info),
    )
    with _lock:
        cached = _analyses.get(key)
        if cached is not None:
            _analyses.move_to_end(key)
            return cached
    network = network_store.load(version)
    acc = engine.Accessibility(network, homes, facilities, standards, speeds=speeds)
    if len(homes) and standards:
        # The first what-if builds the engine's lazy indexes (home anchors, edge order); doing
        # it here keeps every click within the 50 ms target.
        acc.what_if(float(homes.lon[0]), float(homes.lat[0]), standards[0].key)
    ordered = {r.facility_type: r for r in sorted(rows, key=lambda r: (r.position, r.pk))}
    analysis = Analysis(
        subdistrict_id=subdistrict.pk,
        version=version,
        network=network,
        acc=acc,
        standards=ordered,
        quarters=quarters,
        facilities=facility_info,
        home_quarter=home_quarter,
        boundary=as_geometry(subdistrict.boundary),
    )
    with _lock:
        _analyses[key] = analysis
        while len(_analyses) > MAX_CACHED_ANALYSES:
            _analyses.popitem(last=False)
    return analysis


# -- figures --------------------------------------------------------------------------------


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


def _finite(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


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
                # The walk from the quarter's worst-placed entrance to the nearest facility.
                "farthest_m": _finite(float(worst[i])) if q.located else None,
                "located": q.located,
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
                "per_thousand": _finite(float(ratio) * 1000.0) if np.isfinite(ratio) else None,
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
        "unlocated": analysis.unlocated,
        "facilities": len(analysis.facilities),
        "facilities_outside": sum(1 for f in analysis.facilities if f.outside),
        "version": analysis.version,
        "seconds": time.perf_counter() - started,
    }


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
        "share_before": _finite(result.share_before),
        "share_after": _finite(result.share_after),
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


# -- map layers -----------------------------------------------------------------------------


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _layer(
    key: str,
    title: str,
    geometry: str,
    features: list[dict[str, Any]],
    *,
    legend: list[dict[str, Any]] | None = None,
    visible: bool = True,
) -> dict[str, Any]:
    return {
        "id": key,
        "title": title,
        "geometry": geometry,
        "data": _collection(features),
        "legend": legend or [],
        "visible": visible,
    }


def share_colour(share: float | None) -> str:
    if share is None:
        return "#bdbdbd"
    for upper, colour in SHARE_CLASSES:
        if share <= upper:
            return colour
    return SHARE_CLASSES[-1][1]


def _share_legend() -> list[dict[str, Any]]:
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
    return [
        {"label": label, "style": {"color": "#333", "fillColor": colour, "fillOpacity": 0.6}}
        for label, (_upper, colour) in zip(labels, SHARE_CLASSES, strict=True)
    ]


def network_layer(analysis: Analysis) -> dict[str, Any]:
    net = analysis.network
    lines = np.stack(
        [
            np.column_stack([net.lon[net.edge_u], net.lat[net.edge_u]]),
            np.column_stack([net.lon[net.edge_v], net.lat[net.edge_v]]),
        ],
        axis=1,
    ).round(6)
    feature = {
        "type": "Feature",
        "geometry": {"type": "MultiLineString", "coordinates": lines.tolist()},
        "properties": {"style": {"color": "#8c96a3", "weight": 1, "opacity": 0.8}},
    }
    bridges = np.flatnonzero(net.edge_bridge)
    features = [feature]
    if len(bridges):
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": lines[bridges].tolist(),
                },
                "properties": {"style": {"color": "#37474f", "weight": 4, "opacity": 0.9}},
            }
        )
    return _layer("network", _("Walking network"), "line", features)


def service_area_geojson(analysis: Analysis, facility_type: str) -> dict[str, Any]:
    """The network within walking distance of the type, as one MultiLineString per band."""
    analysis.standard(facility_type)
    with analysis.lock:
        area = analysis.acc.service_area(facility_type)
        raw = area.to_geojson(analysis.network)
    threshold = area.threshold_m
    bands: list[list[Any]] = [[] for _ in SERVICE_BANDS]
    for feature in raw["features"]:
        share = feature["properties"]["distance_m"] / threshold if threshold > 0 else 1.0
        band = next((i for i, b in enumerate(SERVICE_BANDS) if share <= b), len(SERVICE_BANDS) - 1)
        bands[band].append(feature["geometry"]["coordinates"])
    features = []
    low = 0.0
    for i, (upper, colour) in enumerate(zip(SERVICE_BANDS, BAND_COLOURS, strict=True)):
        label = _("%(low)s–%(high)s m") % {
            "low": round(low * threshold),
            "high": round(upper * threshold),
        }
        low = upper
        if not bands[i]:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": bands[i]},
                "properties": {
                    "band": i,
                    "name": label,
                    "style": {"color": colour, "weight": 4, "opacity": 0.9},
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "facility_type": facility_type,
            "threshold_m": threshold,
            "length_km": round(area.length_m() / 1000.0, 2),
        },
    }


def map_layers(analysis: Analysis, facility_type: str) -> dict[str, Any]:
    summary = type_coverage(analysis, facility_type)
    threshold = summary["threshold_m"]
    layers = []
    if analysis.boundary:
        layers.append(
            _layer(
                "boundary",
                _("Sub-district boundary"),
                "polygon",
                [{"type": "Feature", "geometry": analysis.boundary, "properties": {}}],
            )
        )
    quarter_features = []
    for row in summary["quarters"]:
        q = row["quarter"]
        if q.geometry is None:
            continue
        share = row["share"]
        detail = (
            _(
                "%(share)s of %(weight)s within %(distance)s m "
                "(%(covered)s of %(total)s); %(uncovered)s not covered"
            )
            % {
                "share": f"{share:.0%}",
                "weight": summary["weight_label"],
                "distance": round(threshold),
                "covered": f"{row['covered']:,.0f}",
                "total": f"{row['total']:,.0f}",
                "uncovered": f"{row['uncovered']:,.0f}",
            }
            if share is not None
            else _("No residents recorded")
        )
        quarter_features.append(
            {
                "type": "Feature",
                "geometry": q.geometry,
                "properties": {
                    "id": q.pk,
                    "name": q.name,
                    "detail": detail,
                    "share": share,
                    "uncovered": row["uncovered"],
                    "style": {
                        "color": "#37474f",
                        "weight": 1,
                        "fillColor": share_colour(share),
                        "fillOpacity": 0.5,
                    },
                },
            }
        )
    layers.append(
        _layer(
            "coverage",
            _("Quarters by coverage"),
            "polygon",
            quarter_features,
            legend=_share_legend(),
        )
    )
    layers.append(network_layer(analysis))
    area = service_area_geojson(analysis, facility_type)
    layers.append(
        _layer(
            "service_area",
            _("Walkable within %(distance)s m") % {"distance": round(threshold)},
            "line",
            area["features"],
            legend=[
                {"label": f["properties"]["name"], "style": f["properties"]["style"]}
                for f in area["features"]
            ],
        )
    )
    this_type: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for f in analysis.facilities:
        geometry = (
            {"type": "Point", "coordinates": f.entrances[0]}
            if len(f.entrances) == 1
            else {"type": "MultiPoint", "coordinates": f.entrances}
        )
        detail = type_label(f.category)
        if f.outside:
            detail = _("%(type)s · outside the boundary") % {"type": detail}
        feature = {
            "type": "Feature",
            "geometry": geometry,
            "properties": {"id": f.pk, "name": f.name, "detail": detail, "category": f.category},
        }
        (this_type if f.category == facility_type else others).append(feature)
    layers.append(_layer("type_facilities", summary["label"], "point", this_type))
    layers.append(_layer("other_facilities", _("Other facilities"), "point", others, visible=False))
    return {
        "facility_type": facility_type,
        "label": summary["label"],
        "threshold_m": threshold,
        "share": summary["share"],
        "covered": summary["covered"],
        "total": summary["total"],
        "weight_label": summary["weight_label"],
        "crs": "WGS84",
        "layers": layers,
    }
