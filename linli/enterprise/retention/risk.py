"""Relocation-risk score of one enterprise: plain Python, no Django, so it can be read and tested
on its own.

A score is the sum of the points of the warning signs found, capped at 100. Each sign is a
``Factor`` that says which rule fired (``key``), the figures behind it (``evidence``) and its
points, so a leader can see *why* an enterprise is on the watch list. The Django layer
(``assessment.py``) gathers the inputs and turns keys and evidence into sentences.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

# What people write in a visit log when a company is thinking of leaving.
MOVING_KEYWORDS: tuple[str, ...] = (
    "搬迁",
    "迁出",
    "外迁",
    "迁址",
    "注销",
    "到期不续",
    "不再续租",
    "另寻办公",
    "另觅",
    "缩减",
    "退租",
    "relocat",
    "move out",
    "moving out",
)


@dataclass(frozen=True)
class RiskSettings:
    """Weights (points) and thresholds. Defaults are documented in docs/enterprise-retention.md;
    a deployment overrides any of them with the ``LINLI_RETENTION_RISK`` setting (a dict)."""

    lease_months: int = 6  # a lease ending within this many months is a sign
    lease_points: int = 25
    headcount_drop_percent: float = 10.0  # year on year
    headcount_points: int = 15
    tax_drop_percent: float = 15.0  # year on year
    tax_points: int = 20
    open_appeal_points: int = 5  # per open appeal …
    open_appeal_cap: int = 10  # … at most
    overdue_appeal_points: int = 10  # per appeal past its deadline …
    overdue_appeal_cap: int = 20
    dissatisfied_points: int = 10  # per dissatisfied callback in the look-back window …
    dissatisfied_cap: int = 20
    no_visit_days: int = 180  # no butler visit for this long (or never)
    no_visit_points: int = 10
    keyword_points: int = 30  # "moving" words in a visit note of the look-back window
    lookback_days: int = 365
    keywords: tuple[str, ...] = MOVING_KEYWORDS

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, Any] | None) -> RiskSettings:
        known = {f.name for f in fields(cls)}
        unknown = set(overrides or {}) - known
        if unknown:
            raise ValueError(f"unknown retention risk settings: {', '.join(sorted(unknown))}")
        values = dict(overrides or {})
        if "keywords" in values:
            values["keywords"] = tuple(values["keywords"])
        return replace(cls(), **values)


@dataclass(frozen=True)
class YearFigures:
    year: int
    tax: Decimal
    headcount: int


@dataclass(frozen=True)
class VisitNote:
    on: dt.date
    text: str


@dataclass(frozen=True)
class RiskInput:
    """Everything the score looks at, for one enterprise on one day."""

    today: dt.date
    lease_end: dt.date | None = None
    years: Sequence[YearFigures] = ()
    open_appeals: int = 0
    overdue_appeals: int = 0
    dissatisfied_callbacks: int = 0  # within the look-back window
    last_visit: dt.date | None = None
    visit_notes: Sequence[VisitNote] = ()


@dataclass(frozen=True)
class Factor:
    key: str  # lease_ending, headcount_falling, tax_falling, open_appeals, overdue_appeals,
    # dissatisfied_callbacks, no_recent_visit, moving_words
    points: int
    evidence: Mapping[str, Any] = field(default_factory=dict)


# A score from this many points up is shown as a high (medium) risk.
HIGH_FROM = 50
MEDIUM_FROM = 25


def level(total: int) -> str:
    """How a score is shown: ``high``, ``medium`` or ``low`` (pages, API and exports alike)."""
    if total >= HIGH_FROM:
        return "high"
    return "medium" if total >= MEDIUM_FROM else "low"


@dataclass(frozen=True)
class RiskScore:
    total: int
    factors: tuple[Factor, ...]

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.factors]

    @property
    def level(self) -> str:
        return level(self.total)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _drop_percent(before: float, after: float) -> float:
    return (before - after) / before * 100 if before > 0 else 0.0


def _lease(inp: RiskInput, s: RiskSettings) -> Factor | None:
    if inp.lease_end is None or inp.lease_end > add_months(inp.today, s.lease_months):
        return None
    return Factor(
        "lease_ending",
        s.lease_points,
        {"lease_end": inp.lease_end.isoformat(), "days": (inp.lease_end - inp.today).days},
    )


def _trends(inp: RiskInput, s: RiskSettings) -> list[Factor]:
    latest_two = sorted(inp.years, key=lambda y: y.year)[-2:]
    if len(latest_two) < 2 or latest_two[1].year != latest_two[0].year + 1:
        return []
    before, after = latest_two
    found = []
    people = _drop_percent(before.headcount, after.headcount)
    if people >= s.headcount_drop_percent:
        found.append(
            Factor(
                "headcount_falling",
                s.headcount_points,
                {
                    "from_year": before.year,
                    "to_year": after.year,
                    "before": before.headcount,
                    "after": after.headcount,
                    "percent": round(people),
                },
            )
        )
    tax = _drop_percent(float(before.tax), float(after.tax))
    if tax >= s.tax_drop_percent:
        found.append(
            Factor(
                "tax_falling",
                s.tax_points,
                {
                    "from_year": before.year,
                    "to_year": after.year,
                    "before": str(before.tax),
                    "after": str(after.tax),
                    "percent": round(tax),
                },
            )
        )
    return found


def _counted(key: str, count: int, each: int, cap: int) -> Factor | None:
    if count <= 0:
        return None
    return Factor(key, min(count * each, cap), {"count": count})


def _visits(inp: RiskInput, s: RiskSettings) -> list[Factor]:
    found = []
    if inp.last_visit is None:
        found.append(Factor("no_recent_visit", s.no_visit_points, {"last_visit": None}))
    elif (inp.today - inp.last_visit).days >= s.no_visit_days:
        found.append(
            Factor(
                "no_recent_visit",
                s.no_visit_points,
                {
                    "last_visit": inp.last_visit.isoformat(),
                    "days": (inp.today - inp.last_visit).days,
                },
            )
        )
    since = inp.today - dt.timedelta(days=s.lookback_days)
    for note in sorted(inp.visit_notes, key=lambda n: n.on, reverse=True):
        if note.on < since:
            continue
        lowered = note.text.lower()
        words = [w for w in s.keywords if w.lower() in lowered]
        if words:
            found.append(
                Factor(
                    "moving_words",
                    s.keyword_points,
                    {
                        "on": note.on.isoformat(),
                        "words": words,
                        "excerpt": _excerpt(note.text, words[0]),
                    },
                )
            )
            break  # the latest note that says so is evidence enough
    return found


def _excerpt(text: str, word: str, around: int = 20) -> str:
    at = text.lower().find(word.lower())
    start, end = max(at - around, 0), min(at + len(word) + around, len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def score(inp: RiskInput, settings: RiskSettings | None = None) -> RiskScore:
    s = settings or RiskSettings()
    candidates: list[Factor | None] = [
        _lease(inp, s),
        *_trends(inp, s),
        _counted("open_appeals", inp.open_appeals, s.open_appeal_points, s.open_appeal_cap),
        _counted(
            "overdue_appeals", inp.overdue_appeals, s.overdue_appeal_points, s.overdue_appeal_cap
        ),
        _counted(
            "dissatisfied_callbacks",
            inp.dissatisfied_callbacks,
            s.dissatisfied_points,
            s.dissatisfied_cap,
        ),
        *_visits(inp, s),
    ]
    factors = tuple(
        sorted((f for f in candidates if f is not None), key=lambda f: f.points, reverse=True)
    )
    return RiskScore(min(sum(f.points for f in factors), 100), factors)


def priority(risk: int, tax: Decimal | float | None) -> float:
    """Watch-list order: risk × tax contribution (10k yuan), so a large taxpayer at risk comes
    before a small one with the same score."""
    return risk * float(tax or 0)
