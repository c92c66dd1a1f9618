"""Edge snapping is exact whatever the number of nearest midpoints examined first."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from linli.lifecircle.engine import demo_network
from linli.lifecircle.engine import snap as snap_module
from linli.lifecircle.engine.snap import Snapper


@pytest.fixture(scope="module")
def network():
    return demo_network(seed=5)


@pytest.mark.parametrize("k", [1, 3, 16])
def test_edge_snap_is_exact(network, monkeypatch, k):
    monkeypatch.setattr(snap_module, "KNN_CANDIDATES", k)
    rng = np.random.default_rng(k)
    x = rng.uniform(network.x.min() - 200, network.x.max() + 200, 3000)
    y = rng.uniform(network.y.min() - 200, network.y.max() + 200, 3000)
    snapped = Snapper(network).snap_xy(x, y)
    segments = shapely.linestrings(
        np.stack(
            [
                np.column_stack([network.x[network.edge_u], network.y[network.edge_u]]),
                np.column_stack([network.x[network.edge_v], network.y[network.edge_v]]),
            ],
            axis=1,
        )
    )
    _, exact = shapely.STRtree(segments).query_nearest(
        shapely.points(x, y), all_matches=False, return_distance=True
    )
    assert np.allclose(snapped.offset_m, exact, atol=1e-9)
    length = network.edge_length[snapped.edge]
    assert np.allclose(snapped.cost_u + snapped.cost_v, 2 * snapped.offset_m + length)


def test_node_snap(network):
    snapped = Snapper(network, "node").snap(network.lon[:10], network.lat[:10])
    assert snapped.node_u.tolist() == list(range(10))
    assert np.allclose(snapped.offset_m, 0, atol=1e-6)
    assert (snapped.edge == -1).all()


def test_bad_mode(network):
    with pytest.raises(ValueError, match="snap mode"):
        Snapper(network, "nearest")  # type: ignore[arg-type]
