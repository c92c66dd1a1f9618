"""Vacant area of buildings, as dashboards should count it.

Where a building's vacant units are recorded here, its vacancy is the area of the units not yet
taken (so it drops the day a prospect registers into one). A building with no recorded unit
keeps the figure of the registry (``Building.vacant_area_m2``), which is what the building
reported. Both are in m².
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Q, Sum

from linli.enterprise.investment.models import VacantUnit
from linli.registry.models import Building


def vacant_area(buildings: Iterable[Building]) -> dict[int, Decimal]:
    """Building id → vacant area (m²), in one query whatever the number of buildings."""
    buildings = list(buildings)
    rows = (
        VacantUnit.objects.filter(building_id__in=[b.pk for b in buildings])
        .values("building_id")
        .annotate(units=Count("id"), free=Sum("area_m2", filter=Q(taken_at__isnull=True)))
    )
    recorded = {row["building_id"]: row["free"] or Decimal(0) for row in rows if row["units"]}
    return {b.pk: recorded.get(b.pk, b.vacant_area_m2) for b in buildings}
