"""Benchmark of the 15-minute life-circle engine, against pandana on the same queries.

    python bench/lifecircle.py [--quick]

Prints exactly one JSON line on stdout (progress goes to stderr). Two cases:

* the demo sub-district: ~5k nodes, 30k residents as population points, 500 facilities
  (12 types): the full coverage report, one what-if, a candidate ranking;
* a synthetic city: ~500k nodes (edges ~50-150 m), 20k facilities of 10 types (``--quick``:
  50k nodes and 2k facilities, flagged in the JSON): nearest facility per type for every node.

For the comparison both engines answer the same question on the same graph: the walking distance
from every node to the nearest facility of a type, within the type's threshold, with facilities
placed on their nearest node (pandana's ``set_pois`` snaps to nodes and adds no snap distance).
Each engine runs in its own child process, so each peak memory figure is its own. pandana's
contraction hierarchy for a 500k-node grid takes far longer than everything else (about
1,000 s on 2 cores), so the full run takes about 20 minutes; ``--pandana-city-nodes 100000``
compares on a smaller city built the same way instead (the JSON says which), while the engine's
own targets are always timed on the 500k-node city. pandana comes
from requirements/bench-lifecircle.txt; without it the comparison is reported as skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from linli.lifecircle.engine import (  # noqa: E402
    FACILITY_TYPES,
    Accessibility,
    Facilities,
    WalkNetwork,
    demo_boundary,
    demo_facilities,
    demo_homes,
    demo_network,
    random_facilities,
    standards_by_key,
    synthetic_city,
)

CITY_TYPES = list(FACILITY_TYPES[:10])
# pandana keeps distances in single precision; paths here are at most ~1 km.
TOLERANCE_M = 0.05
TARGETS = {
    "subdistrict_report_s": 0.5,
    "what_if_ms": 50.0,
    "city_nearest_10_types_s": 3.0,
    "city_peak_rss_mb": 2048.0,
}


def log(msg: str) -> None:
    print(f"[lifecircle bench] {msg}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """This process's own peak resident memory. ru_maxrss would also count the parent's pages
    at fork time, so the kernel's high-water mark for this address space is read instead."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# -- shared data (written by the parent, read by both engines' child processes) -------------


def node_facilities(net: WalkNetwork, facilities: Facilities) -> Facilities:
    """The same facilities moved onto their nearest node, so that neither engine adds a snap
    distance and both see identical sources."""
    from scipy.spatial import cKDTree

    _, node = cKDTree(np.column_stack([net.x, net.y])).query(
        np.column_stack(net.project(facilities.entrance_lon, facilities.entrance_lat))
    )
    return Facilities(
        facilities.types,
        facilities.capacity,
        net.lon[node],
        net.lat[node],
        facilities.entrance_facility,
        facilities.ids,
    )


def save_case(folder: Path, net: WalkNetwork, fac: Facilities, types: list[str]) -> None:
    net.to_npz(folder / "network.npz")
    np.savez(
        folder / "facilities.npz",
        types=fac.types,
        capacity=fac.capacity,
        lon=fac.entrance_lon,
        lat=fac.entrance_lat,
        fac=fac.entrance_facility,
        query_types=np.array(types),
    )


def load_case(folder: Path) -> tuple[WalkNetwork, Facilities, list[str], dict[str, float]]:
    net = WalkNetwork.from_npz(folder / "network.npz")
    with np.load(folder / "facilities.npz") as z:
        fac = Facilities(z["types"], z["capacity"], z["lon"], z["lat"], z["fac"])
        types = [str(t) for t in z["query_types"]]
    std = standards_by_key()
    # The pandana comparison uses the general walking pace for every type.
    limits = {t: std[t].threshold_m for t in types}
    return net, fac, types, limits


# -- child processes ---------------------------------------------------------------------------


def child_ours(folder: Path, repeat: int) -> dict:
    net, fac, types, limits = load_case(folder)
    graph_s, _ = timed(lambda: WalkNetwork.from_npz(folder / "network.npz").graph, 1)
    _ = net.graph

    def run() -> dict[str, np.ndarray]:
        acc = Accessibility(net, None, fac, snap="node")
        return {t: acc.nearest_at_nodes(t, limit=limits[t]) for t in types}

    query_s, result = timed(run, repeat)
    assert isinstance(result, dict)
    np.savez(folder / "ours.npz", **result)
    return {"query_s": query_s, "graph_build_s": graph_s, "peak_rss_mb": peak_rss_mb()}


def child_pandana(folder: Path, repeat: int) -> dict:
    import pandana
    import pandas as pd

    net, fac, types, limits = load_case(folder)
    start = time.perf_counter()
    pnet = pandana.Network(
        pd.Series(net.x),
        pd.Series(net.y),
        pd.Series(net.edge_u),
        pd.Series(net.edge_v),
        pd.DataFrame({"length": net.edge_length}),
        twoway=True,
    )
    build_s = time.perf_counter() - start
    x, y = net.project(fac.entrance_lon, fac.entrance_lat)
    kinds = fac.types[fac.entrance_facility]

    def run() -> dict[str, np.ndarray]:
        out = {}
        for t in types:
            sel = kinds == t
            pnet.set_pois(t, limits[t], 1, pd.Series(x[sel]), pd.Series(y[sel]))
            res = pnet.nearest_pois(limits[t], t, num_pois=1)
            out[t] = res[1].to_numpy(dtype=np.float64)
        return out

    query_s, result = timed(run, repeat)
    assert isinstance(result, dict)
    np.savez(folder / "pandana.npz", **result)
    return {
        "query_s": query_s,
        "network_build_s": build_s,
        "peak_rss_mb": peak_rss_mb(),
        "version": getattr(pandana, "__version__", "?"),
    }


def run_child(kind: str, folder: Path, repeat: int, timeout: float | None = None) -> dict | None:
    # A child's stdout goes to our stderr: pandana's C++ core prints progress there, and our
    # stdout carries only the one JSON line. The result comes back in a file.
    try:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                kind,
                "--data",
                str(folder),
                "--repeat",
                str(repeat),
            ],
            stdout=sys.stderr,
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        log(f"{kind} child gave up after {timeout} s")
        return {"timed_out_after_s": timeout}
    if proc.returncode != 0:
        log(f"{kind} child failed with exit code {proc.returncode}")
        return None
    return json.loads((folder / f"result-{kind}.json").read_text())


def pandana_available() -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", "import pandana"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return probe.returncode == 0


def compare(folder: Path, types: list[str], limits: dict[str, float]) -> dict:
    ours = np.load(folder / "ours.npz")
    theirs = np.load(folder / "pandana.npz")
    worst, mismatched, compared = 0.0, 0, 0
    for t in types:
        a = np.where(np.isfinite(ours[t]), ours[t], limits[t])
        b = np.minimum(theirs[t], limits[t])
        diff = np.abs(a - b)
        worst = max(worst, float(diff.max()))
        mismatched += int((diff > TOLERANCE_M).sum())
        compared += len(a)
    return {
        "compared_distances": compared,
        "max_abs_diff_m": round(worst, 4),
        "mismatched": mismatched,
        "tolerance_m": TOLERANCE_M,
        "equal": mismatched == 0,
    }


def comparison(
    folder: Path, types: list[str], repeat: int, have_pandana: bool, pandana_timeout: float
) -> dict:
    _, _, _, limits = load_case(folder)
    ours = run_child("ours", folder, repeat)
    if ours is None:
        raise SystemExit("the engine's child process failed")
    out: dict = {"ours": ours}
    if not have_pandana:
        out["pandana"] = None
        return out
    theirs = run_child("pandana", folder, repeat, pandana_timeout)
    out["pandana"] = theirs
    if theirs is not None and "query_s" in theirs:
        out["check"] = compare(folder, types, limits)
        out["ratio_pandana_over_ours"] = round(theirs["query_s"] / ours["query_s"], 2)
        # A one-off analysis also pays for each engine's preprocessing.
        out["ratio_with_preprocessing"] = round(
            (theirs["query_s"] + theirs["network_build_s"])
            / (ours["query_s"] + ours["graph_build_s"]),
            2,
        )
    return out


# -- the two cases -----------------------------------------------------------------------------


def subdistrict_case(folder: Path, quick: bool, have_pandana: bool, timeout: float) -> dict:
    log("sub-district: generating the demo network, 30k residents, 500 facilities")
    start = time.perf_counter()
    net = demo_network(seed=7)
    generate_s = time.perf_counter() - start
    homes = demo_homes(30_000, seed=7)
    fac = demo_facilities(500, seed=7)
    repeat = 3 if quick else 7

    def report():
        acc = Accessibility(net, homes, fac)
        return acc, acc.report()

    log("sub-district: full coverage report")
    report_s, result = timed(report, repeat)
    acc, rep = result  # type: ignore[misc]

    # What-if as the page runs it: coverage is on screen, a planner clicks a point and a type.
    rng = np.random.default_rng(1)
    b = demo_boundary()
    x0, y0, x1, y1 = b.bounds
    clicks = []
    while len(clicks) < (30 if quick else 100):
        lon, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if b.contains(shapely.Point(lon, lat)):
            clicks.append((lon, lat, FACILITY_TYPES[len(clicks) % len(FACILITY_TYPES)]))
    what_if_times = []
    for lon, lat, t in clicks:
        start = time.perf_counter()
        acc.what_if(lon, lat, t)
        what_if_times.append(time.perf_counter() - start)
    cand = np.array([c[:2] for c in clicks], dtype=float)
    rank_s, _ = timed(lambda: acc.rank_candidates(cand[:, 0], cand[:, 1], "park"), 3)
    greedy_s, _ = timed(
        lambda: acc.rank_candidates(cand[:, 0], cand[:, 1], "park", greedy=True, top=5), 3
    )
    service_s, _ = timed(lambda: [acc.service_area(t) for t in FACILITY_TYPES], 3)

    log("sub-district: nearest facility per type, engine vs pandana")
    save_case(folder, net, node_facilities(net, fac), list(FACILITY_TYPES))
    cmp_ = comparison(folder, list(FACILITY_TYPES), repeat, have_pandana, timeout)
    return {
        "nodes": net.n_nodes,
        "edges": net.n_edges,
        "residents": int(homes.population.sum()),
        "home_points": len(homes),
        "facilities": len(fac),
        "entrances": len(fac.entrance_lon),
        "types": len(FACILITY_TYPES),
        "network_generate_s": round(generate_s, 3),
        "report_s": round(report_s, 4),
        "report_includes": "snapping homes and entrances to edges, nearest, counts, coverage "
        "and 2SFCA for all types",
        "what_if_ms": round(1000 * statistics.median(what_if_times), 3),
        "what_if_max_ms": round(1000 * max(what_if_times), 3),
        "what_if_runs": len(what_if_times),
        "rank_candidates_ms": round(1000 * rank_s, 2),
        "rank_candidates_greedy_top5_ms": round(1000 * greedy_s, 2),
        "candidates": len(clicks),
        "service_areas_all_types_ms": round(1000 * service_s, 2),
        "park_coverage_share": round(rep["coverage"]["park"]["share"], 4),
        "comparison": cmp_,
    }


def city_case(
    folder: Path, quick: bool, have_pandana: bool, timeout: float, pandana_nodes: int | None
) -> dict:
    nodes = 50_000 if quick else 500_000
    n_fac = 2_000 if quick else 20_000
    separate = pandana_nodes is not None and pandana_nodes != nodes
    log(f"city: generating {nodes} nodes and {n_fac} facilities")
    start = time.perf_counter()
    net = synthetic_city(nodes, seed=11)
    generate_s = time.perf_counter() - start
    fac = random_facilities(net, n_fac, CITY_TYPES, seed=13)
    save_case(folder, net, node_facilities(net, fac), CITY_TYPES)
    edge_stats = {
        "p5": round(float(np.percentile(net.edge_length, 5)), 1),
        "median": round(float(np.median(net.edge_length)), 1),
        "p95": round(float(np.percentile(net.edge_length, 95)), 1),
    }
    out: dict = {
        "nodes": net.n_nodes,
        "edges": net.n_edges,
        "edge_length_m": edge_stats,
        "facilities": n_fac,
        "types": len(CITY_TYPES),
        "scaled_down_for_quick": quick,
        "network_generate_s": round(generate_s, 3),
    }
    del net
    log("city: nearest facility for 10 types" + ("" if separate else ", engine vs pandana"))
    full = comparison(folder, CITY_TYPES, 3, have_pandana and not separate, timeout)
    out["nearest_10_types_s"] = round(full["ours"]["query_s"], 4)
    out["nearest_includes"] = (
        "snapping facilities to nodes, one bounded multi-source Dijkstra per type "
        "(limit = the type's threshold) over every node"
    )
    out["peak_rss_mb"] = full["ours"]["peak_rss_mb"]
    if not separate:
        out["comparison"] = full
        return out
    # pandana's contraction hierarchy on a 500k-node grid takes far longer than any query, so
    # the comparison can run on a smaller city built the same way (flagged in the JSON).
    assert pandana_nodes is not None
    small_dir = folder / "compare"
    small_dir.mkdir()
    small_fac = max(len(CITY_TYPES), round(n_fac * pandana_nodes / nodes))
    log(f"city: engine vs pandana on a {pandana_nodes}-node city, {small_fac} facilities")
    small = synthetic_city(pandana_nodes, seed=11)
    fac_small = random_facilities(small, small_fac, CITY_TYPES, seed=13)
    save_case(small_dir, small, node_facilities(small, fac_small), CITY_TYPES)
    out["ours_full_city"] = full["ours"]
    out["comparison"] = comparison(small_dir, CITY_TYPES, 3, have_pandana, timeout)
    out["comparison"].update(
        {"nodes": small.n_nodes, "facilities": small_fac, "smaller_city_than_above": True}
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 50k-node city instead of 500k")
    parser.add_argument(
        "--pandana-timeout",
        type=float,
        default=3600.0,
        help="seconds before giving up on pandana (its contraction hierarchy on a 500k-node "
        "grid takes long)",
    )
    parser.add_argument(
        "--pandana-city-nodes",
        type=int,
        default=None,
        help="compare with pandana on a smaller city of this many nodes (default: the same "
        "city; pandana's preprocessing of the 500k-node city takes about 1,000 s)",
    )
    parser.add_argument("--child", choices=["ours", "pandana"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fn = child_ours if args.child == "ours" else child_pandana
        result = fn(args.data, args.repeat)
        (args.data / f"result-{args.child}.json").write_text(json.dumps(result))
        return 0

    have_pandana = pandana_available()
    if not have_pandana:
        log(
            "pandana is not installed (pip install -r requirements/bench-lifecircle.txt): "
            "comparison skipped"
        )
    with tempfile.TemporaryDirectory(prefix="lifecircle-bench-") as tmp:
        sub_dir, city_dir = Path(tmp) / "subdistrict", Path(tmp) / "city"
        sub_dir.mkdir()
        city_dir.mkdir()
        sub = subdistrict_case(sub_dir, args.quick, have_pandana, args.pandana_timeout)
        city = city_case(
            city_dir, args.quick, have_pandana, args.pandana_timeout, args.pandana_city_nodes
        )

    measured = {
        "subdistrict_report_s": sub["report_s"],
        "what_if_ms": sub["what_if_ms"],
        "city_nearest_10_types_s": city["nearest_10_types_s"],
        "city_peak_rss_mb": city["peak_rss_mb"],
    }
    targets = {
        k: {"value": round(v, 4), "target": TARGETS[k], "met": v <= TARGETS[k]}
        for k, v in measured.items()
    }
    checks = [c["comparison"].get("check") for c in (sub, city)]
    equal = (
        all(c["equal"] for c in checks if c is not None) if have_pandana and any(checks) else None
    )
    for name, case in (("subdistrict", sub), ("city", city)):
        if not have_pandana:
            continue
        ratio = case["comparison"].get("ratio_pandana_over_ours")
        targets[f"{name}_at_least_as_fast_as_pandana"] = {
            "value": ratio,
            "target": 1.0,
            "met": None if ratio is None else ratio >= 1.0,
        }
    out = {
        "bench": "lifecircle",
        "quick": args.quick,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "subdistrict": sub,
        "city": city,
        "distances_equal_to_pandana": equal,
        "targets": targets,
        "all_targets_met": all(t["met"] is not False for t in targets.values()),
    }
    print(json.dumps(out, separators=(",", ":")))
    if equal is False:
        log("distances differ from pandana beyond the tolerance")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
