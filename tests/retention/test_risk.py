"""The relocation-risk score on its own (no database): three crafted enterprises, a stable one,
one with a single warning sign and one that is leaving, in that order, each with its reasons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.enterprise.retention.risk import (
    RiskInput,
    RiskSettings,
    VisitNote,
    YearFigures,
    add_months,
    priority,
    score,
)

TODAY = dt.date(2026, 11, 28)

STABLE = RiskInput(
    today=TODAY,
    lease_end=dt.date(2029, 6, 30),
    years=[YearFigures(2024, Decimal("800"), 120), YearFigures(2025, Decimal("860"), 126)],
    last_visit=dt.date(2026, 10, 20),
    visit_notes=[VisitNote(dt.date(2026, 10, 20), "扩招研发人员，想了解人才公寓政策")],
)
ONE_SIGN = RiskInput(
    today=TODAY,
    lease_end=dt.date(2027, 3, 31),  # four months away
    years=[YearFigures(2024, Decimal("300"), 60), YearFigures(2025, Decimal("310"), 61)],
    last_visit=dt.date(2026, 9, 1),
    visit_notes=[VisitNote(dt.date(2026, 9, 1), "谈续租条件，对物业服务满意")],
)
LEAVING = RiskInput(
    today=TODAY,
    lease_end=dt.date(2027, 1, 31),
    years=[YearFigures(2024, Decimal("1200"), 300), YearFigures(2025, Decimal("900"), 240)],
    open_appeals=2,
    overdue_appeals=1,
    dissatisfied_callbacks=2,
    last_visit=dt.date(2026, 3, 2),
    visit_notes=[
        VisitNote(dt.date(2025, 6, 1), "一切正常"),
        VisitNote(
            dt.date(2026, 3, 2), "总经理透露明年租约到期不续，正在另寻办公地点，考虑外迁至临港"
        ),
    ],
)


def test_three_enterprises_in_order_with_their_reasons():
    stable, one_sign, leaving = score(STABLE), score(ONE_SIGN), score(LEAVING)

    assert leaving.total > one_sign.total > stable.total
    ranked = sorted(
        [("stable", stable), ("one sign", one_sign), ("leaving", leaving)],
        key=lambda pair: pair[1].total,
        reverse=True,
    )
    assert [name for name, _ in ranked] == ["leaving", "one sign", "stable"]

    assert stable.total == 0 and stable.factors == ()

    assert one_sign.keys == ["lease_ending"]
    (lease,) = one_sign.factors
    assert lease.points == 25
    assert lease.evidence == {"lease_end": "2027-03-31", "days": 123}

    factors = {f.key: f for f in leaving.factors}
    assert set(factors) == {
        "lease_ending",
        "headcount_falling",
        "tax_falling",
        "open_appeals",
        "overdue_appeals",
        "dissatisfied_callbacks",
        "no_recent_visit",
        "moving_words",
    }
    assert factors["tax_falling"].evidence["percent"] == 25
    assert factors["headcount_falling"].evidence == {
        "from_year": 2024,
        "to_year": 2025,
        "before": 300,
        "after": 240,
        "percent": 20,
    }
    assert factors["open_appeals"].points == 10  # 2 × 5
    assert factors["overdue_appeals"].points == 10
    assert factors["dissatisfied_callbacks"].points == 20
    assert factors["no_recent_visit"].evidence["days"] == 271
    words = factors["moving_words"].evidence
    assert words["on"] == "2026-03-02"
    assert words["words"] == ["外迁", "到期不续", "另寻办公"]
    assert "到期不续" in words["excerpt"]
    assert leaving.total == 100  # capped; the factors add up to more
    assert sum(f.points for f in leaving.factors) > 100
    # Largest reasons first, so the page reads top down.
    points = [f.points for f in leaving.factors]
    assert points == sorted(points, reverse=True)


def test_settings_change_weights_and_thresholds():
    lenient = RiskSettings.from_mapping({"lease_months": 3, "keyword_points": 5})
    assert score(ONE_SIGN, lenient).total == 0  # the lease ends in four months
    assert "moving_words" in score(LEAVING, lenient).keys
    with pytest.raises(ValueError, match="unknown retention risk settings: lease"):
        RiskSettings.from_mapping({"lease": 3})


def test_old_notes_and_gaps_in_the_figures_are_not_signs():
    old = RiskInput(
        today=TODAY,
        years=[YearFigures(2022, Decimal("900"), 200), YearFigures(2025, Decimal("100"), 20)],
        last_visit=dt.date(2026, 11, 1),
        visit_notes=[VisitNote(dt.date(2025, 1, 10), "考虑搬迁")],  # more than a year ago
    )
    assert score(old).keys == []


def test_never_visited_counts():
    result = score(RiskInput(today=TODAY))
    assert result.keys == ["no_recent_visit"]
    assert result.factors[0].evidence == {"last_visit": None}


def test_priority_weighs_risk_by_tax_and_months_are_calendar_months():
    assert priority(50, Decimal("2000")) > priority(80, Decimal("100"))
    assert priority(40, None) == 0
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 11, 28), 3) == dt.date(2027, 2, 28)
