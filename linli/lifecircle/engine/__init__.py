"""15-minute life circle walk-accessibility engine. No Django import: the Django layer in
``linli.lifecircle`` wraps it.

Typical use::

    network = read_osm("area.osm.pbf", clip_polygon=boundary)   # or read_geojson / demo_network
    network.to_npz(cache_path)                                   # WalkNetwork.from_npz to reload
    acc = Accessibility(network, homes, facilities)              # DEFAULT_STANDARDS
    acc.coverage()["kindergarten"].share
    acc.what_if(121.46, 31.238, "park").added_weight
"""

from .access import Accessibility
from .catchment import TwoStepFCA
from .coverage import Coverage, GroupShare
from .demo import (
    demo_boundary,
    demo_creek,
    demo_facilities,
    demo_homes,
    demo_network,
    random_facilities,
    synthetic_city,
)
from .geojson import read_geojson
from .inputs import Facilities, Homes
from .network import CLIP_BUFFER_M, NetworkImportError, WalkNetwork, build_network
from .osm import read_osm
from .service_area import ServiceArea
from .snap import Snapped, Snapper
from .standards import (
    DEFAULT_STANDARDS,
    FACILITY_TYPES,
    FacilityStandard,
    WalkingSpeeds,
    standards_by_key,
    with_threshold,
)
from .unpacked import UnpackedTooLarge
from .whatif import CandidateScore, WhatIf

__all__ = [
    "CLIP_BUFFER_M",
    "DEFAULT_STANDARDS",
    "FACILITY_TYPES",
    "Accessibility",
    "CandidateScore",
    "Coverage",
    "Facilities",
    "FacilityStandard",
    "GroupShare",
    "Homes",
    "NetworkImportError",
    "ServiceArea",
    "Snapped",
    "Snapper",
    "TwoStepFCA",
    "UnpackedTooLarge",
    "WalkNetwork",
    "WalkingSpeeds",
    "WhatIf",
    "build_network",
    "demo_boundary",
    "demo_creek",
    "demo_facilities",
    "demo_homes",
    "demo_network",
    "random_facilities",
    "read_geojson",
    "read_osm",
    "standards_by_key",
    "synthetic_city",
    "with_threshold",
]
