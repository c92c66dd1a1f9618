from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Row ids come back after a rollback; no test may see another's cached network."""
    from linli.lifecircle import analysis

    analysis.clear_cache()
    yield
    analysis.clear_cache()
