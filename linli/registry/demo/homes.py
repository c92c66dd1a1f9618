"""The demo sub-districts (``homes.yaml``): the first home, a small second one, and extra copies
of the first for benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linli.core.demo import read_yaml
from linli.registry.demo.names import chinese_number

DEMO_SEED = 20260107
# Copies take the codes after the first two, up to 310106999.
MAX_SCALE = 98


@dataclass(frozen=True)
class DemoHome:
    """One synthetic sub-district and the size of everything in it."""

    ordinal: int  # 0 for the first home; keeps credit codes unique across homes
    key: str  # prefix for this home's account names ("" for the first home)
    code: str
    name: str
    name_en: str
    short_name: str  # used in facility and office names: 静安示例街道办事处
    building_prefix: str
    lon: float
    lat: float
    width_m: float
    area_km2: float
    layout: tuple[str, ...]
    grid_columns: int
    workstations: int
    buildings_per_block: int
    hundred_million_buildings: int
    subcentres: int
    enterprises: int
    population: int
    facility_share: float  # of the first home's facility counts
    ew_streets: tuple[str, ...]
    ns_streets: tuple[str, ...]
    business_hours: tuple[tuple[str, str], ...]

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> DemoHome:
        sequences = {
            "layout": tuple(data["layout"]),
            "ew_streets": tuple(data["ew_streets"]),
            "ns_streets": tuple(data["ns_streets"]),
            "business_hours": tuple((start, end) for start, end in data["business_hours"]),
        }
        return cls(**{**data, **sequences})

    @property
    def quarters(self) -> int:
        return sum(row.count("Q") for row in self.layout)

    @property
    def buildings(self) -> int:
        return sum(row.count("B") for row in self.layout) * self.buildings_per_block

    @property
    def grids(self) -> int:
        return len(self.layout) * self.grid_columns

    def username(self, role_name: str) -> str:
        return f"{self.key}_{role_name}" if self.key else role_name


_HOMES = read_yaml(Path(__file__).with_name("homes.yaml"))
FIRST_HOME = DemoHome.from_data(_HOMES["first"])
SECOND_HOME = DemoHome.from_data(_HOMES["second"])
FIRST_CODE = FIRST_HOME.code
SECOND_CODE = SECOND_HOME.code
COPY_EW_STREETS: tuple[str, ...] = tuple(_HOMES["copy_streets"]["ew"])
COPY_NS_STREETS: tuple[str, ...] = tuple(_HOMES["copy_streets"]["ns"])


def extra_home(n: int) -> DemoHome:
    """The n-th extra copy (n ≥ 2) of the first home, for city-scale benchmarks."""
    ordinal = n  # 0 and 1 are taken by the first and second homes
    row, column = divmod(n - 2, 10)
    label = chinese_number(n + 1)
    first = FIRST_HOME
    return DemoHome(
        ordinal=ordinal,
        key=f"demo{n + 1}",
        code=f"310106{900 + n:03d}",
        name=f"示例第{label}街道（合成数据）",
        name_en=f"Demo Sub-district {n + 1} (synthetic)",
        short_name=f"示例第{label}",
        building_prefix=f"{label}号示例",
        # A lattice of homes east of the first one, 2 km apart, clear of the first two.
        lon=round(121.490 + column * 0.021, 6),
        lat=round(31.200 + row * 0.018, 6),
        width_m=first.width_m,
        area_km2=first.area_km2,
        layout=first.layout,
        grid_columns=first.grid_columns,
        workstations=first.workstations,
        buildings_per_block=first.buildings_per_block,
        hundred_million_buildings=first.hundred_million_buildings,
        subcentres=first.subcentres,
        enterprises=first.enterprises,
        population=first.population,
        facility_share=1.0,
        ew_streets=tuple(COPY_EW_STREETS[(n + i) % len(COPY_EW_STREETS)] for i in range(5)),
        ns_streets=tuple(COPY_NS_STREETS[(n + i) % len(COPY_NS_STREETS)] for i in range(6)),
        business_hours=first.business_hours,
    )


def plan_homes(scale: int = 1) -> list[DemoHome]:
    """The homes to load: scale N keeps the first two and adds N − 1 copies of the first."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE}")
    return [FIRST_HOME, SECOND_HOME, *(extra_home(n) for n in range(2, scale + 1))]
