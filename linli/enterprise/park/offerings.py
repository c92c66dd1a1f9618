"""What the building's service sub-centre offers: its services and its bookable resources.

The front-office apps own these lists; this thin wrapper is the only place the Park Assistant
reaches into them, so a building without a sub-centre simply shows an empty section.
"""

from __future__ import annotations

from typing import Any

from linli.frontoffice.bookings.queries import resources_at as bookable_at
from linli.frontoffice.catalog.queries import items_at_subcentre
from linli.registry.models import Building


def services_at(building: Building | None) -> list[Any]:
    if building is None or building.subcentre is None:
        return []
    return list(items_at_subcentre(building.subcentre))


def resources_at(building: Building | None) -> list[Any]:
    if building is None or building.subcentre is None:
        return []
    return list(bookable_at(building.subcentre))
