"""The cockpit's indicators: each one a written definition, a formula, and a figure computed
for a period from indexed queries (never rows loaded into Python), with the list behind it one
click away.

An indicator reads through the reader's visibility (``visible_to``), so a leader sees the whole
sub-district and nobody sees more on the cockpit than on the list it drills into.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from linli.core import clock
from linli.core.access import Access


@dataclass(frozen=True)
class Period:
    """A calendar month in Shanghai time: [start, end)."""

    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """``2026-11`` → the period; ``None`` for anything else."""
        try:
            day = dt.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 - a calendar month
        except (TypeError, ValueError):
            return None
        return cls.of(day) if 2000 <= day.year <= 2100 else None

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.following.first_day - dt.timedelta(days=1)

    @property
    def following(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time(), tzinfo=clock.local_zone())

    @property
    def end(self) -> dt.datetime:
        return self.following.start

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class Part:
    """One line of a figure's breakdown (a channel, a grid), with the list behind it."""

    label: str
    value: int
    url: str = ""


@dataclass(frozen=True)
class Figure:
    value: float | int | None
    url: str = ""
    parts: tuple[Part, ...] = ()
    #: The count a rate is taken of (None for a count): "of 120 callbacks".
    base: int | None = None


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str | Promise
    label: str | Promise
    definition: str | Promise
    formula: str | Promise
    compute: Callable[[Access, Period], Figure]
    is_rate: bool = False
    #: Higher is worse (overdue cases): the page and the alerts read it that way.
    lower_is_better: bool = False
    breakdown: str | Promise = field(default="")


INDICATORS: dict[str, Indicator] = {}


def indicator(**spec: object) -> Callable[[Callable[[Access, Period], Figure]], Indicator]:
    """Declare an indicator computed by the decorated function."""

    def register(compute: Callable[[Access, Period], Figure]) -> Indicator:
        made = Indicator(compute=compute, **spec)  # type: ignore[arg-type]
        INDICATORS[made.key] = made
        return made

    return register


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
