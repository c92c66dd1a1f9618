"""The enterprise list of the retention pages (a butler: their portfolio), with each row's
relocation risk and next visit due, as the page, the API and the Excel export show it.

The rows are the enterprises the person may see (``Enterprise.objects.visible_to``), narrowed
by ``EnterpriseFilter``; the risk shows only where the person reads it (``rules.risk_audience``),
the next visit due only to those who follow visits (``rules.can_see_overdue``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.retention import rules
from linli.enterprise.retention.assessment import assess_many, level_label
from linli.enterprise.retention.filters import EnterpriseFilter
from linli.enterprise.retention.queries import VisitDue, visits_due
from linli.enterprise.retention.risk import level
from linli.registry.models import Enterprise


def enterprises(access: Access, filters: EnterpriseFilter) -> QuerySet[Enterprise]:
    return filters.apply(
        Enterprise.objects.visible_to(access).select_related("building", "butler")
    ).order_by("name", "pk")


@dataclass(frozen=True)
class PortfolioRow:
    enterprise: Enterprise
    risk: int | None  # None: not the person's to read
    visit: VisitDue | None  # None: no plan covers it, or not the person's to follow
    today: dt.date

    @property
    def risk_level(self) -> str | None:
        return None if self.risk is None else level(self.risk)

    @property
    def visit_due_on(self) -> dt.date | None:
        return self.visit.due_on if self.visit else None

    @property
    def visit_overdue(self) -> bool | None:
        return self.visit.overdue(self.today) if self.visit else None


def _risk_ids(access: Access, ids: list[int]) -> set[int]:
    condition = rules.risk_audience(access)
    if isinstance(condition, bool):
        return set(ids) if condition else set()
    return set(rules.among(condition).filter(pk__in=ids).values_list("pk", flat=True))


def portfolio_rows(access: Access, page: Iterable[Enterprise]) -> list[PortfolioRow]:
    """The rows of one page (or of the whole list, for the export)."""
    page = list(page)
    today = clock.today()
    risky = _risk_ids(access, [e.pk for e in page])
    scores = {a.enterprise.pk: a.score.total for a in assess_many(e for e in page if e.pk in risky)}
    due = visits_due(page) if rules.can_see_overdue(access) else {}
    return [PortfolioRow(e, scores.get(e.pk), due.get(e.pk), today) for e in page]


def portfolio_xlsx(rows: Sequence[PortfolioRow]) -> bytes:
    show_risk = any(r.risk is not None for r in rows)
    show_visits = any(r.visit is not None for r in rows)
    header = [_("Enterprise"), _("Unified Social Credit Code"), _("Building"), _("Butler")]
    header += [_("Status")]
    if show_risk:
        header += [_("Risk score"), _("Risk")]
    if show_visits:
        header += [_("Next visit due"), _("Overdue")]
    header.append("id")
    table: list[list[Any]] = [header]
    for row in rows:
        e = row.enterprise
        line: list[Any] = [
            e.name,
            e.credit_code,
            str(e.building or ""),
            str(e.butler or ""),
            e.get_status_display(),  # type: ignore[attr-defined]
        ]
        if show_risk:
            line += [row.risk, level_label(row.risk_level) if row.risk_level else ""]
        if show_visits:
            overdue = row.visit_overdue
            line += [row.visit_due_on, "" if overdue is None else _("yes") if overdue else _("no")]
        line.append(e.pk)
        table.append(line)
    return rows_to_xlsx(_("Enterprises"), table)
