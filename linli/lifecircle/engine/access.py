"""Walk accessibility on a :class:`WalkNetwork`: nearest facility, coverage, 2SFCA, what-if.

:class:`Accessibility` is the one entry point. It resolves a facility type's walking distance
and weighting from the standards, takes the distances from one :class:`WalkDistances` shared by
every analysis, and hands them to the module that computes the answer: ``coverage``,
``catchment`` (2SFCA), ``whatif`` and ``service_area``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .catchment import TwoStepFCA, floating_catchment
from .coverage import Coverage, group_index, type_coverage
from .distances import WalkDistances
from .inputs import Facilities, Homes
from .network import WalkNetwork
from .service_area import ServiceArea, walkable_stretches
from .snap import SnapMode, Snapper
from .standards import DEFAULT_STANDARDS, GROUP_ALL, FacilityStandard, WalkingSpeeds
from .whatif import CandidateScore, WhatIf, added_coverage, score_candidates


class Accessibility:
    """Accessibility of facilities from home points over one walking network.

    Results are cached per instance; build a new instance when homes or facilities change.
    """

    def __init__(
        self,
        network: WalkNetwork,
        homes: Homes | None,
        facilities: Facilities,
        standards: Iterable[FacilityStandard] | Mapping[str, FacilityStandard] = DEFAULT_STANDARDS,
        *,
        speeds: WalkingSpeeds | None = None,
        snap: SnapMode = "edge",
    ) -> None:
        self.network = network
        self.homes = homes if homes is not None else Homes.from_arrays([], [])
        self.facilities = facilities
        values = standards.values() if isinstance(standards, Mapping) else standards
        self.standards: dict[str, FacilityStandard] = {s.key: s for s in values}
        self.speeds = speeds or WalkingSpeeds()
        self.snapper = Snapper(network, snap)
        self.home_snap = self.snapper.snap(self.homes.lon, self.homes.lat)
        self.entrance_snap = self.snapper.snap(facilities.entrance_lon, facilities.entrance_lat)
        self.distances = WalkDistances(network, facilities, self.home_snap, self.entrance_snap)
        self._group_index: tuple[NDArray[np.str_], NDArray[np.int64]] | None = None

    # -- thresholds ---------------------------------------------------------------------------

    @property
    def types(self) -> list[str]:
        """Types with a standard, in the standards' order."""
        return list(self.standards)

    def threshold_m(self, facility_type: str) -> float:
        """Effective distance for the group that walks to this type (see WalkingSpeeds)."""
        try:
            return self.speeds.threshold_m(self.standards[facility_type])
        except KeyError:
            raise KeyError(f"no standard for facility type {facility_type!r}") from None

    def _weight_name(self, facility_type: str) -> str:
        std = self.standards.get(facility_type)
        return std.weight if std else "population"

    def walk_minutes(self, distance_m: ArrayLike, facility_type: str) -> NDArray[np.float64]:
        std = self.standards.get(facility_type)
        group = std.group if std else GROUP_ALL
        return np.asarray(distance_m, dtype=np.float64) / self.speeds.speed(group) / 60.0

    # -- nearest facility ---------------------------------------------------------------------

    def nearest_at_nodes(self, facility_type: str, *, limit: float | None = None) -> NDArray:
        """Walking distance from every network node to the nearest facility of a type.

        ``limit`` bounds the search (metres; farther nodes get inf).
        """
        return self.distances.nearest_at_nodes(facility_type, limit=limit)

    def nearest(
        self, types: Iterable[str] | None = None, *, limit: float | None = None
    ) -> dict[str, NDArray[np.float64]]:
        """Nearest-facility walking distance per home point, per type (inf: none reachable)."""
        lim = np.inf if limit is None else float(limit)
        return {
            t: self.distances.nearest_at_homes(t, lim)
            for t in (self.types if types is None else types)
        }

    # -- facilities within reach ----------------------------------------------------------------

    def within(
        self, facility_type: str, threshold_m: float | None = None
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """Every (home index, facility index, distance) within the threshold."""
        thr = self.threshold_m(facility_type) if threshold_m is None else float(threshold_m)
        return self.distances.pairs(facility_type, thr)

    def counts(self, types: Iterable[str] | None = None) -> dict[str, NDArray[np.int64]]:
        """Number of facilities of each type within its threshold, per home point."""
        out = {}
        for t in self.types if types is None else types:
            h, _, _ = self.distances.pairs(t, self.threshold_m(t))
            out[t] = np.bincount(h, minlength=len(self.homes)).astype(np.int64)
        return out

    # -- coverage -----------------------------------------------------------------------------

    def coverage(
        self, types: Iterable[str] | None = None, *, with_counts: bool = True
    ) -> dict[str, Coverage]:
        """Share of residents (or of residents over 60, for elderly services) within reach."""
        grouped = self.homes.group is not None and len(self.homes) > 0
        return {
            t: type_coverage(
                t,
                self.threshold_m(t),
                self._weight_name(t),
                self.homes,
                self.nearest([t])[t],
                self.counts([t])[t] if with_counts else None,
                self._groups() if grouped else None,
            )
            for t in (self.types if types is None else types)
        }

    def _groups(self) -> tuple[NDArray[np.str_], NDArray[np.int64]]:
        if self._group_index is None:
            self._group_index = group_index(self.homes)
        return self._group_index

    def report(self) -> dict[str, Any]:
        """The full coverage report: every type's coverage and counts, 2SFCA where capacity
        limits supply. Plain data, ready for a page or an export."""
        cov = self.coverage()
        fca = {
            t: self.two_step_fca(t).summary()
            for t, s in self.standards.items()
            if s.capacity_unit is not None
        }
        return {
            "homes": len(self.homes),
            "population": float(self.homes.population.sum()),
            "over_60": float(self.homes.over_60.sum()),
            "facilities": len(self.facilities),
            "coverage": {t: c.summary() for t, c in cov.items()},
            "two_step_fca": fca,
        }

    # -- 2SFCA --------------------------------------------------------------------------------

    def two_step_fca(self, facility_type: str, threshold_m: float | None = None) -> TwoStepFCA:
        thr = self.threshold_m(facility_type) if threshold_m is None else float(threshold_m)
        return floating_catchment(
            facility_type,
            thr,
            self._weight_name(facility_type),
            self.homes,
            self.facilities,
            self.distances.pairs(facility_type, thr),
        )

    # -- what-if ------------------------------------------------------------------------------

    def what_if(self, lon: float, lat: float, facility_type: str) -> WhatIf:
        """The coverage a new facility of a type at (lon, lat) would add."""
        thr = self.threshold_m(facility_type)
        return added_coverage(
            self.distances,
            facility_type,
            lon,
            lat,
            self.snapper.snap([lon], [lat]),
            thr,
            self.nearest([facility_type])[facility_type],
            self.homes.weights(self._weight_name(facility_type)),
        )

    def rank_candidates(
        self,
        lon: ArrayLike,
        lat: ArrayLike,
        facility_type: str,
        *,
        greedy: bool = False,
        top: int | None = None,
    ) -> list[CandidateScore]:
        """Candidate sites by the weight they would newly cover, best first.

        With ``greedy`` each next site is scored given the sites already picked, which is what a
        planner adding several facilities needs (two sites side by side are not twice as good).
        """
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        thr = self.threshold_m(facility_type)
        return score_candidates(
            self.distances,
            lon_a,
            lat_a,
            self.snapper.snap(lon_a, lat_a),
            thr,
            ~(self.nearest([facility_type])[facility_type] <= thr),
            self.homes.weights(self._weight_name(facility_type)),
            greedy=greedy,
            top=top,
        )

    # -- walkable service area ------------------------------------------------------------------

    def service_area(self, facility_type: str, threshold_m: float | None = None) -> ServiceArea:
        """Network stretches within the threshold of the nearest facility of a type."""
        thr = self.threshold_m(facility_type) if threshold_m is None else float(threshold_m)
        return walkable_stretches(
            self.network,
            facility_type,
            thr,
            self.nearest_at_nodes(facility_type, limit=thr),
            self.entrance_snap.take(self.distances.type_entrances(facility_type)),
        )
