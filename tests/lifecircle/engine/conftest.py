"""Fixtures for engine tests (no Django, no database)."""

from __future__ import annotations

import numpy as np
import pytest

from linli.lifecircle.engine.network import WalkNetwork

from .helpers import metric_network


@pytest.fixture
def line_network() -> WalkNetwork:
    """A straight street along y=0 from x=0 to x=1000 with nodes every 100 m."""
    xs = np.arange(0, 1001, 100.0)
    xy = np.column_stack([xs, np.zeros_like(xs)])
    return metric_network(xy, [(i, i + 1) for i in range(len(xs) - 1)])
