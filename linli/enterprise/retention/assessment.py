"""The Django side of the relocation-risk score: gather each enterprise's inputs in a few bulk
queries, score them with ``risk.score`` and say every factor in words.

Used for one enterprise on demand (the profile, the API) and for all of them at once (the watch
list, the nightly snapshot); the number of queries does not grow with the enterprises.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from linli.cases.models import FINAL_STATES, Case, CaseEvent, Category, Satisfaction
from linli.core import clock, display
from linli.enterprise.retention import risk
from linli.enterprise.retention.models import Visit
from linli.registry.models import Enterprise, EnterpriseYear


def risk_settings() -> risk.RiskSettings:
    return risk.RiskSettings.from_mapping(getattr(settings, "LINLI_RETENTION_RISK", None))


@dataclass(frozen=True)
class Assessment:
    enterprise: Enterprise
    score: risk.RiskScore
    tax: Decimal | None  # latest year's, 10k yuan

    @property
    def level(self) -> str:
        return self.score.level

    @property
    def priority(self) -> float:
        return risk.priority(self.score.total, self.tax)

    @property
    def explained(self) -> list[dict[str, Any]]:
        return [explain(f) for f in self.score.factors]


# The enterprises whose inputs are read: a list of ids, or a subquery selecting them.
Ids = list[int] | QuerySet[Enterprise, Any]


def _years(ids: Ids) -> dict[int, list[risk.YearFigures]]:
    found: dict[int, list[risk.YearFigures]] = defaultdict(list)
    rows = EnterpriseYear.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "year", "tax", "headcount"
    )
    for enterprise_id, year, tax, headcount in rows:
        found[enterprise_id].append(risk.YearFigures(year, tax, headcount))
    return found


def _appeals(ids: Ids, now: dt.datetime) -> dict[int, dict[str, int]]:
    overdue = Q(stage_deadline__lt=now) | Q(resolve_deadline__lt=now)
    rows = (
        Case.objects.filter(enterprise_id__in=ids, category__kind=Category.Kind.ENTERPRISE_APPEAL)
        .exclude(state__in=FINAL_STATES)
        .values("enterprise_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue))
    )
    return {r["enterprise_id"]: {"open": r["open"], "overdue": r["overdue"]} for r in rows}


def _dissatisfied(ids: Ids, since: dt.datetime) -> dict[int, int]:
    rows = (
        CaseEvent.objects.filter(
            case__enterprise_id__in=ids,
            action="record_callback",
            outcome=Satisfaction.DISSATISFIED,
            at__gte=since,
        )
        .values("case__enterprise_id")
        .annotate(n=Count("id"))
    )
    return {r["case__enterprise_id"]: r["n"] for r in rows}


def _visits(ids: Ids, since: dt.date) -> tuple[dict[int, dt.date], dict[int, list]]:
    last = dict(
        Visit.objects.filter(enterprise_id__in=ids)
        .values("enterprise_id")
        .annotate(last=Max("visited_on"))
        .values_list("enterprise_id", "last")
    )
    notes: dict[int, list[risk.VisitNote]] = defaultdict(list)
    rows = Visit.objects.filter(enterprise_id__in=ids, visited_on__gte=since).values_list(
        "enterprise_id", "visited_on", "topics", "notes"
    )
    for enterprise_id, on, topics, text in rows:
        notes[enterprise_id].append(risk.VisitNote(on, f"{topics}\n{text}"))
    return last, notes


@dataclass(frozen=True)
class Scored:
    """An enterprise's score before the enterprise itself is loaded (see ``score_all``)."""

    pk: int
    score: risk.RiskScore
    tax: Decimal | None  # latest year's, 10k yuan

    @property
    def priority(self) -> float:
        return risk.priority(self.score.total, self.tax)


def _score(ids: Ids, leases: Iterable[tuple[int, dt.date | None]], today: dt.date) -> list[Scored]:
    """Score ``leases`` (id and lease end of each enterprise, in order); ``ids`` selects the
    same enterprises for the bulk queries of the other inputs."""
    s = risk_settings()
    now = clock.now()
    since = today - dt.timedelta(days=s.lookback_days)
    years = _years(ids)
    appeals = _appeals(ids, now)
    dissatisfied = _dissatisfied(
        ids, dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_current_timezone())
    )
    last_visits, notes = _visits(ids, since)
    found = []
    for pk, lease_end in leases:
        figures = years.get(pk, [])
        inp = risk.RiskInput(
            today=today,
            lease_end=lease_end,
            years=figures,
            open_appeals=appeals.get(pk, {}).get("open", 0),
            overdue_appeals=appeals.get(pk, {}).get("overdue", 0),
            dissatisfied_callbacks=dissatisfied.get(pk, 0),
            last_visit=last_visits.get(pk),
            visit_notes=notes.get(pk, []),
        )
        latest = max(figures, key=lambda y: y.year, default=None)
        found.append(Scored(pk, risk.score(inp, s), latest.tax if latest else None))
    return found


def score_all(enterprises: QuerySet[Enterprise], *, today: dt.date | None = None) -> list[Scored]:
    """Score every enterprise of a (permission-filtered) queryset without loading them: the
    inputs are read through subqueries of ``enterprises``, so a whole sub-district costs a
    few queries and no model instances (the watch list loads only the rows it shows)."""
    leases = list(enterprises.order_by("pk").values_list("pk", "lease_end"))
    if not leases:
        return []
    return _score(enterprises.order_by().values("pk"), leases, today or clock.today())


def assess_many(
    enterprises: Iterable[Enterprise], *, today: dt.date | None = None
) -> list[Assessment]:
    """Score the enterprises (already permission-filtered by the caller), in input order."""
    enterprises = list(enterprises)
    if not enterprises:
        return []
    # Large IN lists are chunked by the database drivers; SQLite allows 250,000 variables.
    ids = [e.pk for e in enterprises]
    scored = _score(ids, [(e.pk, e.lease_end) for e in enterprises], today or clock.today())
    return [Assessment(e, s.score, s.tax) for e, s in zip(enterprises, scored, strict=True)]


def assess(enterprise: Enterprise, *, today: dt.date | None = None) -> Assessment:
    return assess_many([enterprise], today=today)[0]


def level_label(level: str) -> str:
    """A risk level (``risk.level``) in words."""
    return {
        "high": pgettext("risk", "High"),
        "medium": pgettext("risk", "Medium"),
        "low": pgettext("risk", "Low"),
    }[level]


def _factor_names() -> dict[str, str]:
    return {
        "lease_ending": _("Lease ending soon"),
        "headcount_falling": _("Headcount falling"),
        "tax_falling": _("Tax falling"),
        "open_appeals": _("Open appeals"),
        "overdue_appeals": _("Appeals past their deadline"),
        "dissatisfied_callbacks": _("Dissatisfied callbacks"),
        "no_recent_visit": _("No recent visit"),
        "moving_words": _("Visit notes mention moving"),
    }


def _evidence(key: str, ev: Mapping[str, Any]) -> str:
    if key == "lease_ending":
        end = dt.date.fromisoformat(ev["lease_end"])
        facts = {"date": display.day(end), "when": display.days_from_today(ev["days"])}
        if ev["days"] < 0:
            return _("The lease ended on %(date)s (%(when)s).") % facts
        return _("The lease ends on %(date)s (%(when)s).") % facts
    if key == "headcount_falling":
        return (
            _("%(before)s people in %(from_year)s, %(after)s in %(to_year)s (−%(percent)s%%).") % ev
        )
    if key == "tax_falling":
        return (
            _(
                "Tax %(before)s in %(from_year)s, %(after)s in %(to_year)s "
                "(10k yuan, −%(percent)s%%)."
            )
            % ev
        )
    if key == "open_appeals":
        return (
            ngettext(
                "%(count)s appeal not closed yet.", "%(count)s appeals not closed yet.", ev["count"]
            )
            % ev
        )
    if key == "overdue_appeals":
        return (
            ngettext(
                "%(count)s appeal past its deadline.",
                "%(count)s appeals past their deadline.",
                ev["count"],
            )
            % ev
        )
    if key == "dissatisfied_callbacks":
        return (
            ngettext(
                "%(count)s dissatisfied callback in the last year.",
                "%(count)s dissatisfied callbacks in the last year.",
                ev["count"],
            )
            % ev
        )
    if key == "no_recent_visit":
        if ev.get("last_visit") is None:
            return _("Never visited by a butler.")
        return _("Last visit on %(date)s, %(days)s days ago.") % {
            "date": ev["last_visit"],
            "days": ev["days"],
        }
    if key == "moving_words":
        return _("Visit of %(date)s: “%(excerpt)s” (%(words)s).") % {
            "date": ev["on"],
            "excerpt": ev["excerpt"],
            "words": "、".join(ev["words"]),
        }
    return ""


def explain(factor: risk.Factor | Mapping[str, Any]) -> dict[str, Any]:
    """Name, evidence and points of one factor (a ``Factor`` or a snapshot's stored dict)."""
    if isinstance(factor, risk.Factor):
        key, points, evidence = factor.key, factor.points, factor.evidence
    else:
        key, points, evidence = factor["key"], factor["points"], factor.get("evidence", {})
    return {
        "key": key,
        "name": _factor_names().get(key, key),
        "evidence": _evidence(key, evidence),
        "points": points,
    }


def stored(score: risk.RiskScore) -> list[dict[str, Any]]:
    """Factors as JSON for a snapshot."""
    return [{"key": f.key, "points": f.points, "evidence": dict(f.evidence)} for f in score.factors]
