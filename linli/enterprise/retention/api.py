"""Retention API: an enterprise's relocation risk with its factors, its timeline, the watch
list, and logging a visit whose demands become enterprise-appeal cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.http import access_of
from linli.enterprise.retention import rules
from linli.enterprise.retention.assessment import Assessment, assess
from linli.enterprise.retention.services import Demand, log_visit
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
    enterprise_id: int
    enterprise: str
    score: int
    tax: Decimal | None
    factors: list[FactorOut]


class TimelineEntryOut(Schema):
    at: dt.datetime
    kind: str
    title: str
    detail: str
    url: str


class DemandIn(Schema):
    category: str  # the code of an enterprise-appeal category
    description: str
    title: str = ""
    extra: dict[str, Any] = {}  # the category's extra questions, by key


class VisitIn(Schema):
    visited_on: dt.date
    people_met: str
    topics: str
    notes: str = ""
    demands: list[DemandIn] = []


class ButlerVisitOut(Schema):
    id: int
    enterprise_id: int
    visited_on: dt.date
    cases: list[str]


def _enterprise(access: Access, pk: int) -> Enterprise:
    access.require(rules.can_use(access))
    return get_object_or_404(rules.visible_enterprises(access, Enterprise.objects.all()), pk=pk)


def _risk(a: Assessment) -> dict[str, Any]:
    return {
        "enterprise_id": a.enterprise.pk,
        "enterprise": a.enterprise.name,
        "score": a.score.total,
        "tax": a.tax,
        "factors": a.explained,
    }


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
    return _risk(assess(enterprise))


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
def watch(request: HttpRequest, limit: int = 100) -> Any:
    """Enterprises with any warning sign, largest risk × latest tax first."""
    access = access_of(request)
    access.require(rules.can_see_watchlist(access))
    return [_risk(a) for a in watchlist(access)[: max(1, min(limit, 1000))]]


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
    cases = [d.case.number for d in visit.demands.select_related("case")]  # type: ignore[attr-defined]
    return Status(
        201,
        {
            "id": visit.pk,
            "enterprise_id": enterprise.pk,
            "visited_on": visit.visited_on,
            "cases": cases,
        },
    )
