"""Planning standards of the 15-minute community life circle.

The distances are the defaults the Django layer copies into its editable standards table; the
type keys are stable identifiers shared with that layer, so never rename one.

Distances are stored in metres, as the standards state them. They assume a reference walker at
1.0 m/s (300 m ≈ 5 minutes); a slower group, such as the elderly, covers fewer metres in the same
minutes, so its effective threshold is scaled by its speed (see :class:`WalkingSpeeds`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

GB50180 = "GB 50180-2018《城市居住区规划设计标准》表 4.0.1"
SHANGHAI_GUIDE = "《上海市15分钟社区生活圈规划导则》（2016）"

#: Groups whose walking speed may differ; a standard names the group that walks to it.
GROUP_ALL = "all"
GROUP_ELDERLY = "elderly"

#: What a standard's coverage is weighted by.
WEIGHT_POPULATION = "population"
WEIGHT_OVER_60 = "over_60"


@dataclass(frozen=True)
class FacilityStandard:
    key: str
    label_zh: str
    label_en: str
    tier_minutes: int
    threshold_m: float
    source: str
    group: str = GROUP_ALL
    weight: str = WEIGHT_POPULATION
    #: Unit of a facility's capacity, for the types whose supply is limited (2SFCA); None if the
    #: type is not capacity-limited.
    capacity_unit: str | None = None


@dataclass(frozen=True)
class WalkingSpeeds:
    """Walking speed in m/s per group; thresholds scale by speed / reference."""

    reference: float = 1.0
    speeds: Mapping[str, float] = field(
        default_factory=lambda: {GROUP_ALL: 1.0, GROUP_ELDERLY: 0.8}
    )

    def speed(self, group: str) -> float:
        return float(self.speeds.get(group, self.reference))

    def threshold_m(self, standard: FacilityStandard) -> float:
        return standard.threshold_m * self.speed(standard.group) / self.reference

    def minutes(self, distance_m: float, group: str = GROUP_ALL) -> float:
        return distance_m / self.speed(group) / 60.0


DEFAULT_STANDARDS: tuple[FacilityStandard, ...] = (
    # 5-minute tier
    FacilityStandard(
        "elderly_day_care",
        "社区养老服务设施(日间照料)",
        "Elderly day care",
        5,
        300.0,
        GB50180,
        group=GROUP_ELDERLY,
        weight=WEIGHT_OVER_60,
        capacity_unit="places",
    ),
    FacilityStandard(
        "kindergarten", "幼儿园", "Kindergarten", 5, 300.0, GB50180, capacity_unit="seats"
    ),
    FacilityStandard("convenience_shop", "便利店", "Convenience shop", 5, 300.0, GB50180),
    FacilityStandard(
        "health_station",
        "社区卫生服务站",
        "Health station",
        5,
        300.0,
        GB50180,
        capacity_unit="doctors",
    ),
    # 10-minute tier
    FacilityStandard("primary_school", "小学", "Primary school", 10, 500.0, GB50180),
    FacilityStandard(
        "park",
        "社区公园",
        "Neighbourhood park",
        10,
        500.0,
        GB50180 + "；经公园出入口到达",
    ),
    FacilityStandard(
        "childcare",
        "托育机构(0-3岁)",
        "Childcare (0-3)",
        10,
        500.0,
        SHANGHAI_GUIDE,
        capacity_unit="places",
    ),
    # 15-minute tier: the standards give a band of 800-1,000 m; the upper end is the default.
    FacilityStandard("middle_school", "中学", "Middle school", 15, 1000.0, GB50180),
    FacilityStandard(
        "community_health_centre",
        "社区卫生服务中心",
        "Community health service centre",
        15,
        1000.0,
        GB50180,
        capacity_unit="doctors",
    ),
    FacilityStandard(
        "culture_sports_centre",
        "文化活动中心/体育中心",
        "Culture and sports centre",
        15,
        1000.0,
        GB50180,
    ),
    FacilityStandard(
        "community_service_centre",
        "社区服务中心(街道级)",
        "Community service centre",
        15,
        1000.0,
        GB50180,
    ),
    FacilityStandard(
        "subdistrict_office", "街道办事处", "Sub-district office", 15, 1000.0, GB50180
    ),
    # Facilities for the elderly, added after the twelve above (so the order of those, which
    # benchmarks and stored tables rely on, stays as it was). Both are walked to by the elderly
    # and weighted by the residents over 60.
    FacilityStandard(
        "meal_point",
        "社区助餐点/长者食堂",
        "Meal-assist point or community canteen",
        5,
        300.0,
        SHANGHAI_GUIDE + "；5分钟步行可达范围内配置老年助餐服务",
        group=GROUP_ELDERLY,
        weight=WEIGHT_OVER_60,
    ),
    FacilityStandard(
        "elderly_service_centre",
        "综合为老服务中心",
        "Comprehensive elderly service centre",
        15,
        1000.0,
        SHANGHAI_GUIDE + "；街道级综合为老服务中心",
        group=GROUP_ELDERLY,
        weight=WEIGHT_OVER_60,
    ),
)

FACILITY_TYPES: tuple[str, ...] = tuple(s.key for s in DEFAULT_STANDARDS)


def standards_by_key(
    standards: Iterable[FacilityStandard] = DEFAULT_STANDARDS,
) -> dict[str, FacilityStandard]:
    return {s.key: s for s in standards}


def with_threshold(standard: FacilityStandard, threshold_m: float) -> FacilityStandard:
    """A copy with another distance, for the editable table."""
    if not threshold_m > 0:
        raise ValueError(f"threshold for {standard.key} must be positive, got {threshold_m}")
    return replace(standard, threshold_m=float(threshold_m))
