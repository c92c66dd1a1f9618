"""Intake pages: the web form for everyone, staff entry of hotline calls, phone calls and
walk-ins, the grid worker's patrol report and the building manager's report; fetched while
someone fills the form in: the pin's place in words with the public reports around it, the
categories matching what they type, the category's own questions and the open cases of the
category nearby.

Every form starts from the place, then what it is about, then the details and the photos (one
field: a category's photo question takes the photos of that field)."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.cases import category_search, intake, public_map, rules
from linli.cases.attachments import Photo
from linli.cases.duplicates import nearby, radius_and_window
from linli.cases.extra import clean_extra
from linli.cases.forms import (
    BUILDING,
    PATROL,
    STAFF_ENTRY,
    STAFF_ENTRY_CHANNELS,
    WEB,
    ExtraForm,
    IntakeForm,
    category_label,
)
from linli.cases.intake_limits import REFUSED, public_report_allowed
from linli.cases.models import Case, CaseAttachment, Category, Channel
from linli.cases.places import Gazetteer
from linli.cases.views.reporter import TRACKING_SESSION_KEY
from linli.core.access import Access
from linli.core.http import page_access, show_errors
from linli.core.models import Subdistrict

INTAKE_ERROR_ALIASES = {"lon": "address", "contact.email": "contact_email"}


VARIANTS: dict[str, dict[str, Any]] = {
    WEB: {"title": gettext_lazy("Report a problem"), "url": "cases:report"},
    STAFF_ENTRY: {"title": gettext_lazy("Hotline, phone and walk-in entry"), "url": "cases:intake"},
    PATROL: {"title": gettext_lazy("Patrol report"), "url": "cases:patrol"},
    BUILDING: {"title": gettext_lazy("Report for my building"), "url": "cases:building_report"},
}


def may_use(access: Access, variant: str) -> bool:
    if variant == STAFF_ENTRY:
        return any(rules.may_submit(access, c) for c in STAFF_ENTRY_CHANNELS)
    if variant == PATROL:
        return rules.may_submit(access, Channel.GRID_PATROL)
    if variant == BUILDING:
        return rules.may_submit(access, Channel.BUILDING_MANAGER)
    return True


def _subdistrict(access: Access) -> Subdistrict:
    assert access.subdistrict is not None  # noqa: S101 - page_access checked it
    return access.subdistrict


def _boundary(access: Access) -> Any:
    return _subdistrict(access).boundary


def _place_of(form: IntakeForm) -> str:
    """The pin of a form shown again, in words."""
    lon, lat = _coordinate(form["lon"].value()), _coordinate(form["lat"].value())
    if lon is None or lat is None:
        return ""
    return Gazetteer().describe(lon, lat).words


def _intake(request: HttpRequest, variant: str) -> HttpResponse:
    access = page_access(request)
    access.require(may_use(access, variant))
    # Without JavaScript, "show the questions" posts the form only to see the category's fields.
    posting = request.method == "POST" and "show_fields" not in request.POST
    data = request.POST if posting else None
    files = request.FILES if posting else None
    if request.method == "POST":
        initial = request.POST.dict()
    else:
        initial = {"category": request.GET.get("category", "")}
    form = IntakeForm(data, files, access=access, variant=variant, initial=initial)
    if request.method != "POST":
        _preselect_channel(form, request.GET.get("channel", ""))
    form.fields["category"].widget.attrs.update(
        {
            "hx-get": reverse("cases:fields") + f"?variant={variant}",
            "hx-target": "#extra-fields",
            "hx-trigger": "change",
        }
    )
    category = form.chosen_category()
    extra = ExtraForm(category, data, files, initial=initial, with_photos=False)
    # A category's photo question is answered by the form's photo field.
    aliases = {**INTAKE_ERROR_ALIASES, f"extra.{extra.photo_key}": "photos"}
    status = 200
    if posting:
        valid = form.is_valid()
        if extra.is_valid() and not valid and category is not None:
            # The category's own questions are checked too, so every problem shows at once.
            given = (
                {extra.photo_key} if extra.photo_key and request.FILES.getlist("photos") else set()
            )
            try:
                clean_extra(category, extra.values(), photo_keys=given)
            except ValidationError as exc:
                show_errors(exc, extra, form, aliases=aliases)
        elif extra.is_valid() and valid and _over_limit(request, variant):
            form.add_error(None, REFUSED)
            status = 429
        elif extra.is_valid() and valid:
            try:
                case = _submit(access, form, extra, category)
            except ValidationError as exc:
                show_errors(exc, form, extra, aliases=aliases)
            else:
                if case.tracking_token:
                    request.session[TRACKING_SESSION_KEY] = {
                        "number": case.number,
                        "token": case.tracking_token,
                    }
                return redirect("cases:submitted", number=case.number)
    context = {
        "form": form,
        "extra": extra,
        "category": category,
        "variant": variant,
        "title": VARIANTS[variant]["title"],
        "action_url": reverse(VARIANTS[variant]["url"]),
        "boundary": _boundary(access),
        "place": _place_of(form),
        "public_map_on": public_map.is_on(_subdistrict(access)),
        "other_forms": [
            (reverse(spec["url"]), spec["title"])
            for key, spec in VARIANTS.items()
            if key != variant and may_use(access, key) and key != WEB
        ],
    }
    return render(request, "cases/report.html", context, status=status)


def _over_limit(request: HttpRequest, variant: str) -> bool:
    """Residents' reports are limited per person and address; staff and patrol forms are not."""
    return variant == WEB and not public_report_allowed(request, f"user:{request.user.pk}")


def _preselect_channel(form: IntakeForm, channel: str) -> None:
    """A link may say how the case comes in (the catalog's "Enter at the window": walk-in).
    Only a channel the form offers this person is taken; anything else is ignored."""
    field = form.fields.get("channel")
    if isinstance(field, forms.ChoiceField) and field.valid_value(channel):
        form.initial["channel"] = channel


def _submit(access: Access, form: IntakeForm, extra: ExtraForm, category: Category | None) -> Case:
    if category is None:
        raise ValidationError({"category": [_("Choose what the problem is about.")]})
    data = form.cleaned_data
    photos = [
        Photo(f, CaseAttachment.Kind.PHOTO, extra.photo_key) for f in data.get("photos") or []
    ]
    report = intake.Report(
        category=category,
        channel=form.chosen_channel,
        description=data["description"],
        title=data.get("title") or "",
        lon=data.get("lon"),
        lat=data.get("lat"),
        address=data.get("address") or "",
        building=data.get("building"),
        enterprise=data.get("enterprise") or data.get("enterprise_code"),
        extra=extra.values(),
        photos=photos,
        contact=intake.Contact(
            name=data.get("contact_name") or "",
            phone=data.get("contact_phone") or "",
            email=data.get("contact_email") or "",
        ),
        anonymous=bool(data.get("anonymous")),
        keep_location=bool(data.get("keep_location")),
    )
    return intake.submit(report, actor=access)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    return _intake(request, WEB)


@login_required
def staff_intake(request: HttpRequest) -> HttpResponse:
    return _intake(request, STAFF_ENTRY)


@login_required
def patrol(request: HttpRequest) -> HttpResponse:
    return _intake(request, PATROL)


@login_required
def building_report(request: HttpRequest) -> HttpResponse:
    return _intake(request, BUILDING)


@login_required
def category_fields(request: HttpRequest) -> HttpResponse:
    """The chosen category's extra fields (htmx swaps them into the intake form)."""
    access = page_access(request)
    code = request.GET.get("category", "")
    category = Category.objects.filter(code=code, active=True).first() if code else None
    variant = request.GET.get("variant", WEB)
    return render(
        request,
        "cases/_extra_fields.html",
        {
            "extra": ExtraForm(category, with_photos=False),
            "category": category,
            "variant": variant if variant in VARIANTS else WEB,
            "access": access,
        },
    )


def _coordinate(value: Any) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and math.isfinite(number) else None


@login_required
def category_search_hits(request: HttpRequest) -> HttpResponse:
    """The categories the form offers this person that match what they typed."""
    access = page_access(request)
    variant = request.GET.get("variant", WEB)
    variant = variant if variant in VARIANTS else WEB
    access.require(may_use(access, variant))
    query = request.GET.get("q", "")
    offered = list(IntakeForm(access=access, variant=variant).categories.values())
    return render(
        request,
        "cases/_category_hits.html",
        {
            "hits": [
                (hit, category_label(hit.category), category_label(hit.category.parent))
                for hit in category_search.find(offered, query)
            ],
            "query": query.strip(),
        },
    )


@login_required
def nearby_reports(request: HttpRequest) -> HttpResponse:
    """The pin in words, and the open public reports around it (when the sub-district shows
    its reports publicly): "is it one of these?"."""
    access = page_access(request)
    subdistrict = _subdistrict(access)
    lon, lat = _coordinate(request.GET.get("lon")), _coordinate(request.GET.get("lat"))
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return render(request, "cases/_nearby.html", {"place": None})
    shown = public_map.is_on(subdistrict)
    found = (
        public_map.reports(
            subdistrict, public_map.PublicReportFilter(category="", status="", lon=lon, lat=lat)
        )
        if shown
        else []
    )
    return render(
        request,
        "cases/_nearby.html",
        {
            "place": Gazetteer().describe(lon, lat),
            "shown": shown,
            "found": found,
            "radius": public_map.NEARBY_M,
            "subdistrict": subdistrict,
        },
    )


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """Open cases of the category near the pin, reported lately: maybe it is known already."""
    access = page_access(request)
    code = request.GET.get("category", "")
    category = Category.objects.filter(code=code).first() if code else None
    lon, lat = _coordinate(request.GET.get("lon")), _coordinate(request.GET.get("lat"))
    found = []
    if category is not None and lon is not None and lat is not None:
        found = nearby(access, category, lon, lat)
    radius, days = radius_and_window(category) if category else (0, 0)
    return render(
        request,
        "cases/_duplicates.html",
        {"found": found, "category": category, "radius": radius, "days": days},
    )
