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
from ninja import Router, Schema, Status

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.http import access_of
from linli.enterprise.park import queries, rules, services
from linli.enterprise.park.models import BuildingRequest, Notice

router = Router(tags=["park"])


class NoticeOut(Schema):
    id: int
    building_id: int
    building: str
    title: str
    body: str
    audience: str
    published_at: dt.datetime
    recipients: int
    read_by_enterprises: int


class ReceiptRow(Schema):
    enterprise_id: int
    enterprise: str
    read: bool
    readers: list[str]
    not_yet: list[str]


class NoticeReceiptsOut(NoticeOut):
    receipts: list[ReceiptRow]


class NoticeReadOut(NoticeOut):
    read_at: dt.datetime


class NoticeIn(Schema):
    title: str
    body: str
    enterprise_ids: list[int] | None = None  # none: every enterprise in the building


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


class RequestIn(Schema):
    enterprise_id: int
    title: str
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


def _notice(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "building_id": notice.building_id,
        "building": notice.building.name,
        "title": notice.title,
        "body": notice.body,
        "audience": notice.audience,
        "published_at": notice.published_at,
        "recipients": notice.recipients.count(),
        "read_by_enterprises": notice.receipts.values("enterprise").distinct().count(),
    }


def _request(item: BuildingRequest) -> dict[str, Any]:
    return {
        "id": item.pk,
        "building_id": item.building_id,
        "enterprise_id": item.enterprise_id,
        "enterprise": item.enterprise.name,
        "title": item.title,
        "description": item.description,
        "status": item.status,
        "submitted_at": item.submitted_at,
        "case_number": item.case.number if item.case else None,
        "reply": item.reply,
    }


@router.get(
    "/notices", response=list[NoticeOut], operation_id="park_list_notices", url_name="park_notices"
)
def list_notices(request: HttpRequest) -> Any:
    """Notices of the buildings one manages, or addressed to one's own enterprise."""
    access = _portal(request)
    notices = queries.visible_notices(access).select_related("building")[:200]
    return [_notice(n) for n in notices]


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
    return Status(201, _notice(notice))


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
    notice = get_object_or_404(queries.visible_notices(access).select_related("building"), pk=pk)
    if rules.may_manage(access, notice.building):
        rows = queries.receipts_by_enterprise(notice)
        return {
            **_notice(notice),
            "receipts": [
                {
                    "enterprise_id": row.enterprise.pk,
                    "enterprise": row.enterprise.name,
                    "read": row.read,
                    "readers": [str(r.user) for r in row.receipts],
                    "not_yet": [str(u) for u in row.unread],
                }
                for row in rows
            ],
        }
    receipt = services.open_notice(notice, actor=access)
    return {**_notice(notice), "read_at": receipt.read_at}


@router.post(
    "/notices/{pk}/remind",
    response=RemindOut,
    operation_id="park_remind_unread",
    url_name="park_remind_unread",
)
def remind_unread(request: HttpRequest, pk: int) -> Any:
    access = _portal(request)
    access.require(rules.is_manager(access))
    notice = get_object_or_404(queries.managed_notices(access), pk=pk)
    return {"reminded": services.remind_unread(notice, actor=access)}


def _requests(access: Access) -> Any:
    managed = rules.managed_buildings(access)
    own = rules.own_enterprises(access)
    return BuildingRequest.objects.filter(
        pk__in=BuildingRequest.objects.filter(building__in=managed).values("pk")
    ) | BuildingRequest.objects.filter(enterprise__in=own)


@router.get(
    "/requests",
    response=list[RequestOut],
    operation_id="park_list_requests",
    url_name="park_requests",
)
def list_requests(request: HttpRequest) -> Any:
    access = _portal(request)
    items = _requests(access).select_related("enterprise", "case")[:200]
    return [_request(r) for r in items]


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
    item = services.file_request(
        enterprise, actor=access, title=payload.title, description=payload.description
    )
    return Status(201, _request(item))


def _managed_request(access: Access, pk: int) -> BuildingRequest:
    access.require(rules.is_manager(access))
    return get_object_or_404(
        BuildingRequest.objects.filter(building__in=rules.managed_buildings(access)),
        pk=pk,
    )


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
    return _request(item)


@router.post(
    "/requests/{pk}/decline",
    response=RequestOut,
    operation_id="park_decline_request",
    url_name="park_decline_request",
)
def decline_request(request: HttpRequest, pk: int, payload: DeclineIn) -> Any:
    access = _portal(request)
    item = _managed_request(access, pk)
    services.decline_request(item, actor=access, reply=payload.reply)
    return _request(item)
