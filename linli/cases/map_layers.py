"""The case map's layers as GeoJSON: hot spots per grid, open cases, overdue ones in their own
layer, and recently closed ones. One ``values()`` query per layer; the counts per grid are
one grouped query. Coordinates stay WGS84 (map.js shifts them for GCJ-02 tiles)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.cases import sla
from linli.cases.filters import subtree
from linli.cases.forms import category_label
from linli.cases.models import FINAL_STATES, Case, Category, State
from linli.core import clock
from linli.core.access import Access
from linli.core.geo import as_geometry
from linli.registry.map_layers import boundary_layer, collection, feature
from linli.registry.models import Grid

HOT_LEVELS = 5


def _layer(key: str, title: str, geometry: str, features: list[dict[str, Any]], **extra: Any):
    return {"id": key, "title": title, "geometry": geometry, "data": collection(features), **extra}


def _points(rows: QuerySet[Case], prefix: str, group: str) -> list[dict]:
    names = {c.pk: category_label(c) for c in Category.objects.all()}
    features = []
    for r in rows.values(
        "pk", "number", "title", "lon", "lat", "state", "category_id", "stage_deadline"
    ):
        if r["lon"] is None or r["lat"] is None:
            continue
        detail = f"{State(r['state']).label} · {names.get(r['category_id'], '')}"
        features.append(
            feature(
                {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                id=r["pk"],
                name=f"{r['number']} {r['title']}",
                detail=detail,
                url=f"{prefix}{r['number']}/",
                state=r["state"],
                group=group,
            )
        )
    return features


def case_layers(access: Access, *, days: int = 90, category: str = "") -> dict[str, Any]:
    now = clock.now()
    since = now - dt.timedelta(days=days)
    cases = Case.objects.visible_to(access)
    if category:
        # A parent category stands for its whole subtree, as on the workbench.
        cases = cases.filter(category_id__in=subtree(category))
    prefix = reverse("cases:detail", kwargs={"number": "0"})[: -len("0/")]

    counts = dict(
        cases.filter(received_at__gte=since, grid__isnull=False)
        .values("grid_id")
        .annotate(n=Count("id"))
        .values_list("grid_id", "n")
    )
    top = max(counts.values(), default=0)
    workbench = reverse("cases:workbench")
    hot = []
    for g in Grid.objects.values("pk", "code", "name", "polygon"):
        geometry = as_geometry(g["polygon"])
        if not geometry:
            continue
        n = counts.get(g["pk"], 0)
        level = 0 if not top else min(HOT_LEVELS - 1, int(n / top * HOT_LEVELS))
        hot.append(
            feature(
                geometry,
                id=g["pk"],
                name=f"{g['code']} {g['name']}",
                detail=ngettext("%(count)s case in the period", "%(count)s cases in the period", n)
                % {"count": n},
                count=n,
                level=level,
                url=f"{workbench}?queue=all&grid={g['code']}",
            )
        )
    open_cases = cases.exclude(state__in=FINAL_STATES)
    late = sla.overdue(now)
    layers = [
        boundary_layer(access),
        _layer("hotspots", _("Cases per grid (hot spots)"), "polygon", hot, max=top),
        _layer(
            "open_cases",
            _("Open cases"),
            "point",
            _points(open_cases.exclude(late), prefix, "open"),
        ),
        _layer(
            "overdue_cases",
            _("Overdue cases"),
            "point",
            _points(open_cases.filter(late), prefix, "overdue"),
        ),
        _layer(
            "closed_cases",
            _("Closed in the period"),
            "point",
            _points(cases.filter(state=State.CLOSED, closed_at__gte=since), prefix, "closed"),
        ),
    ]
    return {"layers": [layer for layer in layers if layer is not None], "days": days}
