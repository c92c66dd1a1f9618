"""Which OpenStreetMap ways a pedestrian may use.

Kept apart from the pyosmium reader so that GeoJSON lines carrying OSM-style tags are judged by
the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping

# Ways that are walkable unless a tag says otherwise. Large roads are included because in
# Chinese cities they have pavements that are rarely mapped as separate footways.
WALKABLE_HIGHWAYS = frozenset(
    {
        "footway",
        "path",
        "pedestrian",
        "steps",
        "corridor",
        "living_street",
        "residential",
        "service",
        "unclassified",
        "road",
        "track",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
        "crossing",
        "elevator",
    }
)

# Ways closed to pedestrians unless they explicitly allow them.
FOOT_ONLY_IF_ALLOWED = frozenset(
    {"motorway", "motorway_link", "trunk", "trunk_link", "cycleway", "bridleway", "busway"}
)

FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "official", "destination"})
NO_ACCESS = frozenset({"no", "private", "military", "forestry", "agricultural", "delivery"})


def is_walkable(tags: Mapping[str, str]) -> bool:
    highway = tags.get("highway")
    if highway is None:
        return False
    foot = tags.get("foot", "")
    if foot in {"no", "private", "use_sidepath"}:
        return False
    if tags.get("area") == "yes" and highway != "pedestrian":
        return False
    if foot in FOOT_ALLOWED:
        return highway in WALKABLE_HIGHWAYS or highway in FOOT_ONLY_IF_ALLOWED
    if highway in FOOT_ONLY_IF_ALLOWED:
        return False
    if highway not in WALKABLE_HIGHWAYS:
        return False
    if tags.get("access") in NO_ACCESS:
        return False
    return not (highway == "service" and tags.get("service") in {"emergency_access"})


def is_bridge(tags: Mapping[str, str]) -> bool:
    bridge = tags.get("bridge")
    return bridge is not None and bridge not in {"no", "0", "false"}
