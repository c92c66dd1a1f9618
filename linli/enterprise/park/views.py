"""Park Assistant pages, phone-sized: the building manager's portal (notices with read receipts,
requests, the building's enterprises) and the enterprise's (its building's notices, what the
sub-centre offers, its requests). Every change goes through a verb of ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from linli.cases.forms import ExtraForm
from linli.core.access import Access
from linli.core.http import page_access, show_errors
from linli.core.roles import ADMINS
from linli.enterprise.park import offerings, queries, rules, services
from linli.enterprise.park.forms import DeclineForm, ForwardForm, NoticeForm, RequestForm
from linli.enterprise.park.models import BuildingRequest, Notice
from linli.registry.models import Building


def _access(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_use_portal(access))
    return access


def _building(access: Access, pk: int) -> Building:
    access.require(rules.is_manager(access))
    return get_object_or_404(rules.managed_buildings(access), pk=pk)


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
    notices = queries.with_read_counts(queries.addressed_notices(access)).select_related("building")
    read = set(Notice.objects.filter(receipts__user=access.user).values_list("pk", flat=True))
    building = next((e.building for e in enterprises if e.building is not None), None)
    return render(
        request,
        "park/member_home.html",
        {
            "enterprises": enterprises,
            "building": building,
            "notices": notices[:30],
            "read": read,
            "services": offerings.services_at(building),
            "resources": offerings.resources_at(building),
            "requests": BuildingRequest.objects.filter(enterprise__in=enterprises).select_related(
                "case"
            )[:30],
        },
    )


@login_required
def building(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    place = _building(access, pk)
    notices = queries.with_read_counts(Notice.objects.filter(building=place))
    requests = queries.building_requests(place)
    return render(
        request,
        "park/building.html",
        {
            "building": place,
            "notices": notices[:20],
            "open_requests": requests.filter(status=BuildingRequest.Status.OPEN).count(),
            "enterprise_count": place.enterprises.count(),
        },
    )


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
    item = get_object_or_404(
        queries.visible_notices(access).select_related("building", "published_by"), pk=pk
    )
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
    item = get_object_or_404(queries.managed_notices(access), pk=pk)
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
        {"building": place, "enterprises": queries.building_enterprises(place)},
    )


@login_required
def requests(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    place = _building(access, pk)
    return render(
        request,
        "park/requests.html",
        {
            "building": place,
            "requests": queries.building_requests(place)[:100],
            "cases": queries.building_cases(place)[:50],
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
    return get_object_or_404(
        BuildingRequest.objects.filter(building__in=rules.managed_buildings(access)).select_related(
            "building", "enterprise"
        ),
        pk=pk,
    )


@login_required
def request_forward(request: HttpRequest, pk: int) -> HttpResponse:
    access = _access(request)
    item = _managed_request(access, pk)
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
