"""Cases API: intake, staff queues, one case with its timeline, every transition, metrics.

Reporters see only the cases they reported; a case of another sub-district does not exist
(404), because every query runs in the caller's sub-district scope.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel, Field

from linli.cases import intake, metrics, rules, services
from linli.cases.duplicates import find_duplicates
from linli.cases.listing import read_page
from linli.cases.models import Case, CaseEvent, Category, CoHandler, State
from linli.cases.queues import apply_queue, ordered
from linli.cases.workflow import InvalidTransition, allowed_actions
from linli.core import clock
from linli.core.access import Access
from linli.core.api import ErrorOut, error_body
from linli.core.calendar import local_zone
from linli.core.http import access_of, xlsx_response
from linli.core.models import Organisation, User
from linli.registry.models import Building, Enterprise, Grid, Quarter

router = Router(tags=["cases"])


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
    parent: str | None
    allows_anonymous: bool
    fields: list[CategoryFieldOut]
    canned_replies: list[str]


class CaseIn(Schema):
    category: str
    description: str
    channel: str = "api"
    title: str = ""
    lon: float | None = None
    lat: float | None = None
    address: str = ""
    grid: str | None = None
    quarter: str | None = None
    building: str | None = None
    enterprise: str | None = None
    extra: dict[str, Any] = {}
    anonymous: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


# The case schemas are plain pydantic models: they are always built from dicts, and ninja's
# Schema would wrap every one of them (50 a page) in its attribute getter first.
class RoutingOut(BaseModel):
    organisation: str | None
    rule: int | None
    reason: str


class CaseOut(BaseModel):
    number: str
    title: str
    description: str
    category: str
    category_name: str
    channel: str
    state: str
    state_label: str
    stage: str
    stage_deadline: dt.datetime | None
    resolve_deadline: dt.datetime | None
    overdue: bool
    received_at: dt.datetime
    closed_at: dt.datetime | None
    lon: float | None
    lat: float | None
    address: str
    grid: str | None
    lead_organisation: str | None
    assignee: str | None
    routing: RoutingOut
    satisfaction: str
    merged_into: str | None
    extra: dict[str, Any]


class SubmittedOut(CaseOut):
    tracking_token: str
    duplicates: list[str]


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


class CoHandlerOut(Schema):
    id: int
    organisation: str
    part: str
    state: str
    done_at: dt.datetime | None


class CaseDetailOut(CaseOut):
    events: list[EventOut]
    co_handlers: list[CoHandlerOut]
    reporters: int
    allowed_actions: list[str]


COUNT_CAP = 1_000


class CasePage(BaseModel):
    count: int = Field(
        description=f"Cases matching the query, counted up to {COUNT_CAP:,}; beyond that "
        "the count stops there and count_exact is false."
    )
    count_exact: bool = True
    page: int
    items: list[CaseOut]


class ListParams(Schema):
    queue: str = ""
    state: str = ""
    category: str = ""
    channel: str = ""
    grid: str = ""
    q: str = ""
    page: int = 1
    page_size: int = 50


class TransitionIn(Schema):
    note: str = ""
    reason: str = ""
    organisation: str | None = None
    assignee: int | None = None
    days: int | None = None
    satisfaction: str = ""
    resolved: bool | None = None
    part: str = ""
    co_handler: int | None = None
    into: str | None = None


class DuplicateOut(Schema):
    number: str
    title: str
    state: str
    distance_m: float
    received_at: dt.datetime


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


def _name(user: User | None) -> str | None:
    return str(user) if user is not None else None


def case_out(case: Case, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or clock.now()
    return {
        "number": case.number,
        "title": case.title,
        "description": case.description,
        "category": case.category.code,
        "category_name": case.category.name,
        "channel": case.channel,
        "state": case.state,
        "state_label": str(State(case.state).label),
        "stage": case.stage,
        "stage_deadline": case.stage_deadline,
        "resolve_deadline": case.resolve_deadline,
        "overdue": bool(
            case.stage_deadline and case.paused_since is None and case.stage_deadline < now
        ),
        "received_at": case.received_at,
        "closed_at": case.closed_at,
        "lon": case.lon,
        "lat": case.lat,
        "address": case.address,
        "grid": case.grid.code if case.grid_id and case.grid else None,
        "lead_organisation": str(case.lead_organisation) if case.lead_organisation else None,
        "assignee": _name(case.assignee),
        "routing": {
            "organisation": str(case.routed_organisation) if case.routed_organisation else None,
            "rule": case.routing_rule_id,
            "reason": case.routing_reason,
        },
        "satisfaction": case.satisfaction,
        "merged_into": case.merged_into.number
        if case.merged_into_id and case.merged_into
        else None,
        "extra": case.extra,
    }


def _cases(access: Access) -> QuerySet[Case]:
    return rules.visible(access, Case.objects.all()).select_related(
        "category",
        "grid",
        "lead_organisation",
        "assignee",
        "routed_organisation",
        "merged_into",
    )


def _case(request: HttpRequest, number: str) -> Case:
    access = access_of(request)
    if access.subdistrict is None:
        raise Http404
    return get_object_or_404(_cases(access), number=number)


def _by_code(model: Any, code: str | None, name: str, lookup: str = "code") -> Any:
    if not code:
        return None
    queryset = model.objects.filter(**{lookup: code})
    if model is Category:
        # Its parent is read anyway (fields and limits are inherited down the tree).
        queryset = queryset.select_related("parent")
    found = queryset.first()
    if found is None:
        raise _unknown(name, code)
    return found


def _unknown(name: str, code: str) -> ValidationError:
    return ValidationError({name: [_("Nothing with the code “%(code)s”.") % {"code": code}]})


def _conflict(exc: InvalidTransition) -> Status:
    return Status(409, error_body(exc.code, exc.message))


@router.get("/categories", response=list[CategoryOut], operation_id="list_case_categories")
def list_categories(request: HttpRequest) -> Any:
    from linli.cases.extra import fields_of

    access = access_of(request)
    if access.subdistrict is None:
        return []
    rows = []
    for category in Category.objects.filter(active=True).select_related("parent"):
        rows.append(
            {
                "code": category.code,
                "name": category.name,
                "kind": category.kind,
                "parent": category.parent.code if category.parent else None,
                "allows_anonymous": category.allows_anonymous,
                "fields": fields_of(category),
                "canned_replies": [str(r) for r in category.canned_replies]
                if rules.is_dispatcher(access) or access.has_any(rules.STAFF)
                else [],
            }
        )
    return rows


@router.get("/duplicates", response=list[DuplicateOut], operation_id="find_case_duplicates")
def duplicates(request: HttpRequest, category: str, lon: float, lat: float) -> Any:
    """Open cases of the category nearby, shown at intake before someone reports it again."""
    access = access_of(request)
    if access.subdistrict is None:
        return []
    found = find_duplicates(_by_code(Category, category, "category"), lon, lat)
    visible_ids = set(
        _cases(access).filter(pk__in=[c.case.pk for c in found]).values_list("pk", flat=True)
    )
    out = []
    for candidate in found:
        case = candidate.case
        shown = case.pk in visible_ids or case.category.public_display
        if not shown:
            continue
        out.append(
            {
                "number": case.number,
                "title": case.title if case.pk in visible_ids else case.category.name,
                "state": case.state,
                "distance_m": round(candidate.distance_m, 1),
                "received_at": case.received_at,
            }
        )
    return out


@router.get("/metrics", response=list[MetricsOut], operation_id="case_metrics")
def get_metrics(request: HttpRequest, start: dt.date, end: dt.date) -> Any:
    rows, _start, _end = _metrics(request, start, end)
    return [{**row.__dict__, **row.rates()} for row in rows]


@router.get("/metrics.xlsx", operation_id="case_metrics_xlsx")
def get_metrics_xlsx(request: HttpRequest, start: dt.date, end: dt.date) -> HttpResponse:
    rows, start_at, end_at = _metrics(request, start, end)
    return xlsx_response(
        metrics.export_xlsx(rows, start_at, end_at), f"case-metrics-{start}-{end}.xlsx"
    )


def _metrics(
    request: HttpRequest, start: dt.date, end: dt.date
) -> tuple[list[metrics.OrganisationMetrics], dt.datetime, dt.datetime]:
    access = access_of(request)
    access.require(access.subdistrict is not None and rules.may_see_metrics(access))
    zone = local_zone()
    start_at = dt.datetime.combine(start, dt.time.min, zone)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone)
    only = None if rules.is_dispatcher(access) else sorted(access.linked_ids("organisation"))
    return metrics.organisation_metrics(start_at, end_at, organisation_ids=only), start_at, end_at


@router.post("", response={201: SubmittedOut}, operation_id="submit_case")
def submit(request: HttpRequest, payload: CaseIn) -> Any:
    access = access_of(request)
    if access.subdistrict is None:
        raise PermissionDenied(_("Choose a sub-district first."))
    # From the setup intake keeps anyway: no query of its own.
    setup = intake.current(access.subdistrict)
    category = setup.category(payload.category)
    if category is None:
        raise _unknown("category", payload.category)
    case = services.submit_case(
        actor=access,
        category=category,
        channel=payload.channel,
        description=payload.description,
        title=payload.title,
        lon=payload.lon,
        lat=payload.lat,
        address=payload.address,
        grid=_by_code(Grid, payload.grid, "grid"),
        quarter=_by_code(Quarter, payload.quarter, "quarter"),
        building=_by_code(Building, payload.building, "building"),
        enterprise=_by_code(Enterprise, payload.enterprise, "enterprise", "credit_code"),
        extra=payload.extra,
        anonymous=payload.anonymous,
        contact=services.Contact(
            name=payload.contact_name, phone=payload.contact_phone, email=payload.contact_email
        ),
        setup=setup,
    )
    body = case_out(case)
    body["tracking_token"] = case.tracking_token
    body["duplicates"] = (
        [c.case.number for c in find_duplicates(case.category, case.lon, case.lat, exclude=case)]
        if access.has_any(rules.STAFF)
        else []
    )
    return Status(201, body)


@router.get("", response=CasePage, operation_id="list_cases")
def list_cases(request: HttpRequest, params: Query[ListParams]) -> Any:
    access = access_of(request)
    if access.subdistrict is None:
        return {"count": 0, "page": 1, "items": []}
    queryset = apply_queue(access, rules.visible(access, Case.objects.all()), params.queue)
    if params.state:
        queryset = queryset.filter(state__in=params.state.split(","))
    if params.category:
        queryset = queryset.filter(category__code=params.category)
    if params.channel:
        queryset = queryset.filter(channel=params.channel)
    if params.grid:
        queryset = queryset.filter(grid__code=params.grid)
    if params.q:
        queryset = queryset.filter(Q(number__icontains=params.q) | Q(title__icontains=params.q))
    queryset = ordered(queryset, params.queue)
    size = max(1, min(params.page_size, 200))
    page = max(1, params.page)
    # Counting a whole sub-district's year of cases costs more than the page itself; past
    # the cap nobody pages through them anyway.
    found = read_page(queryset, page, size, COUNT_CAP)
    now = clock.now()
    labels = {value: str(label) for value, label in State.choices}
    return {
        "count": found.count,
        "count_exact": found.count_exact,
        "page": page,
        "items": [row_out(row, now, labels) for row in found.rows],
    }


def row_out(row: dict[str, Any], now: dt.datetime, labels: dict[str, str]) -> dict[str, Any]:
    """``case_out`` for a row of ``listing.read_page``: the list builds no model instances."""
    deadline = row["stage_deadline"]
    return {
        "number": row["number"],
        "title": row["title"],
        "description": row["description"],
        "category": row["category_code"],
        "category_name": row["category_name"],
        "channel": row["channel"],
        "state": row["state"],
        "state_label": labels.get(row["state"], row["state"]),
        "stage": row["stage"],
        "stage_deadline": deadline,
        "resolve_deadline": row["resolve_deadline"],
        "overdue": bool(deadline and row["paused_since"] is None and deadline < now),
        "received_at": row["received_at"],
        "closed_at": row["closed_at"],
        "lon": row["lon"],
        "lat": row["lat"],
        "address": row["address"],
        "grid": row["grid_code"],
        "lead_organisation": row["lead_organisation"],
        "assignee": row["assignee"],
        "routing": {
            "organisation": row["routed_organisation"],
            "rule": row["routing_rule_id"],
            "reason": row["routing_reason"],
        },
        "satisfaction": row["satisfaction"],
        "merged_into": row["merged_into"],
        "extra": row["extra"],
    }


@router.get("/{number}", response=CaseDetailOut, operation_id="get_case")
def get_case(request: HttpRequest, number: str) -> Any:
    access = access_of(request)
    case = _case(request, number)
    events = CaseEvent.objects.filter(case=case).select_related("actor", "organisation")
    body = case_out(case)
    staff = access.has_any(rules.STAFF)
    body["events"] = [
        {
            "at": e.at,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            # Reporters see which office acted, not which civil servant.
            "actor": _name(e.actor)
            if staff or e.actor_id == getattr(access.user, "pk", None)
            else None,
            "organisation": str(e.organisation) if e.organisation else None,
            "note": e.note,
            "reason": e.reason,
            "outcome": e.outcome,
            "late": e.late if staff else None,
        }
        for e in events
    ]
    body["co_handlers"] = [
        {
            "id": c.pk,
            "organisation": str(c.organisation),
            "part": c.part,
            "state": c.state,
            "done_at": c.done_at,
        }
        for c in CoHandler.objects.filter(case=case).select_related("organisation")
    ]
    body["reporters"] = case.reporters.count()
    body["allowed_actions"] = [
        action for action in allowed_actions(case.state) if rules.may(access, action, case)
    ]
    return body


@router.post(
    "/{number}/transitions/{action}",
    response={200: CaseOut, 409: ErrorOut},
    operation_id="transition_case",
)
def transition(request: HttpRequest, number: str, action: str, payload: TransitionIn) -> Any:
    """Run one verb of the state table: register, dispatch, accept, return, … reopen."""
    access = access_of(request)
    case = _case(request, number)
    if action not in services.VERBS:
        raise Http404
    try:
        result = _run(access, case, action, payload)
    except InvalidTransition as exc:
        return _conflict(exc)
    return Status(200, case_out(result))


def _run(access: Access, case: Case, action: str, p: TransitionIn) -> Case:
    s = services
    simple_note = {
        "register": s.register_case,
        "accept": s.accept_case,
        "start_handling": s.start_handling,
        "resume": s.resume_case,
        "close": s.close_case,
    }
    with_reason = {
        "return": s.return_case,
        "deny_extension": s.deny_extension,
        "rework": s.rework_case,
        "reopen": s.reopen_case,
        "register_long_term": s.register_long_term,
    }
    if action in simple_note:
        return simple_note[action](case, actor=access, note=p.note)
    if action in with_reason:
        return with_reason[action](case, actor=access, reason=p.reason)
    if action == "reject":
        return s.reject_case(case, actor=access, reason=p.reason, note=p.note)
    if action == "dispatch":
        organisation = _by_code(Organisation, p.organisation, "organisation")
        if organisation is None:
            raise ValidationError({"organisation": [_("Choose an organisation.")]})
        assignee = None
        if p.assignee is not None:
            assignee = User.objects.filter(
                pk=p.assignee, memberships__subdistrict=access.subdistrict
            ).first()
            if assignee is None:
                raise ValidationError({"assignee": [_("Choose a person of this sub-district.")]})
        return s.dispatch_case(case, organisation, actor=access, assignee=assignee, note=p.note)
    if action == "wait_for_reporter":
        return s.wait_for_reporter(case, actor=access, note=p.note)
    if action == "request_extension":
        return s.request_extension(case, actor=access, reason=p.reason, days=p.days)
    if action == "approve_extension":
        return s.approve_extension(case, actor=access, note=p.note, days=p.days)
    if action == "submit_for_verification":
        return s.submit_for_verification(case, actor=access, note=p.note)
    if action == "verify":
        return s.verify_case(case, actor=access, note=p.note)
    if action == "record_callback":
        return s.record_callback(
            case, actor=access, satisfaction=p.satisfaction, resolved=p.resolved, note=p.note
        )
    if action == "merge":
        into = Case.objects.filter(number=p.into or "").first()
        if into is None:
            raise ValidationError({"into": [_("Choose the case to merge into.")]})
        s.merge_cases(case, into, actor=access, note=p.note)
        case.refresh_from_db()
        return case
    if action == "add_co_handler":
        organisation = _by_code(Organisation, p.organisation, "organisation")
        if organisation is None:
            raise ValidationError({"organisation": [_("Choose an organisation.")]})
        s.add_co_handler(case, organisation, actor=access, part=p.part)
        case.refresh_from_db()
        return case
    if action == "complete_co_handling":
        row = CoHandler.objects.filter(case=case, pk=p.co_handler or 0).first()
        if row is None:
            raise ValidationError({"co_handler": [_("Choose the co-handling organisation.")]})
        s.complete_co_handling(row, actor=access, note=p.note)
        case.refresh_from_db()
        return case
    raise Http404


class VerificationIn(Schema):
    note: str


@router.post(
    "/{number}/verification",
    response={200: CaseOut, 409: ErrorOut},
    operation_id="submit_case_for_verification",
)
def submit_with_photos(
    request: HttpRequest,
    number: str,
    payload: Form[VerificationIn],
    before: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    after: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """Submit for verification with before/after photos (multipart form)."""
    access = access_of(request)
    case = _case(request, number)
    try:
        result = services.submit_for_verification(
            case, actor=access, note=payload.note, before=before or [], after=after or []
        )
    except InvalidTransition as exc:
        return _conflict(exc)
    return Status(200, case_out(result))
