"""One case's page: whole, with its actions, for whoever works on it; in plain words for its
reporters. Its files and its reporters' phone numbers (for the callback)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from linli.cases import actions, replies, rules, services
from linli.cases.duplicates import duplicates_of
from linli.cases.extra import fields_of
from linli.cases.forms import ACTION_FORMS, ActionForm, RatingForm, category_label
from linli.cases.models import Case, CaseAttachment, CaseEvent, CategoryField, State
from linli.cases.personal_data import may_unmask_reporter_phone
from linli.cases.places import Gazetteer
from linli.cases.presenting import ACTION_LABELS, STATE_TONES, reporter_timeline, staff_timeline
from linli.core.access import Access
from linli.core.http import is_htmx, page_access, uploaded_file
from linli.core.services import unmask_value


def visible_case(access: Access, number: str) -> Case:
    """The case of ``number`` if ``access`` may see it (404 otherwise)."""
    return get_object_or_404(
        Case.objects.visible_to(access).select_related(
            "category__parent",
            "lead_organisation",
            "assignee",
            "grid",
            "quarter",
            "building",
            "enterprise",
            "routed_organisation",
            "routing_rule",
            "merged_into",
        ),
        number=number,
    )


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    access = page_access(request)
    case = visible_case(access, number)
    if rules.works_on(access, case):
        return staff_page(request, access, case)
    return reporter_page(request, case, access=access)


def extra_rows(case: Case) -> list[tuple[str, Any]]:
    rows = []
    for spec in fields_of(case.category):
        value = case.extra.get(spec.key)
        if value in (None, "", []) or spec.type == CategoryField.Type.PHOTO:
            continue
        if spec.type == CategoryField.Type.CHOICE:
            names = {
                str(c.get("key")): c.get("name", c.get("key"))
                for c in spec.choices
                if isinstance(c, dict)
            }
            value = names.get(str(value), value)
        rows.append((spec.label, value))
    return rows


def place_words(case: Case) -> str:
    """Where the case is, in words, when no address, quarter or building says it: the point
    named from the registry as the reporting form names a pin (the map shows the point)."""
    if case.lon is None or case.lat is None or case.address or case.quarter or case.building:
        return ""
    return Gazetteer().describe(case.lon, case.lat).words


def point_layers(case: Case) -> list[dict[str, Any]]:
    """The case map's layers: the case's grid and its point (none when it has no point)."""
    if case.lon is None or case.lat is None:
        return []
    layers = []
    polygon = case.grid.polygon if case.grid is not None else None
    if isinstance(polygon, dict) and polygon.get("type"):
        layers.append(
            {
                "id": "grids",
                "title": str(case.grid),
                "geometry": "polygon",
                "data": polygon
                if polygon["type"] in ("Feature", "FeatureCollection")
                else {"type": "Feature", "properties": {}, "geometry": polygon},
            }
        )
    layers.append(
        {
            "id": "case",
            "title": case.number,
            "geometry": "point",
            "data": {
                "type": "Feature",
                "properties": {"name": case.title},
                "geometry": {"type": "Point", "coordinates": [case.lon, case.lat]},
            },
        }
    )
    return layers


def staff_page(
    request: HttpRequest,
    access: Access,
    case: Case,
    failed: tuple[str, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole case, with a form for each action ``access`` may take now: the actions the
    API lists too, and the verbs accept (``actions.allowed_actions``)."""
    events = list(CaseEvent.objects.filter(case=case).select_related("actor", "organisation"))
    attachments = list(case.attachments.order_by("uploaded_at", "id"))
    offered = []
    allowed = actions.allowed_actions(access, case)
    for action in actions.combined_actions(access, case, allowed) + allowed:
        if failed is not None and failed[0] == action:
            form = failed[1]
        else:
            form = ACTION_FORMS[action](case=case, access=access, auto_id=f"id_{action}_%s")
        fills = replies.filled_field(action)
        offered.append(
            {
                "name": action,
                "label": ACTION_LABELS[action],
                "form": form,
                "fills": fills if fills in form.fields else "",
                "replies": replies.quick_replies(case, action),
                # A new case's one-step form is what the dispatcher came for.
                "open": failed[0] == action if failed is not None else action in actions.COMBINED,
                "multipart": action in ("submit_for_verification", "verify"),
            }
        )
    reporters = list(case.reporters.select_related("user", "from_case"))
    mergeable = "merge" in [a["name"] for a in offered]
    return render(
        request,
        "cases/detail_staff.html",
        {
            "case": case,
            "category_name": category_label(case.category),
            "lines": staff_timeline(events, attachments),
            "actions": offered,
            "reporters": reporters,
            "may_unmask": any(may_unmask_reporter_phone(access, r) for r in reporters),
            "co_handlers": list(case.co_handlers.select_related("organisation")),
            "photos": attachments,
            "point_layers": point_layers(case),
            "place_words": place_words(case),
            "duplicates": duplicates_of(case) if case.is_open else [],
            "mergeable": mergeable,
            "overdue": case.is_overdue,
            "tone": STATE_TONES.get(case.state, ""),
            "extra_rows": extra_rows(case),
            "file_url": reverse("cases:detail", kwargs={"number": case.number}) + "files/",
        },
        status=status,
    )


def reporter_page(
    request: HttpRequest,
    case: Case,
    *,
    access: Access,
    token: str = "",
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case in plain words for a reporter (signed in, or following a secret link)."""
    events = list(CaseEvent.objects.filter(case=case).select_related("organisation"))
    reporter = services.reporter_of(case, access, token)
    rating = services.rating_of(case, reporter) if reporter is not None else None
    may_rate = reporter is not None and case.state == State.CLOSED and rating is None
    attachments = list(case.attachments.order_by("uploaded_at", "id"))
    if token:
        file_url = reverse("cases:track", kwargs={"token": token}) + "files/"
    else:
        file_url = reverse("cases:detail", kwargs={"number": case.number}) + "files/"
    return render(
        request,
        "cases/detail_reporter.html",
        {
            "case": case,
            "category_name": category_label(case.category),
            "lines": reporter_timeline(case, events),
            "rating": rating,
            "rating_form": rating_form or (RatingForm() if may_rate else None),
            "rate_url": reverse("cases:track", kwargs={"token": token})
            if token
            else reverse("cases:rate", kwargs={"number": case.number}),
            "attachments": attachments,
            "file_url": file_url,
            "tone": STATE_TONES.get(case.state, ""),
            "token": token,
            "place_words": place_words(case),
            "extra_rows": extra_rows(case),
        },
        status=status,
    )


@login_required
def case_file(request: HttpRequest, number: str, pk: int) -> FileResponse:
    access = page_access(request)
    case = visible_case(access, number)
    attachment = get_object_or_404(CaseAttachment, case=case, pk=pk)
    return uploaded_file(attachment.file, attachment.content_type)


@login_required
@require_POST
def reporter_phone(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A reporter's mobile in full, for those who call reporters back; every look is audited."""
    access = page_access(request)
    case = visible_case(access, number)
    get_object_or_404(case.reporters.all(), pk=pk)
    value = unmask_value(access, kind="phone", model="cases.casereporter", pk=pk)
    if is_htmx(request):
        return HttpResponse(value)
    return JsonResponse({"value": value})
