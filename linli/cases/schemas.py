"""The cases API's input and output schemas.

Outputs are built by the schemas from what the endpoints return: a ``Case`` (one case, a
transition's result, a new case) or a row of ``listing.read_page`` (the staff list). Each field
says where its value comes from, for both: ``_case_or_row("category_code", "category", "code")``
reads a case's ``category.code`` or a row's ``category_code``. ``CaseOut`` is a plain pydantic
model for the list's sake (fifty a page, built from rows without ninja's attribute getter); the
single-case outputs derive from it as ninja schemas, whose resolvers read the timeline, the
co-handlers and the allowed actions, and hide what the reader may not see.

Inputs refuse text longer than the model field holds (422, naming the field).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import AliasChoices, AliasPath, BaseModel, ConfigDict, Field

from linli.cases import actions, rules
from linli.cases.duplicates import Nearby, find_duplicates
from linli.cases.extra import fields_of
from linli.cases.models import Case, CaseEvent, CaseReporter, Category, CategoryField, CoHandler
from linli.core.access import Access
from linli.core.filters import Id
from linli.core.http import access_of
from linli.core.limits import Text
from linli.core.roles import STAFF

# --- inputs --------------------------------------------------------------------------------


class CaseIn(Schema):
    category: str
    description: Text(Case, "description")  # type: ignore[valid-type]
    channel: str = "api"
    title: Text(Case, "title") = ""  # type: ignore[valid-type]
    lon: float | None = None
    lat: float | None = None
    address: Text(Case, "address") = ""  # type: ignore[valid-type]
    grid: str | None = None
    quarter: str | None = None
    building: str | None = None
    enterprise: str | None = None
    extra: dict[str, Any] = {}
    anonymous: bool = False
    contact_name: Text(CaseReporter, "name") = ""  # type: ignore[valid-type]
    contact_phone: str = ""
    contact_email: Text(CaseReporter, "email") = ""  # type: ignore[valid-type]


class TransitionIn(Schema):
    note: Text(CaseEvent, "note") = ""  # type: ignore[valid-type]
    reason: Text(CaseEvent, "reason") = ""  # type: ignore[valid-type]
    organisation: str | None = None
    assignee: Id | None = None
    days: int | None = None
    satisfaction: str = ""
    resolved: bool | None = None
    part: Text(CoHandler, "part") = ""  # type: ignore[valid-type]
    co_handler: Id | None = None
    into: str | None = None


class VerificationIn(Schema):
    note: Text(CaseEvent, "note")  # type: ignore[valid-type]


# --- one case, or a row of the list -----------------------------------------------------


def _case_or_row(row_key: str, *path: str) -> Any:
    """Read a case's attribute ``path`` (``None`` along it: no value), or a row's ``row_key``.
    The case's path comes first: a row has no such key, and looking up a missing attribute of
    a case costs more than a missing key of a row."""
    return AliasChoices(AliasPath(*path), row_key)


class RoutingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    organisation: str | None = Field(
        None,
        validation_alias=_case_or_row("routed_organisation_name", "routed_organisation", "name"),
    )
    rule: int | None = Field(validation_alias="routing_rule_id")
    reason: str = Field(validation_alias="routing_reason")


class CaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    title: str
    description: str
    category: str = Field(validation_alias=_case_or_row("category_code", "category", "code"))
    category_name: str = Field(validation_alias=_case_or_row("category_name", "category", "name"))
    channel: str
    state: str
    state_label: str
    stage: str
    stage_deadline: dt.datetime | None
    resolve_deadline: dt.datetime | None
    overdue: bool = Field(validation_alias=AliasChoices("is_overdue", "overdue"))
    received_at: dt.datetime
    closed_at: dt.datetime | None
    lon: float | None
    lat: float | None
    address: str
    grid: str | None = Field(None, validation_alias=_case_or_row("grid_code", "grid", "code"))
    lead_organisation: str | None = Field(
        None,
        validation_alias=_case_or_row("lead_organisation_name", "lead_organisation", "name"),
    )
    assignee: str | None = Field(None, validation_alias="assignee_name")
    routing: RoutingOut
    satisfaction: str
    merged_into: str | None = Field(
        None, validation_alias=_case_or_row("merged_into_number", "merged_into", "number")
    )
    extra: dict[str, Any]


def _reader(context: Any) -> Access:
    return access_of(context["request"])


class SubmittedOut(Schema, CaseOut):
    tracking_token: str
    duplicates: list[str]

    @staticmethod
    def resolve_duplicates(obj: Case, context: Any) -> list[str]:
        """Open cases of the category nearby: staff see their numbers at intake."""
        if not _reader(context).has_any(STAFF):
            return []
        return [c.case.number for c in find_duplicates(obj.category, obj.lon, obj.lat, exclude=obj)]


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    actor: str | None
    organisation: str | None
    note: str
    reason: str
    outcome: str
    late: bool | None

    @staticmethod
    def resolve_actor(obj: CaseEvent, context: Any) -> str | None:
        """Reporters see which office acted, not which civil servant (except themselves)."""
        access = _reader(context)
        mine = access.user is not None and obj.actor_id == access.user.pk
        if obj.actor is None or not (access.has_any(STAFF) or mine):
            return None
        return str(obj.actor)

    @staticmethod
    def resolve_organisation(obj: CaseEvent) -> str | None:
        return str(obj.organisation) if obj.organisation else None

    @staticmethod
    def resolve_late(obj: CaseEvent, context: Any) -> bool | None:
        return obj.late if _reader(context).has_any(STAFF) else None


class CoHandlerOut(Schema):
    id: int
    organisation: str
    part: str
    state: str
    done_at: dt.datetime | None

    @staticmethod
    def resolve_organisation(obj: CoHandler) -> str:
        return str(obj.organisation)


class CaseDetailOut(Schema, CaseOut):
    events: list[EventOut]
    co_handlers: list[CoHandlerOut]
    reporters: int
    allowed_actions: list[str]

    @staticmethod
    def resolve_events(obj: Case) -> QuerySet[CaseEvent]:
        return CaseEvent.objects.filter(case=obj).select_related("actor", "organisation")

    @staticmethod
    def resolve_co_handlers(obj: Case) -> QuerySet[CoHandler]:
        return CoHandler.objects.filter(case=obj).select_related("organisation")

    @staticmethod
    def resolve_reporters(obj: Case) -> int:
        return obj.reporters.count()

    @staticmethod
    def resolve_allowed_actions(obj: Case, context: Any) -> list[str]:
        """What the reader may do now: the very answer the verbs check (``actions``)."""
        return actions.allowed_actions(_reader(context), obj)


# --- the list, and the rest -------------------------------------------------------------

COUNT_CAP = 1_000


class CasePage(BaseModel):
    count: int = Field(
        description=f"Cases matching the query, counted up to {COUNT_CAP:,}; beyond that "
        "the count stops there and count_exact is false."
    )
    count_exact: bool = True
    page: int
    items: list[CaseOut]


class CategoryFieldOut(Schema):
    key: str
    label: str
    type: str
    required: bool
    choices: list[Any]


class CategoryOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None = Field(None, validation_alias=AliasPath("parent", "code"))
    allows_anonymous: bool
    fields: list[CategoryFieldOut]
    canned_replies: list[str]

    @staticmethod
    def resolve_fields(obj: Category) -> list[CategoryField]:
        """Its own fields and those it inherits."""
        return fields_of(obj)

    @staticmethod
    def resolve_canned_replies(obj: Category, context: Any) -> list[str]:
        if not rules.may_see_canned_replies(_reader(context)):
            return []
        return [str(r) for r in obj.canned_replies]


class DuplicateOut(Schema):
    """A ``duplicates.Nearby``: a case the reader may see, or one of a public category."""

    number: str = Field(validation_alias=AliasPath("case", "number"))
    title: str
    state: str = Field(validation_alias=AliasPath("case", "state"))
    distance_m: float
    received_at: dt.datetime = Field(validation_alias=AliasPath("case", "received_at"))

    @staticmethod
    def resolve_distance_m(obj: Nearby) -> float:
        return round(obj.distance_m, 1)


class MetricsOut(Schema):
    organisation_id: int
    organisation: str
    timely_acceptance_rate: float | None
    on_time_closure_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    rework_rate: float | None
    extension_rate: float | None
    return_rate: float | None
    dispatched: int
    closed: int
    callbacks: int
