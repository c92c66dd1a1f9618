"""Attracting enterprises (招商): prospects, the pipeline and vacant space.

Ambassadors see and work their own prospects; leaders and administrators see all of them.
Contact phones are always masked here (the audited unmask endpoint gives the full number)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from linli.core.http import access_of
from linli.core.pii import mask_mobile
from linli.enterprise.investment import rules, services
from linli.enterprise.investment.matching import matches_for
from linli.enterprise.investment.models import Prospect, VacantUnit
from linli.enterprise.investment.statistics import Figures, pipeline_statistics
from linli.registry.models import Building

router = Router(tags=["investment"])


class StageChangeOut(Schema):
    at: dt.datetime
    from_stage: str
    to_stage: str
    reason: str
    note: str
    actor: str | None


class ActionOut(Schema):
    id: int
    title: str
    due_on: dt.date
    done_at: dt.datetime | None
    overdue: bool


class ProspectOut(Schema):
    id: int
    name: str
    credit_code: str
    industry_code: str
    source: str
    stage: str
    lost_reason: str
    ambassador_id: int | None
    contact_name: str
    contact_phone_masked: str
    area_m2: Decimal | None
    floor_min: int | None
    floor_max: int | None
    budget_per_m2_day: Decimal | None
    expected_tax: Decimal
    enterprise_id: int | None
    created_at: dt.datetime
    stage_changed_at: dt.datetime


class ProspectDetailOut(ProspectOut):
    history: list[StageChangeOut]
    actions: list[ActionOut]


class ProspectIn(Schema):
    name: str
    industry_code: str
    source: str
    credit_code: str = ""
    ambassador: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    area_m2: Decimal | None = None
    floor_min: int | None = None
    floor_max: int | None = None
    budget_per_m2_day: Decimal | None = None
    expected_tax: Decimal = Decimal(0)
    registered_capital: Decimal | None = None
    headcount: int = 0
    legal_rep_name: str = ""
    notes: str = ""


class MoveIn(Schema):
    to_stage: str
    note: str = ""
    reason: str = ""


class RegisterIn(Schema):
    credit_code: str | None = None
    founded_on: dt.date
    building: int | None = None
    unit: int | None = None
    registered_capital: Decimal | None = None


class RegisteredOut(Schema):
    prospect_id: int
    enterprise_id: int
    credit_code: str


class UnitOut(Schema):
    id: int
    building_id: int
    building: str
    label: str
    floor: int
    area_m2: Decimal
    rent_per_m2_day: Decimal
    available_from: dt.date
    taken_at: dt.datetime | None


class MatchOut(Schema):
    unit: UnitOut
    score: float
    reasons: list[dict[str, Any]]


class PipelineFiguresOut(Schema):
    key: str
    label: str
    total: int
    open: int
    registered: int
    lost: int
    conversion_closed: float | None
    conversion_all: float | None
    median_days: float | None


class FunnelOut(Schema):
    stage: str
    label: str
    reached: int
    share: float | None


class PipelineStatisticsOut(Schema):
    overall: PipelineFiguresOut
    by_ambassador: list[PipelineFiguresOut]
    by_source: list[PipelineFiguresOut]
    funnel: list[FunnelOut]


def _prospect_out(p: Prospect) -> dict[str, Any]:
    return {
        **{name: getattr(p, name) for name in ProspectOut.model_fields if hasattr(p, name)},
        "contact_phone_masked": mask_mobile(p.contact_phone) if p.contact_phone_cipher else "",
    }


def _unit_out(u: VacantUnit) -> dict[str, Any]:
    return {
        **{name: getattr(u, name) for name in UnitOut.model_fields if name != "building"},
        "building": str(u.building),
    }


def _visible(request: HttpRequest) -> Any:
    access = access_of(request)
    access.require(rules.can_view_pipeline(access))
    return access, Prospect.objects.filter(rules.prospect_filter(access))


def _prospect(request: HttpRequest, pk: int) -> tuple[Any, Prospect]:
    access, prospects = _visible(request)
    prospect = prospects.filter(pk=pk).first()
    if prospect is None:
        raise Http404
    return access, prospect


@router.get(
    "/prospects",
    response=list[ProspectOut],
    operation_id="list_prospects",
    url_name="list_prospects",
)
def list_prospects(request: HttpRequest, stage: str = "", source: str = "") -> Any:
    """The prospects the caller may see, optionally of one stage or source."""
    _access, prospects = _visible(request)
    if stage:
        prospects = prospects.filter(stage=stage)
    if source:
        prospects = prospects.filter(source=source)
    return [_prospect_out(p) for p in prospects]


@router.post(
    "/prospects",
    response={201: ProspectDetailOut},
    operation_id="create_prospect",
    url_name="create_prospect",
)
def create_prospect(request: HttpRequest, payload: ProspectIn) -> Any:
    """Record a lead. An ambassador's prospects are their own; administrators may assign."""
    access = access_of(request)
    data = {k: "" if v is None else v for k, v in payload.model_dump().items()}
    prospect = services.save_prospect(access, data)
    return Status(201, _detail(prospect))


def _detail(prospect: Prospect) -> dict[str, Any]:
    return {
        **_prospect_out(prospect),
        "history": [
            {
                "at": c.at,
                "from_stage": c.from_stage,
                "to_stage": c.to_stage,
                "reason": c.reason,
                "note": c.note,
                "actor": str(c.actor) if c.actor else None,
            }
            for c in prospect.history.select_related("actor")
        ],
        "actions": [
            {
                "id": a.id,
                "title": a.title,
                "due_on": a.due_on,
                "done_at": a.done_at,
                "overdue": a.is_overdue,
            }
            for a in prospect.actions.all()
        ],
    }


@router.get(
    "/prospects/{pk}",
    response=ProspectDetailOut,
    operation_id="get_prospect",
    url_name="get_prospect",
)
def get_prospect(request: HttpRequest, pk: int) -> Any:
    """One prospect with its stage history and next actions."""
    _access, prospect = _prospect(request, pk)
    return _detail(prospect)


@router.post(
    "/prospects/{pk}/stage",
    response=ProspectDetailOut,
    operation_id="move_prospect",
    url_name="move_prospect",
)
def move(request: HttpRequest, pk: int, payload: MoveIn) -> Any:
    """Move one stage on, back (note required) or to lost (reason required); refused moves
    answer 400 saying why."""
    access, prospect = _prospect(request, pk)
    moved = services.move_prospect(
        prospect, actor=access, to_stage=payload.to_stage, note=payload.note, reason=payload.reason
    )
    return _detail(moved)


@router.post(
    "/prospects/{pk}/register",
    response={201: RegisteredOut},
    operation_id="register_prospect",
    url_name="register_prospect",
)
def register(request: HttpRequest, pk: int, payload: RegisterIn) -> Any:
    """Create the registry enterprise from a signed prospect's data (field errors: 400)."""
    access, prospect = _prospect(request, pk)
    building = get_object_or_404(Building, pk=payload.building) if payload.building else None
    unit = get_object_or_404(VacantUnit, pk=payload.unit) if payload.unit else None
    enterprise = services.register_prospect(
        prospect,
        actor=access,
        credit_code=payload.credit_code,
        founded_on=payload.founded_on,
        building=building,
        unit=unit,
        registered_capital=payload.registered_capital,
    )
    return Status(
        201,
        {
            "prospect_id": prospect.pk,
            "enterprise_id": enterprise.pk,
            "credit_code": enterprise.credit_code,
        },
    )


@router.get(
    "/prospects/{pk}/matches",
    response=list[MatchOut],
    operation_id="list_prospect_matches",
    url_name="list_prospect_matches",
)
def matches(request: HttpRequest, pk: int) -> Any:
    """Free vacant units that fit the prospect's area, ranked by floor and budget, with reasons."""
    _access, prospect = _prospect(request, pk)
    return [
        {
            "unit": _unit_out(m.unit),
            "score": round(m.score, 3),
            "reasons": [{"met": r.met, "text": r.text} for r in m.reasons],
        }
        for m in matches_for(prospect)
    ]


@router.get(
    "/vacant-units",
    response=list[UnitOut],
    operation_id="list_vacant_units",
    url_name="list_vacant_units",
)
def list_units(request: HttpRequest, building: int | None = None, free: bool = True) -> Any:
    """Vacant units (free ones unless ``free=false``), optionally of one building."""
    access = access_of(request)
    access.require(rules.can_view_space(access))
    units = VacantUnit.objects.select_related("building")
    if free:
        units = units.filter(taken_at__isnull=True)
    if building is not None:
        units = units.filter(building_id=building)
    return [_unit_out(u) for u in units]


def _figures(f: Figures) -> dict[str, Any]:
    return dict(f.__dict__)


@router.get(
    "/statistics",
    response=PipelineStatisticsOut,
    operation_id="get_investment_statistics",
    url_name="get_investment_statistics",
)
def get_statistics(request: HttpRequest) -> Any:
    """Conversion and lead time per ambassador and per source, and the stage funnel, over the
    prospects the caller may see."""
    access = access_of(request)
    access.require(rules.can_view_statistics(access))
    stats = pipeline_statistics(Prospect.objects.filter(rules.prospect_filter(access)))
    return {
        "overall": _figures(stats.overall),
        "by_ambassador": [_figures(f) for f in stats.by_ambassador],
        "by_source": [_figures(f) for f in stats.by_source],
        "funnel": [dict(s.__dict__) for s in stats.funnel],
    }
