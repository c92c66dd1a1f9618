"""How a year's inspections of one establishment are spread over the year.

The year is cut into as many periods of whole months as there are inspections (4: quarters;
3: four-month periods; 2: halves); each inspection gets one month of its period as its planned
window. Which month is drawn from the establishment's number, so the establishments of one
grade do not all fall in January, and a re-run gives the same months. A window of a whole month
lets the planner merge it with any other department's plan that overlaps that month.
"""

from __future__ import annotations

import calendar
import datetime as dt

Window = tuple[dt.date, dt.date]


def month_window(year: int, month: int) -> Window:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def windows(year: int, count: int, spread: int) -> list[Window]:
    """``count`` windows, one per period of the year, in order; ``spread`` (any whole number,
    e.g. the establishment's id) picks the month inside each period."""
    if count <= 0:
        return []
    count = min(count, 12)
    bounds = [12 * i // count for i in range(count + 1)]
    found = []
    for i in range(count):
        length = bounds[i + 1] - bounds[i]
        month = bounds[i] + spread % length + 1
        found.append(month_window(year, month))
    return found
