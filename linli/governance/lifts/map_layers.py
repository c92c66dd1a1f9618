"""Lift projects as a map layer (GeoJSON points at their building), in the shape of the
registry's and the cases' layers, cut to what the reader may see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.governance.lifts import rules
from linli.governance.lifts.models import Project, Stage
from linli.registry.map_layers import collection, feature, on_the_area_map


def lift_layer(access: Access) -> dict[str, Any]:
    prefix = reverse("lifts:project", kwargs={"pk": 0})[: -len("0/")]
    labels = dict(Stage.choices)
    rows = (
        Project.objects.visible_to(access)
        .filter(unit__building__lon__isnull=False, unit__building__lat__isnull=False)
        .values(
            "pk",
            "stage",
            "unit__number",
            "unit__building__number",
            "unit__building__quarter__name",
            "unit__building__lon",
            "unit__building__lat",
        )
    )
    features = [
        feature(
            {"type": "Point", "coordinates": [r["unit__building__lon"], r["unit__building__lat"]]},
            id=r["pk"],
            name=(
                f"{r['unit__building__quarter__name']} {r['unit__building__number']} "
                f"{r['unit__number']}"
            ),
            stage=r["stage"],
            stage_label=str(labels[r["stage"]]),
            url=f"{prefix}{r['pk']}/",
        )
        for r in rows
    ]
    return {
        "id": "lifts",
        "title": _("Lift projects"),
        "geometry": "point",
        "data": collection(features),
    }


@on_the_area_map
def area_map_layers(access: Access) -> list[dict[str, Any]]:
    return [lift_layer(access)] if rules.may_list(access) else []
