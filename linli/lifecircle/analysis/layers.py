"""The analysis as map layers: quarters by coverage, the network, service areas, facilities."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from linli.lifecircle.analysis.cache import Analysis
from linli.lifecircle.analysis.coverage import type_coverage
from linli.lifecircle.analysis.labels import share_bands, share_colour, type_label

# Colour bands of a service area, as shares of the threshold (nearest first).
SERVICE_BANDS = (0.25, 0.5, 0.75, 1.0)
BAND_COLOURS = ("#1b7837", "#5aae61", "#c98a00", "#d95f02")


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


def _share_legend() -> list[dict[str, Any]]:
    return [
        {"label": label, "style": {"color": "#333", "fillColor": colour, "fillOpacity": 0.6}}
        for label, colour in share_bands()
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
