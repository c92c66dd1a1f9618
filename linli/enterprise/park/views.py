"""Park Assistant pages, phone-sized: the building manager's portal (notices with read receipts,
requests, the building's enterprises) and the enterprise's (its building's notices, what the
sub-centre offers, its requests). Every change goes through a verb of ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linli.cases.forms import ExtraForm
from linli.core import clock
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import page_access, show_errors, xlsx_response
from linli.core.roles import ADMINS
from linli.core.spreadsheets import rows_to_xlsx
from linli.enterprise.park import offerings, queries, rules, services
from linli.enterprise.park.exports import notice_rows
from linli.enterprise.park.filters import NoticeFilter, RequestFilter
from linli.enterprise.park.forms import DeclineForm, ForwardForm, NoticeForm, RequestForm
from linli.enterprise.park.models import BuildingRequest, Notice
from linli.registry.models import Building

PAGE_SIZE = 25
# How many of the latest notices and requests the portal's front pages show (with a link to
# the whole list).
LATEST = 10


def _access(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_use_portal(access))
    return access


def _building(access: Access, pk: int) -> Building:
    access.require(rules.is_manager(access))
    return get_object_or_404(rules.managed_buildings(access), pk=pk)


def filter_refused(errors: dict[str, list[str]]) -> HttpResponse:
    """An export whose filters cannot be read is refused, as the API refuses them (never a
    file of everything)."""
    return HttpResponseBadRequest(
        "; ".join(f"{name}: {' '.join(messages_)}" for name, messages_ in errors.items())
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if not rules.is_manager(access):
        return _member_home(request, access)
    buildings = rules.managed_buildings(access).order_by("code")
    if not access.has_any(ADMINS) and buildings.count() == 1:
        building = buildings.first()
        assert building is not None  # noqa: S101 - counted
        return redirect("park:building", pk=building.pk)
    return render(request, "park/buildings.html", {"buildings": buildings})


def _member_home(request: HttpRequest, access: Access) -> HttpResponse:
    enterprises = list(rules.own_enterprises(access).select_related("building__subcentre"))
    notices = queries.notices_for(access)
    requests = queries.requests_for(access)
    building = next((e.building for e in enterprises if e.building is not None), None)
    return render(
        request,
        "park/member_home.html",
        {
            "enterprises": enterprises,
            "building": building,
            "notices": notices[:LATEST],
            "notice_count": notices.count(),
            "read": queries.read_by(access),
            "services": offerings.services_at(building),
            "resources": offerings.resources_at(building),
            "requests": requests[:LATEST],
            "request_count": requests.count(),
        },
    )


@login_required
def building(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    place = _building(access, pk)
    notices = queries.notices_for(access, "manage").filter(building=place)
    requests = queries.requests_for(access, "manage").filter(building=place)
    return render(
        request,
        "park/building.html",
        {
            "building": place,
            "notices": notices[:LATEST],
            "notice_count": notices.count(),
            "open_requests": requests.filter(status=BuildingRequest.Status.OPEN).count(),
            "enterprise_count": queries.building_enterprises(access, place).count(),
        },
    )


def _filtered_notices(access: Access, request: HttpRequest) -> tuple[Any, Any, Any]:
    """The notices of the list page and its export: the person's, narrowed by the filters of
    the query string (the API's ``NoticeFilter``)."""
    filters, errors = from_query(NoticeFilter, request.GET)
    found = filters.apply(queries.notices_for(access))
    # A filter that cannot be read narrows to nothing (the API answers 422).
    return (found.none() if errors else found), filters, errors


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """Every notice one may read: a manager's with how many enterprises read each, a member's
    with whether they read it."""
    access = _access(request)
    found, filters, errors = _filtered_notices(access, request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "park/notices.html",
        {
            "page": page,
            "filters": filters,
            "errors": errors,
            "buildings": rules.managed_buildings(access).order_by("code"),
            "read": queries.read_by(access),
            "manager": rules.is_manager(access),
            "query": _query_without_page(request),
        },
    )


@login_required
def notices_export(request: HttpRequest) -> HttpResponse:
    """The list's notices (same filters) in Excel, with how many enterprises read each."""
    access = _access(request)
    found, _filters, errors = _filtered_notices(access, request)
    if errors:
        return filter_refused(errors)
    content = rows_to_xlsx(_("Notices"), notice_rows(found))
    return xlsx_response(content, f"notices-{clock.today().isoformat()}.xlsx")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """Every request one may read: to the buildings one manages, or of one's own enterprise."""
    access = _access(request)
    filters, errors = from_query(RequestFilter, request.GET)
    found = filters.apply(queries.requests_for(access))
    if errors:
        found = found.none()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "park/request_list.html",
        {
            "page": page,
            "filters": filters,
            "errors": errors,
            "statuses": BuildingRequest.Status.choices,
            "handleable": _handleable(access, page.object_list),
            "query": _query_without_page(request),
        },
    )


def _handleable(access: Access, items: Any) -> set[int]:
    """The requests of ``items`` the person may forward or answer now."""
    return {item.pk for item in items if rules.request_actions(access, item)}


@login_required
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    place = _building(access, pk)
    form = NoticeForm(request.POST or None, building=place)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.publish_notice(
                place,
                actor=access,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                enterprise_ids=form.chosen_enterprise_ids(),
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The notice is published."))
            return redirect("park:notice", pk=notice.pk)
    return render(request, "park/notice_form.html", {"building": place, "form": form})


@login_required
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager sees who has read it; a recipient reads it (which records the receipt)."""
    access = _access(request)
    item = get_object_or_404(queries.notices_for(access).select_related("published_by"), pk=pk)
    if rules.may_manage(access, item.building):
        rows = queries.receipts_by_enterprise(item)
        return render(
            request,
            "park/notice_receipts.html",
            {
                "notice": item,
                "rows": rows,
                "read_count": sum(1 for r in rows if r.read),
                "unread_people": sum(len(r.unread) for r in rows),
            },
        )
    receipt = services.open_notice(item, actor=access)
    return render(request, "park/notice.html", {"notice": item, "receipt": receipt})


@login_required
@require_POST
def notice_remind(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    access.require(rules.is_manager(access))
    item = get_object_or_404(Notice.objects.visible_to(access, "manage"), pk=pk)
    try:
        count = services.remind_unread(item, actor=access)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s person was reminded in their inbox.",
                "%(n)s people were reminded in their inbox.",
                count,
            )
            % {"n": count},
        )
    return redirect("park:notice", pk=item.pk)


@login_required
def enterprises(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    place = _building(access, pk)
    return render(
        request,
        "park/enterprises.html",
        {"building": place, "enterprises": queries.building_enterprises(access, place)},
    )


@login_required
def requests(request: HttpRequest, pk: int) -> HttpResponse:
    """The building's requests (the API's ``RequestFilter``, the building fixed) and cases."""
    access = _access(request)
    place = _building(access, pk)
    filters, errors = from_query(RequestFilter, request.GET)
    found = filters.apply(queries.requests_for(access, "manage").filter(building=place))
    if errors:
        found = found.none()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    cases = queries.building_cases(place)
    return render(
        request,
        "park/requests.html",
        {
            "building": place,
            "page": page,
            "filters": filters,
            "errors": errors,
            "statuses": BuildingRequest.Status.choices,
            "handleable": _handleable(access, page.object_list),
            "query": _query_without_page(request),
            "cases": cases[:LATEST],
            "case_count": cases.count(),
        },
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    own = rules.own_enterprises(access).order_by("name")
    access.require(own.exists())
    form = RequestForm(request.POST or None, enterprises=own)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_request(
                form.cleaned_data["enterprise"],
                actor=access,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Your request was sent to the building manager."))
            return redirect("park:home")
    return render(request, "park/request_form.html", {"form": form})


def _managed_request(access: Access, pk: int) -> BuildingRequest:
    access.require(rules.is_manager(access))
    return get_object_or_404(queries.requests_for(access, "manage"), pk=pk)


def _handled_already(request: HttpRequest, access: Access, item: BuildingRequest) -> bool:
    """Say so when the request is no longer the person's to forward or answer."""
    if rules.request_actions(access, item):
        return False
    messages.warning(request, _("This request has already been handled."))
    return True


@login_required
def request_forward(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    item = _managed_request(access, pk)
    if _handled_already(request, access, item):
        return redirect("park:requests", pk=item.building_id)
    form = ForwardForm(request.POST or None)
    extra = ExtraForm(form.categories.get(request.POST.get("category", "")), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.forward_request(
                item,
                actor=access,
                category=form.chosen_category(),
                note=form.cleaned_data["note"],
                extra=extra.values(),
            )
        except ValidationError as exc:
            show_errors(exc, form, extra)
        else:
            messages.success(
                request, _("The request is now case %(number)s.") % {"number": case.number}
            )
            return redirect("park:requests", pk=item.building_id)
    return _forward_page(request, item, form, extra, DeclineForm())


def _forward_page(
    request: HttpRequest,
    item: BuildingRequest,
    form: ForwardForm,
    extra: ExtraForm,
    decline: DeclineForm,
) -> HttpResponse:
    # The category's own questions come from the cases app's intake endpoint, as on its form.
    form.fields["category"].widget.attrs.update(
        {
            "hx-get": reverse("cases:fields") + "?variant=building",
            "hx-target": "#extra-fields",
            "hx-trigger": "change",
        }
    )
    return render(
        request,
        "park/request_forward.html",
        {
            "item": item,
            "form": form,
            "extra": extra,
            "category": form.categories.get(request.POST.get("category", "")),
            "decline": decline,
        },
    )


@login_required
@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    item = _managed_request(access, pk)
    if _handled_already(request, access, item):
        return redirect("park:requests", pk=item.building_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_request(item, actor=access, reply=form.cleaned_data["reply"])
        except ValidationError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("The enterprise has your answer."))
            return redirect("park:requests", pk=item.building_id)
    return _forward_page(request, item, ForwardForm(), ExtraForm(None), form)
