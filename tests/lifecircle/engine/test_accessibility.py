"""Coverage, counts, 2SFCA, what-if, ranking and service areas on a street with known answers.

The street runs along y=0 from x=0 to x=1000 m (nodes every 100 m). Positions are in metres.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from linli.lifecircle.engine import (
    DEFAULT_STANDARDS,
    FACILITY_TYPES,
    Accessibility,
    Facilities,
    Homes,
    WalkingSpeeds,
    demo_facilities,
    demo_homes,
    demo_network,
    standards_by_key,
    with_threshold,
)

from .helpers import to_lonlat

# x, y, population, over 60, quarter
HOMES = [(50, -10, 10, 5, "A"), (450, 20, 20, 0, "A"), (950, 0, 30, 30, "B"), (380, 0, 40, 0, "B")]


def homes() -> Homes:
    x, y, pop, old, group = zip(*HOMES, strict=True)
    lon, lat = to_lonlat(x, y)
    return Homes.from_arrays(lon, lat, pop, old, group=list(group))


def facility(kind, *gates, capacity=None, fid=None):
    lon, lat = to_lonlat(*zip(*gates, strict=True))
    return {
        "id": fid or f"{kind}-{gates[0][0]}",
        "type": kind,
        "capacity": capacity,
        "entrances": list(zip(lon, lat, strict=True)),
    }


@pytest.fixture
def acc(line_network):
    facilities = Facilities.from_records(
        [
            facility("kindergarten", (100, 10), capacity=10),
            facility("kindergarten", (750, 0), capacity=60),
            facility("elderly_day_care", (700, 0), capacity=20),
            facility("park", (0, 0), (600, 0)),  # one park, two gates
        ]
    )
    return Accessibility(line_network, homes(), facilities)


def test_nearest_includes_snap_distances(acc):
    d = acc.nearest(["kindergarten", "park", "middle_school"])
    assert d["kindergarten"] == pytest.approx([70, 320, 200, 290])
    assert d["park"] == pytest.approx([60, 170, 350, 220])
    assert np.all(np.isinf(d["middle_school"]))  # no facility of that type


def test_coverage_is_weighted_by_population(acc):
    cov = acc.coverage(["kindergarten"])["kindergarten"]
    assert cov.threshold_m == 300
    assert cov.covered.tolist() == [True, False, True, True]
    assert cov.share == pytest.approx(80 / 100)
    assert cov.count.tolist() == [1, 0, 1, 1]
    assert cov.gaps.tolist() == [1]
    assert cov.by_group["A"].share == pytest.approx(10 / 30)
    assert cov.by_group["B"].share == pytest.approx(1.0)


def test_a_park_with_two_gates_counts_once(acc):
    cov = acc.coverage(["park"])["park"]
    # Homes 1 and 3 are within 500 m of both gates.
    assert cov.count.tolist() == [1, 1, 1, 1]


def test_elderly_services_use_the_over_60_and_their_slower_pace(acc, line_network):
    cov = acc.coverage(["elderly_day_care"])["elderly_day_care"]
    # 300 m at 0.8 m/s instead of 1.0 m/s: 240 m. The home at x=950 is 250 m away.
    assert cov.threshold_m == pytest.approx(240)
    assert cov.weight == "over_60"
    assert cov.share == 0
    same_pace = Accessibility(
        line_network,
        acc.homes,
        acc.facilities,
        speeds=WalkingSpeeds(speeds={"all": 1.0, "elderly": 1.0}),
    )
    cov = same_pace.coverage(["elderly_day_care"])["elderly_day_care"]
    assert cov.share == pytest.approx(30 / 35)
    assert same_pace.walk_minutes(300, "elderly_day_care") == pytest.approx(5)
    assert acc.walk_minutes(240, "elderly_day_care") == pytest.approx(5)


def test_two_step_floating_catchment(acc):
    fca = acc.two_step_fca("kindergarten", threshold_m=700)
    # Within 700 m: the x=100 site reaches homes 0, 1, 3 (demand 70) and the x=750 site
    # reaches homes 1, 2, 3 (demand 90).
    assert fca.facility_demand.tolist() == [70, 90]
    ra, rb = 10 / 70, 60 / 90
    assert fca.facility_ratio == pytest.approx([ra, rb])
    assert fca.home_access == pytest.approx([ra, ra + rb, rb, ra + rb])
    default = acc.two_step_fca("kindergarten")
    assert default.home_access == pytest.approx([10 / 50, 0, 2.0, 10 / 50])
    assert default.missing_capacity == 0


def test_what_if_adds_the_newly_covered(acc):
    lon, lat = to_lonlat(450, 30)
    result = acc.what_if(float(lon[0]), float(lat[0]), "kindergarten")
    assert result.newly_covered.tolist() == [1]
    assert result.distance_m == pytest.approx([50])  # along its own edge, both snaps included
    assert result.added_weight == 20
    assert result.share_before == pytest.approx(0.8)
    assert result.share_after == pytest.approx(1.0)


def test_rank_candidates(acc):
    lon, lat = to_lonlat([1000, 450, 460, 300], [0, 30, 0, 0])
    ranked = acc.rank_candidates(lon, lat, "kindergarten")
    assert [c.index for c in ranked] == [1, 2, 3, 0]
    assert [c.added_weight for c in ranked] == [20, 20, 20, 0]
    greedy = acc.rank_candidates(lon, lat, "kindergarten", greedy=True, top=2)
    assert [c.index for c in greedy] == [1, 0]
    assert [c.added_weight for c in greedy] == [20, 0]


def test_service_area(acc, line_network):
    area = acc.service_area("kindergarten")
    # From x=100 (10 m off the street): 290 m either way, x=0..390; from x=750: x=450..1000.
    assert area.length_m() == pytest.approx(390 + 550)
    geo = area.to_geojson(line_network)
    assert geo["properties"] == {"facility_type": "kindergarten", "threshold_m": 300.0}
    assert len(geo["features"]) == len(area.edge)
    json.dumps(geo)
    # A stretch starts where the walk from its facility enters it.
    first = int(np.flatnonzero(area.edge == 3)[0])
    assert (area.start_m[first], area.end_m[first]) == pytest.approx((0, 90))
    assert area.distance_m[first] == pytest.approx(210)


def test_report_is_plain_data(acc):
    report = acc.report()
    json.dumps(report)
    assert set(report["coverage"]) == set(FACILITY_TYPES)
    assert set(report["two_step_fca"]) == {
        s.key for s in DEFAULT_STANDARDS if s.capacity_unit is not None
    }


def test_standards_table():
    by_key = standards_by_key()
    assert list(by_key) == list(FACILITY_TYPES)
    assert len(FACILITY_TYPES) == 14  # GB 50180's twelve, meal points, elderly service centres
    tiers = {s.tier_minutes: set() for s in DEFAULT_STANDARDS}
    for s in DEFAULT_STANDARDS:
        tiers[s.tier_minutes].add(s.threshold_m)
        assert s.label_zh and s.label_en and s.source
    assert tiers[5] == {300} and tiers[10] == {500}
    assert tiers[15] <= set(range(800, 1001))
    edited = with_threshold(by_key["park"], 400)
    assert edited.threshold_m == 400 and by_key["park"].threshold_m == 500
    with pytest.raises(ValueError):
        with_threshold(by_key["park"], 0)


def test_input_validation(line_network):
    with pytest.raises(ValueError, match="over_60"):
        Homes.from_arrays([121.459], [31.237], [1], [2])
    with pytest.raises(ValueError, match="no entrance"):
        Facilities(
            np.array(["park", "park"]),
            np.array([np.nan, np.nan]),
            np.array([121.459]),
            np.array([31.237]),
            np.array([0]),
        )
    acc = Accessibility(
        line_network, homes(), Facilities.from_points(["toilet"], [121.459], [31.237])
    )
    with pytest.raises(KeyError, match="toilet"):
        acc.coverage(["toilet"])
    assert np.isfinite(acc.nearest(["toilet"])["toilet"]).all()


def test_node_snapping_mode(line_network):
    facilities = Facilities.from_records([facility("kindergarten", (100, 10))])
    acc = Accessibility(line_network, homes(), facilities, snap="node")
    # Each point jumps to its nearest node: x=380 to x=400 (20 m), x=100 to itself (10 m).
    d = acc.nearest(["kindergarten"])["kindergarten"]
    assert d[3] == pytest.approx(20 + 300 + 10)


def test_demo_report_runs_fast_enough():
    import time

    net = demo_network()
    start = time.perf_counter()
    acc = Accessibility(net, demo_homes(3000), demo_facilities(200))
    report = acc.report()
    assert time.perf_counter() - start < 5  # the bench holds the real 0.5 s target
    assert 0 < report["coverage"]["convenience_shop"]["share"] <= 1


def test_service_area_stretches_are_merged_per_edge():
    from linli.lifecircle.engine.service_area import _merge_intervals

    edge, start, end, dist = _merge_intervals(
        np.array([2, 1, 2, 2, 1]),
        np.array([0.0, 5.0, 30.0, 10.0, 50.0]),
        np.array([20.0, 40.0, 60.0, 25.0, 90.0]),
        np.array([7.0, 3.0, 1.0, 4.0, 2.0]),
    )
    assert edge.tolist() == [1, 1, 2, 2]
    assert start.tolist() == [5, 50, 0, 30]
    assert end.tolist() == [40, 90, 25, 60]
    assert dist.tolist() == [3, 2, 4, 1]
