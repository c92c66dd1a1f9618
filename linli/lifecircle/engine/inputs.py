"""What the engine is given: home points with their residents, and facilities with their gates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .standards import WEIGHT_OVER_60


@dataclass(frozen=True)
class Homes:
    """Population points: quarter entrances or finer points, each with its residents."""

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    population: NDArray[np.float64]
    over_60: NDArray[np.float64]
    ids: NDArray[Any] | None = None
    #: Optional label per point (the quarter), for coverage by quarter.
    group: NDArray[Any] | None = None

    def __post_init__(self) -> None:
        n = len(self.lon)
        for name in ("lat", "population", "over_60"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"homes: {name} has {len(getattr(self, name))} values, not {n}")
        if np.any(self.population < 0) or np.any(self.over_60 < 0):
            raise ValueError("homes: population counts must not be negative")
        if np.any(self.over_60 > self.population):
            raise ValueError("homes: over_60 cannot exceed population")

    @classmethod
    def from_arrays(
        cls,
        lon: ArrayLike,
        lat: ArrayLike,
        population: ArrayLike | None = None,
        over_60: ArrayLike | None = None,
        *,
        ids: ArrayLike | None = None,
        group: ArrayLike | None = None,
    ) -> Homes:
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        pop = (
            np.ones(len(lon_a))
            if population is None
            else np.atleast_1d(np.asarray(population, dtype=np.float64))
        )
        old = (
            np.zeros(len(lon_a))
            if over_60 is None
            else np.atleast_1d(np.asarray(over_60, dtype=np.float64))
        )
        return cls(
            lon_a,
            np.atleast_1d(np.asarray(lat, dtype=np.float64)),
            pop,
            old,
            None if ids is None else np.asarray(ids),
            None if group is None else np.asarray(group),
        )

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Homes:
        rows = list(records)
        return cls.from_arrays(
            [r["lon"] for r in rows],
            [r["lat"] for r in rows],
            [r.get("population", 1) for r in rows],
            [r.get("over_60", 0) for r in rows],
            ids=[r.get("id", i) for i, r in enumerate(rows)],
            group=np.asarray([r.get("group") for r in rows], dtype=object),
        )

    def __len__(self) -> int:
        return len(self.lon)

    def weights(self, weight: str) -> NDArray[np.float64]:
        return self.over_60 if weight == WEIGHT_OVER_60 else self.population


@dataclass(frozen=True)
class Facilities:
    """Facilities with a type, a capacity (NaN if unknown) and one or more entrances."""

    types: NDArray[np.str_]
    capacity: NDArray[np.float64]
    entrance_lon: NDArray[np.float64]
    entrance_lat: NDArray[np.float64]
    entrance_facility: NDArray[np.int64]
    ids: NDArray[Any] | None = None

    def __post_init__(self) -> None:
        if len(self.capacity) != len(self.types):
            raise ValueError("facilities: one capacity per facility")
        m = len(self.entrance_lon)
        if len(self.entrance_lat) != m or len(self.entrance_facility) != m:
            raise ValueError("facilities: entrance arrays differ in length")
        if m and (self.entrance_facility.min() < 0 or self.entrance_facility.max() >= len(self)):
            raise ValueError("facilities: entrance refers to an unknown facility")
        missing = np.setdiff1d(np.arange(len(self)), self.entrance_facility)
        if len(missing):
            raise ValueError(f"facilities: {len(missing)} facilities have no entrance")

    @classmethod
    def from_points(
        cls,
        types: Sequence[str] | NDArray[np.str_],
        lon: ArrayLike,
        lat: ArrayLike,
        capacity: ArrayLike | None = None,
        *,
        ids: ArrayLike | None = None,
    ) -> Facilities:
        """One entrance per facility, at its point."""
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        n = len(lon_a)
        cap = (
            np.full(n, np.nan)
            if capacity is None
            else np.atleast_1d(np.asarray(capacity, dtype=np.float64))
        )
        return cls(
            np.asarray(types, dtype=np.str_),
            cap,
            lon_a,
            np.atleast_1d(np.asarray(lat, dtype=np.float64)),
            np.arange(n, dtype=np.int64),
            None if ids is None else np.asarray(ids),
        )

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Facilities:
        """Records with ``type``, ``capacity`` (optional), ``id`` (optional) and either
        ``entrances`` (a list of (lon, lat)) or ``lon``/``lat``."""
        types, caps, ids, elon, elat, efac = [], [], [], [], [], []
        for i, r in enumerate(records):
            types.append(str(r["type"]))
            cap = r.get("capacity")
            caps.append(np.nan if cap is None else float(cap))
            ids.append(r.get("id", i))
            entrances = r.get("entrances") or [(r["lon"], r["lat"])]
            for lon, lat in entrances:
                elon.append(float(lon))
                elat.append(float(lat))
                efac.append(i)
        return cls(
            np.asarray(types, dtype=np.str_),
            np.asarray(caps, dtype=np.float64),
            np.asarray(elon, dtype=np.float64),
            np.asarray(elat, dtype=np.float64),
            np.asarray(efac, dtype=np.int64),
            np.asarray(ids),
        )

    def __len__(self) -> int:
        return len(self.types)
