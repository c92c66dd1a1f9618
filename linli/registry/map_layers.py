"""The registry's map layers as GeoJSON, cut to what the acting role may see.

One call builds every layer of the area map: the boundary, grids, quarters, buildings and parks
(with the latest year's tax, so the 100-million-yuan ones stand out) and facility entrances.
Each kind is one ``values()`` query; the latest tax comes from a subquery, not a query per
building. Coordinates stay WGS84: the browser shifts them when the tiles need GCJ-02.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.geo import as_geometry, as_positions
from linli.registry import rules
from linli.registry.models import (
    HUNDRED_MILLION_IN_TEN_THOUSANDS,
    Building,
    BuildingTaxYear,
    Facility,
    Grid,
    Quarter,
)


def feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _detail_url_prefix(kind: str) -> str:
    # reverse() once per kind and fill in the pk, since reversing per feature is the slow part.
    return reverse("registry:detail", kwargs={"kind": kind, "pk": 0})[: -len("0/")]


def _layer(key: str, title: str, geometry: str, features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": key, "title": title, "geometry": geometry, "data": collection(features)}


def boundary_layer(access: Access) -> dict[str, Any] | None:
    subdistrict = access.subdistrict
    if subdistrict is None:
        return None
    geometry = as_geometry(subdistrict.boundary)
    features = [feature(geometry, id=subdistrict.pk, name=subdistrict.name)] if geometry else []
    return _layer("boundary", _("Sub-district boundary"), "polygon", features)


def grid_layer(access: Access) -> dict[str, Any]:
    prefix = _detail_url_prefix("grid")
    rows = Grid.objects.visible_to(access).values("pk", "code", "name", "polygon")
    features = [
        feature(geometry, id=r["pk"], name=f"{r['code']} {r['name']}", url=f"{prefix}{r['pk']}/")
        for r in rows
        if (geometry := as_geometry(r["polygon"]))
    ]
    return _layer("grids", _("Grids"), "polygon", features)


def quarter_layer(access: Access) -> dict[str, Any]:
    prefix = _detail_url_prefix("quarter")
    rows = Quarter.objects.visible_to(access).values(
        "pk", "name", "polygon", "households", "population"
    )
    features = [
        feature(
            geometry,
            id=r["pk"],
            name=r["name"],
            url=f"{prefix}{r['pk']}/",
            detail=_("%(households)s households · %(population)s residents")
            % {"households": r["households"], "population": r["population"]},
        )
        for r in rows
        if (geometry := as_geometry(r["polygon"]))
    ]
    return _layer("quarters", _("Residential quarters"), "polygon", features)


def building_layer(access: Access) -> dict[str, Any]:
    prefix = _detail_url_prefix("building")
    latest = BuildingTaxYear.objects.filter(building=OuterRef("pk")).order_by("-year")
    rows = (
        Building.objects.visible_to(access)
        .annotate(
            tax_year=Subquery(latest.values("year")[:1]),
            tax=Subquery(latest.values("tax")[:1]),
        )
        .values("pk", "name", "kind", "address", "lon", "lat", "tax_year", "tax")
    )
    kinds = dict(Building.Kind.choices)
    features = []
    for r in rows:
        if r["lon"] is None or r["lat"] is None:
            continue
        hundred_million = r["tax"] is not None and r["tax"] >= HUNDRED_MILLION_IN_TEN_THOUSANDS
        detail = str(kinds.get(r["kind"], r["kind"]))
        if hundred_million:
            detail = _("%(kind)s · 100-million-yuan building (%(year)s)") % {
                "kind": detail,
                "year": r["tax_year"],
            }
        features.append(
            feature(
                {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                id=r["pk"],
                name=r["name"],
                url=f"{prefix}{r['pk']}/",
                detail=detail,
                address=r["address"],
                is_hundred_million=hundred_million,
                tax_year=r["tax_year"],
            )
        )
    return _layer("buildings", _("Buildings and parks"), "point", features)


def facility_layer(access: Access) -> dict[str, Any]:
    prefix = _detail_url_prefix("facility")
    rows = Facility.objects.visible_to(access).values(
        "pk", "name", "category", "address", "entrances", "opening_hours"
    )
    categories = dict(Facility.Category.choices)
    features = []
    for r in rows:
        points = as_positions(r["entrances"])
        if not points:
            continue
        geometry = (
            {"type": "Point", "coordinates": points[0]}
            if len(points) == 1
            else {"type": "MultiPoint", "coordinates": points}
        )
        features.append(
            feature(
                geometry,
                id=r["pk"],
                name=r["name"],
                url=f"{prefix}{r['pk']}/",
                category=r["category"],
                detail=str(categories.get(r["category"], r["category"])),
                address=r["address"],
                opening_hours=r["opening_hours"],
            )
        )
    return _layer("facilities", _("Facilities"), "point", features)


#: The layers of the apps above the registry (lift projects, group rentals, works…): each a
#: function of the reader's access giving the layers that reader may see (none when the role
#: may not see the app), drawn on the area map above the registry's own.
AppLayers = Callable[[Access], list[dict[str, Any]]]
APP_LAYERS: list[AppLayers] = []


def on_the_area_map(layers: AppLayers) -> AppLayers:
    """Register an app's layers for the area map (the app's ``map_layers`` module, found at
    start-up by ``linli.core``)."""
    APP_LAYERS.append(layers)
    return layers


def map_layers(access: Access) -> dict[str, Any]:
    """Every layer the role may see, in drawing order (areas first, points on top, the apps'
    layers last)."""
    subdistrict = access.subdistrict
    layers: list[dict[str, Any]] = []
    if subdistrict is not None:
        if boundary := boundary_layer(access):
            layers.append(boundary)
        if rules.can_view(access, "grid"):
            layers.append(grid_layer(access))
        if rules.can_view(access, "quarter"):
            layers.append(quarter_layer(access))
        if rules.can_view(access, "building"):
            layers.append(building_layer(access))
        if rules.can_view(access, "facility"):
            layers.append(facility_layer(access))
        for app_layers in APP_LAYERS:
            layers.extend(app_layers(access))
    return {
        "subdistrict": None
        if subdistrict is None
        else {
            "id": subdistrict.pk,
            "name": subdistrict.name,
            "center": [subdistrict.center_lon, subdistrict.center_lat],
        },
        "crs": "WGS84",
        "layers": layers,
    }
