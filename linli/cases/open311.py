"""Open311 GeoReport v2 under ``/open311/v2/``, in JSON and XML.

- ``jurisdiction_id`` is the sub-district's division code (optional while a deployment has one).
- Services are the active case categories; their typed extra fields are the service
  definitions' attributes.
- ``POST requests`` needs an ``api_key``: a linli API token of that sub-district. The citizen
  behind the client app is the reporter (by e-mail or phone), never the app's account.
- Our states map to open/closed; ``status_notes`` says the state in words,
  ``agency_responsible`` is the lead organisation, ``expected_datetime`` the deadline.
- Without a staff key, only cases of categories marked for public display are listed.
- Errors are ``[{"code": 400, "description": "..."}]`` (``<errors><error>`` in XML).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_scopes import scope

from linli.cases import intake
from linli.cases.extra import fields_of
from linli.cases.intake_limits import REFUSED, public_report_allowed
from linli.cases.models import FINAL_STATES, Case, CaseAttachment, Category, CategoryField, State
from linli.core import clock, throttle
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.models import Subdistrict
from linli.core.roles import STAFF
from linli.core.tokens import authenticate_token

DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_REQUESTS = 1000

DATATYPES = {
    CategoryField.Type.TEXT: "string",
    CategoryField.Type.NUMBER: "number",
    CategoryField.Type.DATE: "datetime",
    CategoryField.Type.CHOICE: "singlevaluelist",
    CategoryField.Type.PHOTO: "string",
}

# Tag of each list item in XML, by the tag of the list.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering ---------------------------------------------------------------------------


def _xml_value(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    _fill(element, tag, value)


def _fill(element: ET.Element, tag: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_value(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml_value(element, ITEM_TAGS.get(tag, "item"), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        element = ET.Element(root)
        _fill(element, root, data)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="utf-8")
        return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": description}], status)


def _stamp(moment: dt.datetime | None) -> str:
    return moment.astimezone(local_zone()).isoformat(timespec="seconds") if moment else ""


# --- reading the request -----------------------------------------------------------------


def _jurisdiction(request: HttpRequest) -> Subdistrict:
    params = request.POST if request.method == "POST" else request.GET
    code = (params.get("jurisdiction_id") or "").strip()
    if code:
        found = Subdistrict.objects.filter(code=code).first()
        if found is None:
            raise Open311Error(
                404, _("jurisdiction_id “%(code)s” is not served here.") % {"code": code}
            )
        return found
    only = list(Subdistrict.objects.all()[:2])
    if len(only) != 1:
        raise Open311Error(400, _("jurisdiction_id is required (the sub-district code)."))
    return only[0]


def _key_access(request: HttpRequest, subdistrict: Subdistrict, *, required: bool) -> Access | None:
    params = request.POST if request.method == "POST" else request.GET
    key = (params.get("api_key") or "").strip()
    if not key:
        if required:
            raise Open311Error(403, _("api_key is required to post a service request."))
        return None
    token = authenticate_token(key)
    if token is None or token.subdistrict_id != subdistrict.pk:
        raise Open311Error(403, _("api_key is not valid for this jurisdiction."))
    return Access.for_user(token.user, subdistrict)


def endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run an Open311 view in its jurisdiction's scope, turning refusals into spec errors."""

    @csrf_exempt
    def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            subdistrict = _jurisdiction(request)
            with scope(subdistrict=subdistrict):
                return view(request, fmt, subdistrict, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc.status, exc.description)
        except PermissionDenied as exc:
            return _error(fmt, 403, str(exc) or _("You are not allowed to do this."))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                text = "; ".join(
                    f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
                )
            else:
                text = " ".join(exc.messages)
            return _error(fmt, 400, text)

    return wrapper


# --- services ----------------------------------------------------------------------------


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(fields_of(category)),
        "type": "realtime",
        "keywords": category.kind,
        "group": category.parent.name if category.parent else category.get_kind_display(),
    }


@endpoint
def service_list(request: HttpRequest, fmt: str, subdistrict: Subdistrict) -> HttpResponse:
    if request.method != "GET":
        raise Open311Error(405, _("Use GET."))
    categories = Category.objects.filter(active=True).select_related("parent").order_by("code")
    return render(fmt, "services", [_service(c) for c in categories])


def _attribute(field: CategoryField) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "variable": True,
        "code": field.key,
        "datatype": DATATYPES[CategoryField.Type(field.type)],
        "required": field.required,
        "datatype_description": _("A link (URL) to a photo.")
        if field.type == CategoryField.Type.PHOTO
        else field.help_text,
        "order": field.order,
        "description": field.label,
    }
    if field.type == CategoryField.Type.CHOICE:
        attribute["values"] = [
            {"key": c.get("key"), "name": c.get("name", c.get("key"))}
            if isinstance(c, dict)
            else {"key": str(c), "name": str(c)}
            for c in field.choices
        ]
    return attribute


@endpoint
def service_definition(
    request: HttpRequest, fmt: str, subdistrict: Subdistrict, code: str
) -> HttpResponse:
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code})
    return render(
        fmt,
        "service_definition",
        {
            "service_code": category.code,
            "attributes": [_attribute(f) for f in fields_of(category)],
        },
    )


# --- requests ----------------------------------------------------------------------------


def _status_notes(case: Case) -> str:
    if case.state == State.MERGED and case.merged_into is not None:
        return _("Merged into %(number)s.") % {"number": case.merged_into.number}
    return str(State(case.state).label)


def _request(case: Case, *, full: bool) -> dict[str, Any]:
    photo = next(iter(case.attachments.all()), None)
    return {
        "service_request_id": case.number,
        "status": "closed" if case.state in FINAL_STATES else "open",
        "status_notes": _status_notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description if full or case.category.public_display else "",
        "agency_responsible": str(case.lead_organisation) if case.lead_organisation else "",
        "service_notice": "",
        "requested_datetime": _stamp(case.received_at),
        "updated_datetime": _stamp(case.updated_at),
        "expected_datetime": _stamp(case.resolve_deadline or case.stage_deadline),
        "address": case.address,
        "address_id": "",
        "zipcode": "",
        "lat": case.lat if case.lat is not None else "",
        "long": case.lon if case.lon is not None else "",
        "media_url": photo.file.url if isinstance(photo, CaseAttachment) and full else "",
    }


def _visible(access: Access | None, subdistrict: Subdistrict) -> QuerySet[Case]:
    """What the public listing shows the key's holder (no key: anyone): staff every case,
    everyone else the cases of categories shown publicly (``rules.cases``)."""
    who = access if access is not None else Access.anonymous(subdistrict)
    return (
        Case.objects.visible_to(who, "list_publicly")
        .select_related("category", "lead_organisation", "merged_into")
        .prefetch_related("attachments")
    )


def _parse_moment(params: Any, name: str) -> dt.datetime | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    moment = parse_datetime(text.replace(" ", "+"))
    if moment is None:
        raise Open311Error(400, _("%(name)s must be a W3C date-time.") % {"name": name})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment


def _search(request: HttpRequest, access: Access | None, subdistrict: Subdistrict) -> list[Case]:
    params = request.GET
    cases = _visible(access, subdistrict)
    ids = [i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        # Asking by id ignores the other filters (GeoReport v2).
        return list(cases.filter(number__in=ids).order_by("-received_at"))
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        cases = cases.filter(category__code__in=codes)
    statuses = {s.strip() for s in (params.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open, closed or both."))
    if statuses == {"open"}:
        cases = cases.exclude(state__in=FINAL_STATES)
    elif statuses == {"closed"}:
        cases = cases.filter(state__in=FINAL_STATES)
    start = _parse_moment(params, "start_date")
    end = _parse_moment(params, "end_date")
    if start is None and end is None:
        start = clock.now() - DEFAULT_WINDOW
    if start is not None:
        cases = cases.filter(received_at__gte=start)
    if end is not None:
        cases = cases.filter(received_at__lte=end)
    return list(cases.order_by("-received_at", "-id")[:MAX_REQUESTS])


def _post(request: HttpRequest, fmt: str, subdistrict: Subdistrict) -> HttpResponse:
    access = _key_access(request, subdistrict, required=True)
    assert access is not None  # noqa: S101 - required=True raises instead
    data = request.POST
    code = (data.get("service_code") or "").strip()
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code})
    try:
        lat = float(data["lat"]) if data.get("lat") else None
        lon = float(data["long"]) if data.get("long") else None
    except ValueError:
        raise Open311Error(400, _("lat and long must be numbers.")) from None
    address = (data.get("address_string") or "").strip()
    if (lat is None or lon is None) and not address:
        raise Open311Error(400, _("Give a location: lat and long, or address_string."))
    extra = {
        key[len("attribute[") : -1]: value
        for key, value in data.items()
        if key.startswith("attribute[") and key.endswith("]")
    }
    # The citizen behind the app is the person the limit counts; their contact names them.
    citizen = (data.get("email") or data.get("phone") or data.get("device_id") or "").strip()
    person = f"open311:{throttle.hashed(citizen)}" if citizen else None
    if not public_report_allowed(request, person):
        raise Open311Error(429, str(REFUSED))
    name = " ".join(filter(None, [data.get("last_name", ""), data.get("first_name", "")]))
    # Text over a field's limit is refused (400, naming the field), never cut.
    report = intake.Report(
        category=category,
        channel="open311",
        description=data.get("description", ""),
        lon=lon,
        lat=lat,
        address=address,
        extra=extra,
        anonymous=True,
        contact=intake.Contact(
            name=name.strip(), phone=data.get("phone", ""), email=data.get("email", "")
        ),
    )
    case = intake.submit(report, actor=access)
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": case.number,
                "service_notice": _("Your report is registered as %(number)s.")
                % {"number": case.number},
                "account_id": "",
            }
        ],
        201,
    )


@endpoint
def request_list(request: HttpRequest, fmt: str, subdistrict: Subdistrict) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt, subdistrict)
    if request.method != "GET":
        raise Open311Error(405, _("Use GET or POST."))
    access = _key_access(request, subdistrict, required=False)
    full = access is not None and access.has_any(STAFF)
    return render(
        fmt,
        "service_requests",
        [_request(c, full=full) for c in _search(request, access, subdistrict)],
    )


@endpoint
def request_detail(
    request: HttpRequest, fmt: str, subdistrict: Subdistrict, request_id: str
) -> HttpResponse:
    access = _key_access(request, subdistrict, required=False)
    case = _visible(access, subdistrict).filter(number=request_id).first()
    if case is None:
        raise Open311Error(
            404, _("service_request_id “%(id)s” was not found.") % {"id": request_id}
        )
    full = access is not None and access.has_any(STAFF)
    return render(fmt, "service_requests", [_request(case, full=full)])


FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FORMAT, service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FORMAT, service_definition, name="service"),
    re_path(r"^requests" + FORMAT, request_list, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+?)" + FORMAT, request_detail, name="request"),
]
app_name = "open311"
