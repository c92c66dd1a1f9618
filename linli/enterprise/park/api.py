"""The Park Assistant: a building's own channel to its enterprises.

Building managers publish notices (with read receipts) and forward their enterprises' requests
as cases; enterprise members read the notices addressed to them and file requests.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from linli.cases.models import Category
from linli.core import limits
from linli.core.access import Access
from linli.core.filters import Id
from linli.core.http import access_of
from linli.enterprise.park import queries, rules, services
from linli.enterprise.park.filters import NoticeFilter, RequestFilter
from linli.enterprise.park.models import BuildingRequest, Notice

router = Router(tags=["park"])


class NoticeOut(Schema):
    """A notice read ``with_read_counts`` (``queries.notices_for``)."""

    id: int
    building_id: int
    building: str
    title: str
    body: str
    audience: str
    published_at: dt.datetime
    recipients: int
    read_by_enterprises: int

    @staticmethod
    def resolve_building(obj: Notice) -> str:
        return obj.building.name

    @staticmethod
    def resolve_recipients(obj: Notice) -> int:
        return int(obj.recipient_count)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_read_by_enterprises(obj: Notice) -> int:
        return int(obj.read_enterprise_count)  # type: ignore[attr-defined]


class ReceiptRow(Schema):
    enterprise_id: int
    enterprise: str
    read: bool
    readers: list[str]
    not_yet: list[str]

    @staticmethod
    def resolve_enterprise_id(obj: queries.EnterpriseReceipts) -> int:
        return obj.enterprise.pk

    @staticmethod
    def resolve_enterprise(obj: queries.EnterpriseReceipts) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_readers(obj: queries.EnterpriseReceipts) -> list[str]:
        return [str(r.user) for r in obj.receipts]

    @staticmethod
    def resolve_not_yet(obj: queries.EnterpriseReceipts) -> list[str]:
        return [str(u) for u in obj.unread]


class NoticeReceiptsOut(NoticeOut):
    """A notice as its manager sees it: ``receipt_rows`` (``queries.receipts_by_enterprise``)
    is set on it by the endpoint, for a manager only."""

    receipts: list[ReceiptRow]

    @staticmethod
    def resolve_receipts(obj: Notice) -> list[queries.EnterpriseReceipts]:
        return obj.receipt_rows  # type: ignore[attr-defined,no-any-return]


class NoticeReadOut(NoticeOut):
    """A notice as its reader sees it: ``read_at`` (set by the endpoint from their receipt) is
    when they first opened it."""

    read_at: dt.datetime


class NoticeIn(Schema):
    title: limits.Text(Notice, "title")  # type: ignore[valid-type]
    body: str
    enterprise_ids: list[Id] | None = None  # none: every enterprise in the building


class RemindOut(Schema):
    reminded: int


class RequestOut(Schema):
    id: int
    building_id: int
    enterprise_id: int
    enterprise: str
    title: str
    description: str
    status: str
    submitted_at: dt.datetime
    case_number: str | None
    reply: str

    @staticmethod
    def resolve_enterprise(obj: BuildingRequest) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_case_number(obj: BuildingRequest) -> str | None:
        return obj.case.number if obj.case else None


class RequestIn(Schema):
    enterprise_id: Id
    title: limits.Text(BuildingRequest, "title")  # type: ignore[valid-type]
    description: str


class ForwardIn(Schema):
    category: str  # the case category's code
    note: str = ""


class DeclineIn(Schema):
    reply: str


def _portal(request: HttpRequest) -> Access:
    access = access_of(request)
    access.require(access.subdistrict is not None and rules.may_use_portal(access))
    return access


def _counted(access: Access, notice: Notice) -> Notice:
    """The notice again, with its read counts."""
    return queries.notices_for(access).get(pk=notice.pk)


@router.get(
    "/notices", response=list[NoticeOut], operation_id="park_list_notices", url_name="park_notices"
)
def list_notices(request: HttpRequest, filters: Query[NoticeFilter]) -> Any:
    """Notices of the buildings one manages, or addressed to one's own enterprise."""
    access = _portal(request)
    return filters.apply(queries.notices_for(access))


@router.post(
    "/buildings/{pk}/notices",
    response={201: NoticeOut},
    operation_id="park_publish_notice",
    url_name="park_publish_notice",
)
def publish_notice(request: HttpRequest, pk: int, payload: NoticeIn) -> Any:
    access = _portal(request)
    access.require(rules.is_manager(access))
    building = get_object_or_404(rules.managed_buildings(access), pk=pk)
    try:
        notice = services.publish_notice(
            building,
            actor=access,
            title=payload.title,
            body=payload.body,
            enterprise_ids=payload.enterprise_ids,
        )
    except ValidationError as exc:
        # The verb names the form's field; the API's is ``enterprise_ids``.
        errors = exc.message_dict
        if "enterprises" in errors:
            errors["enterprise_ids"] = errors.pop("enterprises")
        raise ValidationError(errors) from exc
    return Status(201, _counted(access, notice))


@router.get(
    "/notices/{pk}",
    response={200: NoticeReceiptsOut | NoticeReadOut},
    operation_id="park_get_notice",
    url_name="park_notice",
)
def get_notice(request: HttpRequest, pk: int) -> Any:
    """A manager gets the receipts per enterprise; a recipient reads it, which records their
    receipt (once: later reads return the first time)."""
    access = _portal(request)
    notice = get_object_or_404(queries.notices_for(access), pk=pk)
    if rules.may_manage(access, notice.building):
        notice.receipt_rows = queries.receipts_by_enterprise(notice)  # type: ignore[attr-defined]
        return notice
    receipt = services.open_notice(notice, actor=access)
    notice.read_at = receipt.read_at  # type: ignore[attr-defined]
    return notice


@router.post(
    "/notices/{pk}/remind",
    response=RemindOut,
    operation_id="park_remind_unread",
    url_name="park_remind_unread",
)
def remind_unread(request: HttpRequest, pk: int) -> Any:
    access = _portal(request)
    access.require(rules.is_manager(access))
    notice = get_object_or_404(Notice.objects.visible_to(access, "manage"), pk=pk)
    return {"reminded": services.remind_unread(notice, actor=access)}


@router.get(
    "/requests",
    response=list[RequestOut],
    operation_id="park_list_requests",
    url_name="park_requests",
)
def list_requests(request: HttpRequest, filters: Query[RequestFilter]) -> Any:
    """Requests to the buildings one manages, or of one's own enterprise."""
    access = _portal(request)
    return filters.apply(queries.requests_for(access))


@router.post(
    "/requests",
    response={201: RequestOut},
    operation_id="park_file_request",
    url_name="park_file_request",
)
def file_request(request: HttpRequest, payload: RequestIn) -> Any:
    access = _portal(request)
    own = rules.own_enterprises(access)
    access.require(own.exists())
    enterprise = get_object_or_404(own, pk=payload.enterprise_id)
    return Status(
        201,
        services.file_request(
            enterprise, actor=access, title=payload.title, description=payload.description
        ),
    )


def _managed_request(access: Access, pk: int) -> BuildingRequest:
    access.require(rules.is_manager(access))
    return get_object_or_404(queries.requests_for(access, "manage"), pk=pk)


@router.post(
    "/requests/{pk}/forward",
    response=RequestOut,
    operation_id="park_forward_request",
    url_name="park_forward_request",
)
def forward_request(request: HttpRequest, pk: int, payload: ForwardIn) -> Any:
    """One step: the request becomes a case on the building-manager channel."""
    access = _portal(request)
    item = _managed_request(access, pk)
    category = Category.objects.filter(code=payload.category, active=True).first()
    if category is None:
        raise ValidationError({"category": [_("There is no such case category.")]})
    services.forward_request(item, actor=access, category=category, note=payload.note)
    return item


@router.post(
    "/requests/{pk}/decline",
    response=RequestOut,
    operation_id="park_decline_request",
    url_name="park_decline_request",
)
def decline_request(request: HttpRequest, pk: int, payload: DeclineIn) -> Any:
    access = _portal(request)
    item = _managed_request(access, pk)
    return services.decline_request(item, actor=access, reply=payload.reply)
