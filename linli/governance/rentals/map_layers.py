"""The group-rental map: open and closed files as points at their residential building (one
``values()`` query per layer). Coordinates stay WGS84; map.js shifts them for GCJ-02 tiles."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.governance.rentals import rules
from linli.governance.rentals.models import GroupRental
from linli.registry.map_layers import boundary_layer, collection, feature, on_the_area_map

BUILDING = "dwelling__unit__building"


def _points(access: Access, *, open_files: bool) -> list[dict[str, Any]]:
    prefix = reverse("rentals:detail", kwargs={"pk": 0})[: -len("0/")]
    stages = dict(GroupRental.Stage.choices)
    files = GroupRental.objects.visible_to(access).filter(
        **{f"{BUILDING}__lon__isnull": False, f"{BUILDING}__lat__isnull": False}
    )
    files = (
        files.exclude(stage=GroupRental.Stage.CLOSED)
        if open_files
        else files.filter(stage=GroupRental.Stage.CLOSED)
    )
    rows = files.values(
        "pk",
        "stage",
        "dwelling__number",
        "dwelling__unit__number",
        f"{BUILDING}__number",
        f"{BUILDING}__quarter__name",
        f"{BUILDING}__lon",
        f"{BUILDING}__lat",
    ).order_by("pk")
    return [
        feature(
            {"type": "Point", "coordinates": [r[f"{BUILDING}__lon"], r[f"{BUILDING}__lat"]]},
            id=r["pk"],
            name=" ".join(
                (
                    r[f"{BUILDING}__quarter__name"],
                    r[f"{BUILDING}__number"],
                    r["dwelling__unit__number"],
                    r["dwelling__number"],
                )
            ),
            detail=str(stages.get(r["stage"], r["stage"])),
            url=f"{prefix}{r['pk']}/",
            stage=r["stage"],
        )
        for r in rows
    ]


def rental_layers(access: Access) -> dict[str, Any]:
    layers = []
    if (boundary := boundary_layer(access)) is not None:
        layers.append(boundary)
    for key, title, open_files in (
        ("rentals-open", _("Open group-rental dwellings"), True),
        ("rentals-closed", _("Closed group-rental dwellings"), False),
    ):
        layers.append(
            {
                "id": key,
                "title": title,
                "geometry": "point",
                "data": collection(_points(access, open_files=open_files)),
            }
        )
    return {"layers": layers}


@on_the_area_map
def area_map_layers(access: Access) -> list[dict[str, Any]]:
    """The open and closed dwellings (the area map draws its own boundary)."""
    if not rules.may_see_rentals(access):
        return []
    return [layer for layer in rental_layers(access)["layers"] if layer["id"] != "boundary"]
