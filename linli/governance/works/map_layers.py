"""Sporadic works as a map layer (GeoJSON points at their building), in the shape of the other
governance layers, cut to what the reader may see. Works at a free address have no point."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.governance.works import rules
from linli.governance.works.models import Works
from linli.registry.map_layers import collection, feature, on_the_area_map

HOME = "dwelling__unit__building"
PREMISES = "enterprise__building"


def works_layer(access: Access) -> dict[str, Any]:
    prefix = reverse("works:detail", kwargs={"pk": 0})[: -len("0/")]
    labels = dict(Works.Stage.choices)
    rows = (
        Works.objects.visible_to(access)
        .exclude(stage=Works.Stage.COMPLETED)
        .values(
            "pk",
            "number",
            "stage",
            "address",
            f"{HOME}__lon",
            f"{HOME}__lat",
            f"{PREMISES}__lon",
            f"{PREMISES}__lat",
        )
        .order_by("pk")
    )
    features = []
    for r in rows:
        lon, lat = r[f"{HOME}__lon"], r[f"{HOME}__lat"]
        if lon is None or lat is None:
            lon, lat = r[f"{PREMISES}__lon"], r[f"{PREMISES}__lat"]
        if lon is None or lat is None:
            continue
        features.append(
            feature(
                {"type": "Point", "coordinates": [lon, lat]},
                id=r["pk"],
                name=f"{r['number']} {r['address']}",
                stage=r["stage"],
                stage_label=str(labels[r["stage"]]),
                url=f"{prefix}{r['pk']}/",
            )
        )
    return {
        "id": "works",
        "title": _("Sporadic works under way"),
        "geometry": "point",
        "data": collection(features),
    }


@on_the_area_map
def area_map_layers(access: Access) -> list[dict[str, Any]]:
    """Staff of the area see the works under way; a resident's own registration is on its
    page, not on the area map."""
    return [works_layer(access)] if rules.may_export(access) else []
