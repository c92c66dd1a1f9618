"""What a report says, before it is drawn: each chosen indicator's figure for the month with its
definition, a trend over the last six months, the filters applied and the moment computed.
The PDF (``report_pdf``) and the workbook (``report_xlsx``) draw the same content, so the two
files of a report never disagree.

Filters. The indicators are computed for the whole sub-district; a grid filter narrows a
figure to the grid's share of its breakdown when the indicator is broken down by grid (its
parts drill into lists filtered by ``grid``, so the share is the length of that grid's list).
An indicator without a breakdown by grid stays the whole sub-district's and says so, rather
than a figure that looks filtered and is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _

from linli.cockpit import catalogue  # noqa: F401 - registers the indicators
from linli.cockpit.indicators import INDICATORS, Figure, Indicator, Period
from linli.core import clock
from linli.core.access import Access
from linli.registry.models import Grid

#: How many months the trend chart goes back, the report's month included.
TREND_MONTHS = 6
#: The indicator whose trend is drawn when it is among those chosen: the intake shows the load.
TREND_PREFERRED = "cases.intake"


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    figure: Figure
    #: False when a grid filter is set and this figure is still the whole sub-district's.
    filtered: bool = True


@dataclass(frozen=True)
class ReportContent:
    title: str
    subdistrict: str
    month: Period
    filters: list[tuple[str, str]]
    computed_at: dt.datetime
    lines: list[Line]
    #: The trend indicator and its value for each month, oldest first.
    trend: tuple[Indicator, list[tuple[Period, float | int | None]]] | None
    #: False when a grid filter is set and the trend is still the whole sub-district's.
    trend_filtered: bool = True


def _grid_of(part_url: str) -> str | None:
    values = parse_qs(urlsplit(part_url).query).get("grid")
    return values[0] if values else None


def for_grid(item: Indicator, figure: Figure, grid: Grid | None) -> tuple[Figure, bool]:
    """The figure narrowed to ``grid``, and whether it could be."""
    if grid is None:
        return figure, True
    by_grid = [p for p in figure.parts if _grid_of(p.url) is not None]
    if by_grid:
        mine = [p for p in by_grid if _grid_of(p.url) == grid.code]
        return Figure(sum(p.value for p in mine), mine[0].url if mine else "", tuple(mine)), True
    if not item.is_rate and figure.value == 0:
        return figure, True  # nothing in the whole area: nothing in the grid either
    return figure, False


def filters_of(
    month: Period, grid: Grid | None, extra: Iterable[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    return [
        (_("Month"), str(month)),
        *extra,
        (_("Grid"), f"{grid.code} {grid.name}" if grid else _("all grids")),
    ]


def compute_report(
    access: Access,
    *,
    title: str,
    month: Period,
    keys: Iterable[str],
    grid: Grid | None = None,
    extra_filters: Iterable[tuple[str, str]] = (),
) -> ReportContent:
    """Every chosen indicator that is still registered, computed now, as ``access`` sees it."""
    assert access.subdistrict is not None  # noqa: S101 - a report is of one sub-district
    chosen = [INDICATORS[k] for k in keys if k in INDICATORS]
    lines = []
    for item in chosen:
        figure, filtered = for_grid(item, item.compute(access, month), grid)
        lines.append(Line(item, figure, filtered))
    trend_item = next(
        (i for i in chosen if i.key == TREND_PREFERRED),
        next((i for i in chosen if not i.lower_is_better), None),
    )
    trend, trend_filtered = None, True
    if trend_item is not None:
        months = [month]
        while len(months) < TREND_MONTHS:
            months.insert(0, months[0].previous)
        points = []
        for m in months:
            figure, filtered = for_grid(trend_item, trend_item.compute(access, m), grid)
            points.append((m, figure.value))
            trend_filtered = trend_filtered and filtered
        trend = (trend_item, points)
    return ReportContent(
        title=title,
        subdistrict=access.subdistrict.name,
        month=month,
        filters=filters_of(month, grid, extra_filters),
        computed_at=clock.now(),
        lines=lines,
        trend=trend,
        trend_filtered=trend_filtered,
    )


def shown(item: Indicator, value: float | int | None) -> str:
    """A figure as printed: a rate in percent, a count grouped by thousands, none as a dash."""
    if value is None:
        return "—"
    if item.is_rate:
        return f"{value * 100:.1f}%"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def computed_text(content: ReportContent) -> str:
    return f"{clock.local(content.computed_at):%Y-%m-%d %H:%M} (Asia/Shanghai)"


def filters_text(content: ReportContent) -> str:
    return "; ".join(f"{name}: {value}" for name, value in content.filters)
