"""The life-circle analysis of a sub-district: the engine fed from the registry, cached.

``inputs`` reads quarters and facilities into the engine's inputs; ``cache`` builds one analysis
per network version and inputs and keeps it in memory; ``coverage``, ``sites`` and ``layers``
shape its results for the pages, the API and the map.
"""

from linli.lifecircle.analysis.cache import Analysis, NoNetwork, clear_cache, get_analysis
from linli.lifecircle.analysis.coverage import coverage_all, gaps, report, two_step, type_coverage
from linli.lifecircle.analysis.inputs import FacilityInfo, QuarterInfo
from linli.lifecircle.analysis.labels import type_label
from linli.lifecircle.analysis.layers import map_layers, service_area_geojson
from linli.lifecircle.analysis.sites import suggest_sites, what_if

__all__ = [
    "Analysis",
    "FacilityInfo",
    "NoNetwork",
    "QuarterInfo",
    "clear_cache",
    "coverage_all",
    "gaps",
    "get_analysis",
    "map_layers",
    "report",
    "service_area_geojson",
    "suggest_sites",
    "two_step",
    "type_coverage",
    "type_label",
    "what_if",
]
