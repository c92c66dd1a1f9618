"""The large screen (大屏) of the command centre: a fixed set of key figures of the month, each
with its change on the month before, and the top lines of the breakdowns worth watching, laid
out to fill 1920×1080 without scrolling and reloading itself."""

from __future__ import annotations

from dataclasses import dataclass

from linli.cockpit.indicators import INDICATORS, Figure, Indicator, Part, Period
from linli.core.access import Access

#: The figures on the screen, in reading order. The grid has room for twelve; a key whose
#: module is not installed is left out rather than shown empty.
SCREEN_KEYS = (
    "cases.intake",
    "cases.overdue",
    "cases.on_time_closure",
    "cases.satisfaction",
    "cases.resolution",
    "cases.timely_acceptance",
    "cases.reopened",
    "livelihood.caring_coverage",
    "livelihood.meals_served",
    "livelihood.care_hours",
    "governance.lift_projects",
    "governance.charging_coverage",
)
#: The breakdowns shown as ranked lists beside the figures: where the overdue cases are (the
#: hot spots) and how cases arrive.
TOP_KEYS = ("cases.overdue", "cases.intake")
TOP_LINES = 5
#: Figures whose rise is neither good nor bad news (more cases received may mean more trust
#: as much as more trouble): their change is shown without a colour.
NEUTRAL_KEYS = frozenset({"cases.intake"})
#: How often the screen reloads itself (a meta refresh: no script needed).
REFRESH_SECONDS = 300


@dataclass(frozen=True)
class Tile:
    indicator: Indicator
    figure: Figure
    previous: Figure

    @property
    def change(self) -> float | None:
        """This month less the month before (in points of a share for a rate); None when
        either month has no figure."""
        now, then = self.figure.value, self.previous.value
        if now is None or then is None:
            return None
        return round(float(now) - float(then), 4)

    @property
    def size(self) -> float | None:
        return None if self.change is None else abs(self.change)

    @property
    def points(self) -> str | None:
        """A rate's change in percentage points, one decimal (a share of 0.045 → "4.5")."""
        return None if self.size is None else f"{self.size * 100:.1f}"

    @property
    def trend(self) -> str:
        """``better``, ``worse``, ``same`` or ``neutral``, read the way the indicator is (fewer
        overdue cases is better)."""
        change = self.change
        if not change:
            return "same"
        if self.indicator.key in NEUTRAL_KEYS:
            return "neutral"
        rising = change > 0
        return "worse" if rising == self.indicator.lower_is_better else "better"


@dataclass(frozen=True)
class TopList:
    indicator: Indicator
    parts: tuple[Part, ...]


def screen(access: Access, period: Period) -> tuple[list[Tile], list[TopList]]:
    """The tiles and the ranked lists of ``period`` as ``access`` sees them."""
    tiles = [
        Tile(item, item.compute(access, period), item.compute(access, period.previous))
        for key in SCREEN_KEYS
        if (item := INDICATORS.get(key)) is not None
    ]
    figures = {tile.indicator.key: tile.figure for tile in tiles}
    tops = [
        TopList(
            INDICATORS[key],
            tuple(sorted(figures[key].parts, key=lambda p: -p.value)[:TOP_LINES]),
        )
        for key in TOP_KEYS
        if key in figures
    ]
    return tiles, tops
