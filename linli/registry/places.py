"""The map's place search: quarters, buildings and facilities by name or address.

What people type is matched against each place's name and address as written, in full pinyin
and in pinyin initials (静安大厦 ← ``jingan``, ``jadx``; 南京西路123号 ← ``njxl123``), the way
the service catalog matches its items (``linli.core.spelling``). Every term of the query must
occur; a place ranks by where its terms occur (the start of its name 4, elsewhere in the name
3, its address 1, summed over the terms), then by shorter name.

A sub-district has tens of quarters and buildings and a few hundred facilities, so the places
are scanned in Python on each query; their spellings are cached by text (names change rarely),
which keeps a query well under the time of the request around it and needs no search columns
kept up to date by every importer. Only public facts leave: kind, name, address and a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import shapely
from django.utils.translation import pgettext

from linli.core.access import Access
from linli.core.geo import as_geometry
from linli.core.spelling import spellings, terms_of
from linli.registry.models import Building, Facility, Quarter
from linli.registry.rules import LOCATE

MAX_QUERY_LENGTH = 50
LIMIT = 8
KIND_ORDER = {"quarter": 0, "building": 1, "facility": 2}


@dataclass(frozen=True)
class Place:
    kind: str  # "quarter", "building" or "facility"
    kind_label: str
    name: str
    address: str
    lon: float
    lat: float


@lru_cache(maxsize=20000)
def _spelled(text: str) -> tuple[str, ...]:
    return tuple(spellings(text)) if text else ()


def _quarter_point(quarter: Quarter) -> tuple[float, float] | None:
    polygon = as_geometry(quarter.polygon)
    if polygon is not None:
        point = shapely.geometry.shape(polygon).representative_point()
        return point.x, point.y
    if quarter.entrances:
        lon, lat = quarter.entrances[0][:2]
        return float(lon), float(lat)
    return None


def places(access: Access) -> list[Place]:
    """Every place of the sub-district the person may locate on the map."""
    found: list[Place] = []
    quarter_label = pgettext("map place", "Residential quarter")
    for quarter in Quarter.objects.visible_to(access, LOCATE).only(
        "name", "address", "polygon", "entrances"
    ):
        point = _quarter_point(quarter)
        if point is not None:
            found.append(Place("quarter", quarter_label, quarter.name, quarter.address, *point))
    for building in Building.objects.visible_to(access, LOCATE).only(
        "name", "kind", "address", "lon", "lat"
    ):
        found.append(
            Place(
                "building",
                building.get_kind_display(),
                building.name,
                building.address,
                building.lon,
                building.lat,
            )
        )
    for facility in Facility.objects.visible_to(access, LOCATE).only(
        "name", "category", "address", "entrances"
    ):
        if facility.entrances:
            lon, lat = facility.entrances[0][:2]
            found.append(
                Place(
                    "facility",
                    facility.get_category_display(),
                    facility.name,
                    facility.address,
                    float(lon),
                    float(lat),
                )
            )
    return found


def _score(terms: list[str], name: tuple[str, ...], address: tuple[str, ...]) -> int:
    score = 0
    for term in terms:
        if any(s.startswith(term) for s in name):
            score += 4
        elif any(term in s for s in name):
            score += 3
        elif any(term in s for s in address):
            score += 1
        else:
            return 0
    return score


def search(access: Access, query: str, limit: int = LIMIT) -> list[Place]:
    """The places matching every term of ``query``, best first."""
    terms = terms_of(query)
    if not terms:
        return []
    ranked = []
    for place in places(access):
        score = _score(terms, _spelled(place.name), _spelled(place.address))
        if score:
            ranked.append((-score, len(place.name), KIND_ORDER[place.kind], place.name, place))
    ranked.sort(key=lambda row: row[:4])
    return [row[4] for row in ranked[:limit]]
