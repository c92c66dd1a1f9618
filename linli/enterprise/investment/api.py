"""Attracting enterprises (招商): prospects, the pipeline and vacant space.

Ambassadors see and work their own prospects; leaders and administrators see all of them.
Contact phones are always masked here (the audited unmask endpoint gives the full number)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from linli.core import limits
from linli.core.access import Access
from linli.core.http import access_of
from linli.core.pii import mask_mobile
from linli.enterprise.investment import rules, services
from linli.enterprise.investment.filters import ProspectFilter, UnitFilter
from linli.enterprise.investment.matching import Match, matches_for
from linli.enterprise.investment.models import NextAction, Prospect, StageChange, VacantUnit
from linli.enterprise.investment.statistics import pipeline_statistics
from linli.registry.models import Building, Enterprise

router = Router(tags=["investment"])


class StageChangeOut(Schema):
    at: dt.datetime
    from_stage: str
    to_stage: str
    reason: str
    note: str
    actor: str | None

    @staticmethod
    def resolve_actor(obj: StageChange) -> str | None:
        return str(obj.actor) if obj.actor else None


class ActionOut(Schema):
    id: int
    title: str
    due_on: dt.date
    done_at: dt.datetime | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: NextAction) -> bool:
        # Annotated by ``with_overdue`` (the one definition); an action in hand asks itself.
        return bool(getattr(obj, "overdue", obj.is_overdue))


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

    @staticmethod
    def resolve_contact_phone_masked(obj: Prospect) -> str:
        return mask_mobile(obj.contact_phone) if obj.contact_phone_cipher else ""


class ProspectDetailOut(ProspectOut):
    history: list[StageChangeOut]
    actions: list[ActionOut]

    @staticmethod
    def resolve_history(obj: Prospect) -> Any:
        return obj.history.select_related("actor")

    @staticmethod
    def resolve_actions(obj: Prospect) -> Any:
        return NextAction.objects.filter(prospect=obj).with_overdue()


class ProspectIn(Schema):
    name: limits.Text(Prospect, "name")  # type: ignore[valid-type]
    industry_code: limits.Text(Prospect, "industry_code")  # type: ignore[valid-type]
    source: limits.Text(Prospect, "source")  # type: ignore[valid-type]
    credit_code: limits.Text(Prospect, "credit_code") = ""  # type: ignore[valid-type]
    ambassador: int | None = None
    contact_name: limits.Text(Prospect, "contact_name") = ""  # type: ignore[valid-type]
    contact_phone: str = ""
    area_m2: Decimal | None = None
    floor_min: int | None = None
    floor_max: int | None = None
    budget_per_m2_day: Decimal | None = None
    expected_tax: Decimal = Decimal(0)
    registered_capital: Decimal | None = None
    headcount: int = 0
    legal_rep_name: limits.Text(Prospect, "legal_rep_name") = ""  # type: ignore[valid-type]
    notes: str = ""


class MoveIn(Schema):
    to_stage: str
    note: str = ""
    reason: str = ""


class RegisterIn(Schema):
    credit_code: limits.Text(Enterprise, "credit_code") | None = None  # type: ignore[valid-type]
    founded_on: dt.date
    building: int | None = None
    unit: int | None = None
    registered_capital: Decimal | None = None


class RegisteredOut(Schema):
    """Read from the registered prospect."""

    prospect_id: int
    enterprise_id: int
    credit_code: str

    @staticmethod
    def resolve_prospect_id(obj: Prospect) -> int:
        return obj.pk


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

    @staticmethod
    def resolve_building(obj: VacantUnit) -> str:
        return str(obj.building)


class MatchOut(Schema):
    unit: UnitOut
    score: float
    reasons: list[dict[str, Any]]

    @staticmethod
    def resolve_score(obj: Match) -> float:
        return round(obj.score, 3)

    @staticmethod
    def resolve_reasons(obj: Match) -> list[dict[str, Any]]:
        return [{"met": r.met, "text": r.text} for r in obj.reasons]


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


def _visible(access: Access) -> Any:
    access.require(rules.can_view_pipeline(access))
    return Prospect.objects.visible_to(access)


def _prospect(request: HttpRequest, pk: int) -> tuple[Access, Prospect]:
    access = access_of(request)
    return access, get_object_or_404(_visible(access), pk=pk)


@router.get(
    "/prospects",
    response=list[ProspectOut],
    operation_id="list_prospects",
    url_name="list_prospects",
)
def list_prospects(request: HttpRequest, filters: Query[ProspectFilter]) -> Any:
    """The prospects the caller may see, optionally of one stage, source or ambassador."""
    return filters.apply(_visible(access_of(request)))


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
    return Status(201, prospect)


@router.get(
    "/prospects/{pk}",
    response=ProspectDetailOut,
    operation_id="get_prospect",
    url_name="get_prospect",
)
def get_prospect(request: HttpRequest, pk: int) -> Any:
    """One prospect with its stage history and next actions."""
    _access, prospect = _prospect(request, pk)
    return prospect


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
    return services.move_prospect(
        prospect, actor=access, to_stage=payload.to_stage, note=payload.note, reason=payload.reason
    )


@router.post(
    "/prospects/{pk}/register",
    response={201: RegisteredOut},
    operation_id="register_prospect",
    url_name="register_prospect",
)
def register(request: HttpRequest, pk: int, payload: RegisterIn) -> Any:
    """Create the registry enterprise from a signed prospect's data (field errors: 400)."""
    access, prospect = _prospect(request, pk)
    building = (
        get_object_or_404(Building.objects.visible_to(access), pk=payload.building)
        if payload.building
        else None
    )
    unit = (
        get_object_or_404(VacantUnit.objects.visible_to(access), pk=payload.unit)
        if payload.unit
        else None
    )
    services.register_prospect(
        prospect,
        actor=access,
        credit_code=payload.credit_code,
        founded_on=payload.founded_on,
        building=building,
        unit=unit,
        registered_capital=payload.registered_capital,
    )
    prospect.refresh_from_db()
    return Status(201, prospect)


@router.get(
    "/prospects/{pk}/matches",
    response=list[MatchOut],
    operation_id="list_prospect_matches",
    url_name="list_prospect_matches",
)
def matches(request: HttpRequest, pk: int) -> Any:
    """Free vacant units that fit the prospect's area, ranked by floor and budget, with reasons."""
    access, prospect = _prospect(request, pk)
    return matches_for(prospect, access)


@router.get(
    "/vacant-units",
    response=list[UnitOut],
    operation_id="list_vacant_units",
    url_name="list_vacant_units",
)
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> Any:
    """Vacant units (free ones unless ``free=false``), optionally of one building."""
    access = access_of(request)
    access.require(rules.can_view_space(access))
    return filters.apply(VacantUnit.objects.visible_to(access).select_related("building"))


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
    return pipeline_statistics(Prospect.objects.visible_to(access))
