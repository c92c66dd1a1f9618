"""The demo sub-districts: the first home, a small second one, and extra copies for benchmarks."""

from __future__ import annotations

from dataclasses import dataclass

from linli.registry.demo.names import chinese_number

DEMO_SEED = 20260107
FIRST_CODE = "310106900"
SECOND_CODE = "310106901"
# Codes 310106900–310106999 are not used by real Jing'an sub-districts (theirs are 0xx), so demo
# homes never collide with an imported real one.
MAX_SCALE = 98

# Block layout, south (West Nanjing Road) to north (Suzhou Creek): B = office buildings and
# parks, Q = a residential quarter, C = the civic block (sub-district office, service centre,
# culture centre and a small park).
FIRST_LAYOUT = ("BBBBB", "BQBQB", "QQCQQ", "QQQQQ")
SECOND_LAYOUT = ("BBQ", "QCQ")

FIRST_EW_STREETS = ("南京西路", "北京西路", "新闸路", "康定路", "南苏州路")
FIRST_NS_STREETS = ("西康路", "泰兴路", "江宁路", "石门二路", "大田路", "成都北路")
OTHER_EW_STREETS = ("宁波路", "绍兴路", "嘉兴路", "湖州路", "台州路", "温州路", "金华路")
OTHER_NS_STREETS = ("云南路", "贵州路", "广西路", "福建路", "山西路", "江西路", "河南路")


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
    business_hours: tuple[tuple[str, str], ...] = (("08:30", "11:30"), ("13:00", "17:00"))

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


FIRST_HOME = DemoHome(
    ordinal=0,
    key="",
    code=FIRST_CODE,
    name="静安示例街道（合成数据）",
    name_en="Jing'an Demo Sub-district (synthetic)",
    short_name="静安示例",
    building_prefix="示例",
    lon=121.459,
    lat=31.237,
    width_m=1330.0,
    area_km2=1.07,
    layout=FIRST_LAYOUT,
    grid_columns=4,
    workstations=4,
    buildings_per_block=4,
    hundred_million_buildings=7,
    subcentres=5,
    enterprises=2600,
    population=30_000,
    facility_share=1.0,
    ew_streets=FIRST_EW_STREETS,
    ns_streets=FIRST_NS_STREETS,
)

SECOND_HOME = DemoHome(
    ordinal=1,
    key="second",
    code=SECOND_CODE,
    name="示例第二街道（合成数据）",
    name_en="Second Demo Sub-district (synthetic)",
    short_name="示例第二",
    building_prefix="二号示例",
    # About 3 km west of the first home, so neither lies inside the other's 1 km life circle.
    lon=121.427,
    lat=31.229,
    width_m=820.0,
    area_km2=0.45,
    layout=SECOND_LAYOUT,
    grid_columns=2,
    workstations=1,
    buildings_per_block=2,
    hundred_million_buildings=0,
    subcentres=1,
    enterprises=50,
    population=8_000,
    facility_share=0.3,
    ew_streets=OTHER_EW_STREETS[:3],
    ns_streets=OTHER_NS_STREETS[:4],
    business_hours=(("09:00", "12:00"), ("13:00", "17:30")),
)


def extra_home(n: int) -> DemoHome:
    """The n-th extra copy (n ≥ 2) of the first home, for city-scale benchmarks."""
    ordinal = n  # 0 and 1 are taken by the first and second homes
    row, column = divmod(n - 2, 10)
    label = chinese_number(n + 1)
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
        width_m=FIRST_HOME.width_m,
        area_km2=FIRST_HOME.area_km2,
        layout=FIRST_LAYOUT,
        grid_columns=FIRST_HOME.grid_columns,
        workstations=FIRST_HOME.workstations,
        buildings_per_block=FIRST_HOME.buildings_per_block,
        hundred_million_buildings=FIRST_HOME.hundred_million_buildings,
        subcentres=FIRST_HOME.subcentres,
        enterprises=FIRST_HOME.enterprises,
        population=FIRST_HOME.population,
        facility_share=1.0,
        ew_streets=tuple(OTHER_EW_STREETS[(n + i) % 7] for i in range(5)),
        ns_streets=tuple(OTHER_NS_STREETS[(n + i) % 7] for i in range(6)),
    )


def plan_homes(scale: int = 1) -> list[DemoHome]:
    """The homes to load: scale N keeps the first two and adds N − 1 copies of the first."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE}")
    return [FIRST_HOME, SECOND_HOME, *(extra_home(n) for n in range(2, scale + 1))]
