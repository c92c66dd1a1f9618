"""Cases API: intake, staff queues, one case with its timeline, every transition, metrics.

Everyone reads cases through ``Case.objects.visible_to``: reporters see only the cases they
reported; a case of another sub-district does not exist (404), because every query runs in the
caller's sub-district scope. The endpoints return cases (or list rows) and the schemas in
``schemas`` build the output.
"""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from linli.cases import intake, intake_setup, metrics, rules, services
from linli.cases.duplicates import nearby
from linli.cases.filters import CaseFilter, listed
from linli.cases.listing import read_page
from linli.cases.models import Case, Category, CoHandler
from linli.cases.schemas import (
    COUNT_CAP,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CasePage,
    CategoryOut,
    DuplicateOut,
    MetricsOut,
    SubmittedOut,
    TransitionIn,
    VerificationIn,
)
from linli.cases.workflow import InvalidTransition
from linli.core.access import Access
from linli.core.api import ErrorOut, error_body
from linli.core.calendar import local_zone
from linli.core.filters import PageParams
from linli.core.http import access_of, xlsx_response
from linli.core.models import Organisation, User
from linli.registry.models import Building, Enterprise, Grid, Quarter

router = Router(tags=["cases"])

__all__ = ["COUNT_CAP", "router"]


def _cases(access: Access) -> QuerySet[Case]:
    return Case.objects.visible_to(access).select_related(
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
    if access_of(request).subdistrict is None:
        return []
    return Category.objects.filter(active=True).select_related("parent")


@router.get("/duplicates", response=list[DuplicateOut], operation_id="find_case_duplicates")
def duplicates(
    request: HttpRequest,
    category: Annotated[str, Field(min_length=1, max_length=30)],
    lon: Annotated[float, Field(ge=-180, le=180)],
    lat: Annotated[float, Field(ge=-90, le=90)],
) -> Any:
    """Open cases of the category nearby, shown at intake before someone reports it again."""
    access = access_of(request)
    if access.subdistrict is None:
        return []
    return nearby(access, _by_code(Category, category, "category"), lon, lat)


@router.get("/metrics", response=list[MetricsOut], operation_id="case_metrics")
def get_metrics(request: HttpRequest, start: dt.date, end: dt.date) -> Any:
    rows, _start, _end = _metrics(request, start, end)
    return rows


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
    setup = intake_setup.current(access.subdistrict)
    category = setup.category(payload.category)
    if category is None:
        raise _unknown("category", payload.category)
    report = intake.Report(
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
        contact=intake.Contact(
            name=payload.contact_name, phone=payload.contact_phone, email=payload.contact_email
        ),
    )
    return Status(201, intake.submit(report, actor=access, setup=setup))


@router.get("", response=CasePage, operation_id="list_cases")
def list_cases(request: HttpRequest, filters: Query[CaseFilter], paging: Query[PageParams]) -> Any:
    """The cases the caller may see, in a queue and filtered as the staff workbench is."""
    access = access_of(request)
    if access.subdistrict is None:
        return {"count": 0, "page": 1, "items": []}
    # Counting a whole sub-district's year of cases costs more than the page itself; past
    # the cap nobody pages through them anyway.
    found = read_page(listed(access, filters), paging.page, paging.page_size, COUNT_CAP)
    return {
        "count": found.count,
        "count_exact": found.count_exact,
        "page": paging.page,
        "items": found.rows,
    }


@router.get("/{number}", response=CaseDetailOut, operation_id="get_case")
def get_case(request: HttpRequest, number: str) -> Any:
    return _case(request, number)


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
    return Status(200, result)


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
        into = Case.objects.visible_to(access).filter(number=p.into or "").first()
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
    return Status(200, result)
