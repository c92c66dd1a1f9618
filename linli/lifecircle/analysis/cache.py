"""The analysis of a sub-district, built once per network version and inputs, kept in memory.

One ``Accessibility`` is built per (network version, inputs fingerprint) and kept in process memory,
so a page, its map layers and a what-if click share the same snapped points and Dijkstra runs.
The fingerprint is a hash of the very arrays handed to the engine, so any change to a quarter,
facility, resident (a move, a death, a birthday), standard or speed is picked up on the next
request without explicit invalidation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from linli.core.geo import as_geometry
from linli.core.models import Subdistrict
from linli.lifecircle import engine, network_store, services
from linli.lifecircle.analysis.inputs import FacilityInfo, QuarterInfo, fingerprint, load_inputs
from linli.lifecircle.models import FacilityStandard, WalkNetworkVersion

MAX_CACHED_ANALYSES = 16


class NoNetwork(Exception):
    """The sub-district has no walking network yet."""


@dataclass
class Analysis:
    subdistrict_id: int
    version: WalkNetworkVersion
    network: engine.WalkNetwork
    acc: engine.Accessibility
    standards: dict[str, FacilityStandard]
    quarters: list[QuarterInfo]
    facilities: list[FacilityInfo]
    home_quarter: np.ndarray  # index into ``quarters`` per home point
    boundary: dict[str, Any] | None
    # The engine keeps scratch buffers per instance; one request at a time may use them.
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def types(self) -> list[str]:
        return list(self.standards)

    def standard(self, facility_type: str) -> FacilityStandard:
        try:
            return self.standards[facility_type]
        except KeyError:
            raise KeyError(facility_type) from None

    @property
    def unlocated(self) -> list[QuarterInfo]:
        return [q for q in self.quarters if not q.located]


_lock = threading.Lock()
_analyses: OrderedDict[tuple[Any, ...], Analysis] = OrderedDict()


def clear_cache() -> None:
    with _lock:
        _analyses.clear()
    network_store.clear()


def get_analysis(subdistrict: Subdistrict) -> Analysis:
    """The cached analysis of the sub-district's current network and registry data."""
    version = services.current_version(subdistrict)
    if version is None:
        raise NoNetwork
    rows = services.ensure_standards(subdistrict)
    standards = services.engine_standards(rows)
    speeds = services.engine_speeds(services.settings_for(subdistrict))
    homes, facilities, quarters, facility_info, home_quarter = load_inputs(subdistrict)
    key = (
        subdistrict.pk,
        version.pk,
        version.sha256,
        fingerprint(homes, facilities, standards, speeds, quarters, facility_info),
    )
    with _lock:
        cached = _analyses.get(key)
        if cached is not None:
            _analyses.move_to_end(key)
            return cached
    network = network_store.load(version)
    acc = engine.Accessibility(network, homes, facilities, standards, speeds=speeds)
    if len(homes) and standards:
        # The first what-if builds the engine's lazy indexes (home anchors, edge order); doing
        # it here keeps every click within the 50 ms target.
        acc.what_if(float(homes.lon[0]), float(homes.lat[0]), standards[0].key)
    ordered = {r.facility_type: r for r in sorted(rows, key=lambda r: (r.position, r.pk))}
    analysis = Analysis(
        subdistrict_id=subdistrict.pk,
        version=version,
        network=network,
        acc=acc,
        standards=ordered,
        quarters=quarters,
        facilities=facility_info,
        home_quarter=home_quarter,
        boundary=as_geometry(subdistrict.boundary),
    )
    with _lock:
        _analyses[key] = analysis
        while len(_analyses) > MAX_CACHED_ANALYSES:
            _analyses.popitem(last=False)
    return analysis
