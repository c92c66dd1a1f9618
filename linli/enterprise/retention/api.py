"""Retention API: the enterprise list (a butler: their portfolio) with risk and next visit due,
an enterprise's relocation risk with its factors, its timeline, the watch list, the visit log,
and logging a visit whose demands become enterprise-appeal cases.

Every output is built by its schema from the rows the pages show (resolvers below), and every
list reads the same filters and the same ``visible_to`` as its page and its Excel export.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from linli.cases.models import Case, Category
from linli.core import limits
from linli.core.access import Access
from linli.core.filters import PageParams
from linli.core.http import access_of
from linli.enterprise.retention import rules
from linli.enterprise.retention.assessment import Assessment, assess
from linli.enterprise.retention.filters import EnterpriseFilter, VisitFilter
from linli.enterprise.retention.models import Visit
from linli.enterprise.retention.portfolio import PortfolioRow, portfolio_rows
from linli.enterprise.retention.portfolio import enterprises as portfolio_enterprises
from linli.enterprise.retention.services import Demand, log_visit
from linli.enterprise.retention.visit_log import case_numbers, visit_log
from linli.enterprise.retention.watchlist import watchlist
from linli.registry.models import Enterprise
from linli.registry.timeline import enterprise_timeline

router = Router(tags=["retention"])


class FactorOut(Schema):
    key: str
    name: str
    evidence: str
    points: int


class RiskOut(Schema):
    """Built from an ``Assessment``."""

    enterprise_id: int
    enterprise: str
    credit_code: str
    score: int
    level: str  # "high", "medium" or "low", as the pages colour it
    tax: Decimal | None
    factors: list[FactorOut]

    @staticmethod
    def resolve_enterprise_id(a: Assessment) -> int:
        return a.enterprise.pk

    @staticmethod
    def resolve_enterprise(a: Assessment) -> str:
        return a.enterprise.name

    @staticmethod
    def resolve_credit_code(a: Assessment) -> str:
        return a.enterprise.credit_code

    @staticmethod
    def resolve_score(a: Assessment) -> int:
        return a.score.total

    @staticmethod
    def resolve_factors(a: Assessment) -> list[dict[str, Any]]:
        return a.explained


class TimelineEntryOut(Schema):
    at: dt.datetime
    kind: str
    title: str
    detail: str
    url: str


class PortfolioRowOut(Schema):
    """Built from a ``PortfolioRow``: ``risk`` only where the person reads it, the next visit
    due only for those who follow visits."""

    id: int
    credit_code: str
    name: str
    status: str
    building: str | None
    butler: str | None
    risk: int | None
    risk_level: str | None
    visit_due_on: dt.date | None
    visit_overdue: bool | None

    @staticmethod
    def resolve_id(row: PortfolioRow) -> int:
        return row.enterprise.pk

    @staticmethod
    def resolve_credit_code(row: PortfolioRow) -> str:
        return row.enterprise.credit_code

    @staticmethod
    def resolve_name(row: PortfolioRow) -> str:
        return row.enterprise.name

    @staticmethod
    def resolve_status(row: PortfolioRow) -> str:
        return row.enterprise.status

    @staticmethod
    def resolve_building(row: PortfolioRow) -> str | None:
        return str(row.enterprise.building) if row.enterprise.building else None

    @staticmethod
    def resolve_butler(row: PortfolioRow) -> str | None:
        return str(row.enterprise.butler) if row.enterprise.butler else None


class PortfolioPage(Schema):
    count: int
    page: int
    items: list[PortfolioRowOut]


class VisitLogOut(Schema):
    """Built from a ``Visit`` of the visit log."""

    id: int
    enterprise_id: int
    enterprise: str
    credit_code: str
    butler: str | None
    visited_on: dt.date
    people_met: str
    topics: str
    cases: list[str]

    @staticmethod
    def resolve_enterprise(visit: Visit) -> str:
        return visit.enterprise.name

    @staticmethod
    def resolve_credit_code(visit: Visit) -> str:
        return visit.enterprise.credit_code

    @staticmethod
    def resolve_butler(visit: Visit) -> str | None:
        return str(visit.butler) if visit.butler else None

    @staticmethod
    def resolve_cases(visit: Visit) -> list[str]:
        return case_numbers(visit)


class VisitLogPage(Schema):
    count: int
    page: int
    items: list[VisitLogOut]


class DemandIn(Schema):
    category: str  # the code of an enterprise-appeal category
    description: str
    title: limits.Text(Case, "title") = ""  # type: ignore[valid-type]
    extra: dict[str, Any] = {}  # the category's extra questions, by key


class VisitIn(Schema):
    visited_on: dt.date
    people_met: limits.Text(Visit, "people_met")  # type: ignore[valid-type]
    topics: limits.Text(Visit, "topics")  # type: ignore[valid-type]
    notes: str = ""
    demands: list[DemandIn] = []


class ButlerVisitOut(Schema):
    """Built from the ``Visit`` logged."""

    id: int
    enterprise_id: int
    visited_on: dt.date
    cases: list[str]

    @staticmethod
    def resolve_cases(visit: Visit) -> list[str]:
        return [d.case.number for d in visit.demands.select_related("case")]  # type: ignore[attr-defined]


def _enterprise(access: Access, pk: int) -> Enterprise:
    access.require(rules.can_use(access))
    return get_object_or_404(Enterprise.objects.visible_to(access), pk=pk)


def _page(rows: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    start = (params.page - 1) * params.page_size
    return {
        "count": rows.count(),
        "page": params.page,
        "items": list(rows[start : start + params.page_size]),
    }


@router.get(
    "/enterprises",
    response=PortfolioPage,
    operation_id="retention_list_enterprises",
    url_name="retention_list_enterprises",
)
def list_enterprises(
    request: HttpRequest, filters: Query[EnterpriseFilter], params: Query[PageParams]
) -> Any:
    """The enterprises the person sees (a butler: their portfolio; a building manager: their
    building's), with the risk and the next visit due where the person follows them."""
    access = access_of(request)
    access.require(rules.can_list_enterprises(access))
    found = _page(portfolio_enterprises(access, filters), params)
    return {**found, "items": portfolio_rows(access, found["items"])}


@router.get(
    "/enterprises/{pk}/risk",
    response=RiskOut,
    operation_id="retention_risk",
    url_name="retention_risk",
)
def enterprise_risk(request: HttpRequest, pk: int) -> Any:
    """The relocation-risk score computed now, with each contributing factor."""
    access = access_of(request)
    enterprise = _enterprise(access, pk)
    access.require(rules.may_see_risk(access, enterprise))
    return assess(enterprise)


@router.get(
    "/enterprises/{pk}/timeline",
    response=list[TimelineEntryOut],
    operation_id="retention_timeline",
    url_name="retention_timeline",
)
def timeline(request: HttpRequest, pk: int) -> Any:
    """Visits, cases and appeals, bookings, events, policy results and grants, newest first."""
    access = access_of(request)
    enterprise = _enterprise(access, pk)
    access.require(rules.sees_full_profile(access, enterprise))
    return enterprise_timeline(enterprise, access)


@router.get(
    "/watchlist",
    response=list[RiskOut],
    operation_id="retention_watchlist",
    url_name="retention_watchlist",
)
def watch(request: HttpRequest, filters: Query[EnterpriseFilter], limit: int = 100) -> Any:
    """Enterprises with any warning sign, largest risk × latest tax first (the first ``limit``
    of them, at most 1,000)."""
    access = access_of(request)
    access.require(rules.can_see_watchlist(access))
    return watchlist(access, filters)[: max(1, min(limit, 1000))]


@router.get(
    "/visits",
    response=VisitLogPage,
    operation_id="retention_list_visits",
    url_name="retention_list_visits",
)
def list_visits(
    request: HttpRequest, filters: Query[VisitFilter], params: Query[PageParams]
) -> Any:
    """Butlers' visits, newest first (a butler: their portfolio's), with the cases their
    demands became."""
    access = access_of(request)
    access.require(rules.can_list_visits(access))
    return _page(visit_log(access, filters), params)


@router.post(
    "/enterprises/{pk}/visits",
    response={201: ButlerVisitOut},
    operation_id="retention_log_visit",
    url_name="retention_log_visit",
)
def create_visit(request: HttpRequest, pk: int, payload: VisitIn) -> Any:
    """Log a butler's visit; each demand becomes an enterprise-appeal case in the same step."""
    access = access_of(request)
    enterprise = _enterprise(access, pk)
    access.require(rules.may_log_visit(access, enterprise))
    categories = {
        c.code: c for c in Category.objects.filter(code__in=[d.category for d in payload.demands])
    }
    unknown = {
        f"demands.{n}.category": [_("Choose an enterprise-appeal category.")]
        for n, d in enumerate(payload.demands)
        if d.category not in categories
    }
    if unknown:
        raise ValidationError(unknown)
    visit = log_visit(
        enterprise,
        actor=access,
        visited_on=payload.visited_on,
        people_met=payload.people_met,
        topics=payload.topics,
        notes=payload.notes,
        demands=[
            Demand(categories[d.category], d.description, d.title, d.extra) for d in payload.demands
        ],
    )
    return Status(201, visit)
