"""Case pages: intake from every channel, the staff workbench, one case with its timeline and
its actions, the reporter's view and secret tracking link, the map and the metrics.

Every change goes through a verb of ``services``; a refused transition comes back as a message
on the case page, a bad input as errors on the form that sent it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from linli.cases import metrics, rules, services
from linli.cases.duplicates import duplicates_of, find_duplicates, radius_and_window
from linli.cases.extra import clean_extra, fields_of
from linli.cases.forms import (
    ACTION_FORMS,
    BUILDING,
    PATROL,
    STAFF_ENTRY,
    STAFF_ENTRY_CHANNELS,
    WEB,
    ActionForm,
    BulkDispatchForm,
    ExtraForm,
    IntakeForm,
    RatingForm,
    category_label,
)
from linli.cases.map_layers import case_layers
from linli.cases.models import (
    FINAL_STATES,
    Case,
    CaseAttachment,
    CaseEvent,
    Category,
    CategoryField,
    Channel,
    CoHandler,
    State,
)
from linli.cases.personal_data import may_unmask_reporter_phone
from linli.cases.presenting import (
    ACTION_LABELS,
    EVENT_LABELS,
    STATE_TONES,
    reporter_timeline,
    staff_timeline,
)
from linli.cases.queues import QUEUES, apply_queue, ordered
from linli.cases.workflow import InvalidTransition, allowed_actions
from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.http import htmx_partial, is_htmx, page_access, show_errors, xlsx_response
from linli.core.models import Organisation
from linli.core.roles import STAFF, Role
from linli.core.services import unmask_value
from linli.registry.models import Grid

PAGE_SIZE = 25
TRACKING_SESSION_KEY = "cases_tracking_link"
INTAKE_ERROR_ALIASES = {"lon": "address", "contact.email": "contact_email"}


def _cases(access: Access) -> QuerySet[Case]:
    return rules.visible(access, Case.objects.all())


def _case(access: Access, number: str) -> Case:
    return get_object_or_404(
        _cases(access).select_related(
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


# --- intake ------------------------------------------------------------------------------

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


def _boundary(access: Access) -> Any:
    assert access.subdistrict is not None  # noqa: S101 - page_access checked it
    return access.subdistrict.boundary


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
    extra = ExtraForm(category, data, files, initial=initial)
    if posting:
        valid = form.is_valid()
        if extra.is_valid() and not valid and category is not None:
            # The category's own questions are checked too, so every problem shows at once.
            try:
                clean_extra(category, extra.values(), photo_keys=extra.photo_files().keys())
            except ValidationError as exc:
                show_errors(exc, extra)
        elif extra.is_valid() and valid:
            try:
                case = _submit(access, form, extra, category)
            except ValidationError as exc:
                show_errors(exc, form, extra, aliases=INTAKE_ERROR_ALIASES)
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
        "other_forms": [
            (reverse(spec["url"]), spec["title"])
            for key, spec in VARIANTS.items()
            if key != variant and may_use(access, key) and key != WEB
        ],
    }
    return render(request, "cases/report.html", context)


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
    photos = [services.Photo(f) for f in data.get("photos") or []]
    for key, uploads in extra.photo_files().items():
        photos += [services.Photo(f, CaseAttachment.Kind.PHOTO, key) for f in uploads]
    enterprise = data.get("enterprise") or data.get("enterprise_code")
    return services.submit_case(
        actor=access,
        category=category,
        channel=form.chosen_channel,
        description=data["description"],
        title=data.get("title") or "",
        lon=data.get("lon"),
        lat=data.get("lat"),
        address=data.get("address") or "",
        building=data.get("building"),
        enterprise=enterprise,
        extra=extra.values(),
        photos=photos,
        contact=services.Contact(
            name=data.get("contact_name") or "",
            phone=data.get("contact_phone") or "",
            email=data.get("contact_email") or "",
        ),
        anonymous=bool(data.get("anonymous")),
        keep_location=bool(data.get("keep_location")),
    )


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
            "extra": ExtraForm(category),
            "category": category,
            "variant": variant if variant in VARIANTS else WEB,
            "access": access,
        },
    )


def _coordinate(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """Open cases of the category near the pin, reported lately: maybe it is known already."""
    access = page_access(request)
    code = request.GET.get("category", "")
    category = Category.objects.filter(code=code).first() if code else None
    lon, lat = _coordinate(request.GET.get("lon")), _coordinate(request.GET.get("lat"))
    found = []
    if category is not None and lon is not None and lat is not None:
        candidates = find_duplicates(category, lon, lat)
        visible = set(
            _cases(access)
            .filter(pk__in=[c.case.pk for c in candidates])
            .values_list("pk", flat=True)
        )
        for candidate in candidates:
            mine = candidate.case.pk in visible
            if mine or category.public_display:
                found.append({"candidate": candidate, "visible": mine})
    radius, days = radius_and_window(category) if category else (0, 0)
    return render(
        request,
        "cases/_duplicates.html",
        {"found": found, "category": category, "radius": radius, "days": days},
    )


@login_required
def submitted(request: HttpRequest, number: str) -> HttpResponse:
    access = page_access(request)
    held = request.session.get(TRACKING_SESSION_KEY) or {}
    token = held.get("token", "") if held.get("number") == number else ""
    if token:
        # Shown once: the page keeps no copy of the secret link.
        del request.session[TRACKING_SESSION_KEY]
        case = services.case_for_tracking_token(token)
        if case is None:
            raise Http404
    else:
        case = _case(access, number)
    link = (
        request.build_absolute_uri(reverse("cases:track", kwargs={"token": token})) if token else ""
    )
    return render(request, "cases/submitted.html", {"case": case, "tracking_link": link})


# --- the reporter's side -----------------------------------------------------------------


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    assert access.user is not None  # noqa: S101 - signed in
    # Reported by them; for a building manager also those their committee handles.
    mine = Q(reporters__user=access.user)
    if not access.has_any(STAFF) and (working := rules.working_organisations(access)):
        mine |= Q(lead_organisation_id__in=working)
    cases = (
        Case.objects.filter(pk__in=Case.objects.filter(mine).values("pk"))
        .select_related("category", "lead_organisation")
        .order_by("-received_at", "-id")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rated = set(
        CaseEvent.objects.filter(
            case__in=[c.pk for c in page.object_list], action="rate", actor=access.user
        ).values_list("case_id", flat=True)
    )
    return render(
        request,
        "cases/mine.html",
        {"page": page, "rated": rated, "tones": STATE_TONES, "now": clock.now()},
    )


def _reporter_page(
    request: HttpRequest,
    case: Case,
    *,
    access: Access,
    token: str = "",
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
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
            "extra_rows": _extra_rows(case),
        },
        status=status,
    )


def track(request: HttpRequest, token: str) -> HttpResponse:
    """The secret tracking link of a reporter without an account; it can also rate."""
    with scopes_disabled():
        case = services.case_for_tracking_token(token)
    if case is None:
        raise Http404
    with scope(subdistrict=case.subdistrict):
        access = Access.anonymous(case.subdistrict)
        form = None
        if request.method == "POST":
            form = RatingForm(request.POST)
            # A refusal is shown on the page itself: this visitor has no page to go back to.
            if form.is_valid() and _rate(request, case, access, form, token=token) == "rated":
                return redirect("cases:track", token=token)
        return _reporter_page(request, case, access=access, token=token, rating_form=form)


def track_file(request: HttpRequest, token: str, pk: int) -> FileResponse:
    with scopes_disabled():
        case = services.case_for_tracking_token(token)
        if case is None:
            raise Http404
        attachment = get_object_or_404(CaseAttachment, case=case, pk=pk)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


def _rate(
    request: HttpRequest, case: Case, access: Access, form: RatingForm, *, token: str = ""
) -> str:
    """Rate through the verb: "rated", "refused" (a message says why) or "invalid" (the form
    shows why)."""
    try:
        services.rate_case(
            case,
            actor=access,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
            token=token,
        )
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return "refused"
    except ValidationError as exc:
        show_errors(exc, form)
        return "invalid"
    messages.success(request, _("Thank you for rating how your case was handled."))
    return "rated"


@login_required
@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    access = page_access(request)
    case = _case(access, number)
    form = RatingForm(request.POST)
    if form.is_valid() and _rate(request, case, access, form) != "invalid":
        return redirect("cases:detail", number=number)
    return _reporter_page(request, case, access=access, rating_form=form)


# --- one case ----------------------------------------------------------------------------


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    access = page_access(request)
    case = _case(access, number)
    if works_on(access, case):
        return _staff_page(request, access, case)
    return _reporter_page(request, case, access=access)


def works_on(access: Access, case: Case) -> bool:
    """Staff, and whoever handles the case (a building manager for their committee)."""
    return access.has_any(STAFF) or rules.is_handler(access, case)


def _extra_rows(case: Case) -> list[tuple[str, Any]]:
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


def canned_replies(case: Case) -> list[str]:
    replies: list[str] = []
    for node in case.category.lineage():
        replies += [str(r) for r in node.canned_replies or [] if str(r) not in replies]
    return replies


def _allowed(access: Access, case: Case) -> list[str]:
    moves = [a for a in allowed_actions(case.state) if rules.may(access, a, case)]
    if "complete_co_handling" in moves and not any(
        rules.may_complete_co_handling(access, c)
        for c in case.co_handlers.filter(state=CoHandler.Progress.PENDING)
    ):
        moves.remove("complete_co_handling")
    return moves


def _staff_page(
    request: HttpRequest,
    access: Access,
    case: Case,
    failed: tuple[str, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    events = list(CaseEvent.objects.filter(case=case).select_related("actor", "organisation"))
    attachments = list(case.attachments.order_by("uploaded_at", "id"))
    actions = []
    for action in _allowed(access, case):
        if failed is not None and failed[0] == action:
            form = failed[1]
        else:
            form = ACTION_FORMS[action](case=case, access=access, auto_id=f"id_{action}_%s")
        actions.append(
            {
                "name": action,
                "label": ACTION_LABELS[action],
                "form": form,
                "canned": "note" in form.fields,
                "open": failed is not None and failed[0] == action,
                "multipart": action in ("submit_for_verification", "verify"),
            }
        )
    reporters = list(case.reporters.select_related("user", "from_case"))
    now = clock.now()
    mergeable = "merge" in [a["name"] for a in actions]
    return render(
        request,
        "cases/detail_staff.html",
        {
            "case": case,
            "category_name": category_label(case.category),
            "lines": staff_timeline(events, attachments),
            "actions": actions,
            "canned": canned_replies(case),
            "reporters": reporters,
            "may_unmask": any(may_unmask_reporter_phone(access, r) for r in reporters),
            "co_handlers": list(case.co_handlers.select_related("organisation")),
            "intake_photos": [a for a in attachments if a.event_id is None or a.kind == "photo"],
            "duplicates": duplicates_of(case) if case.is_open else [],
            "mergeable": mergeable,
            "overdue": bool(
                case.stage_deadline and case.paused_since is None and case.stage_deadline < now
            ),
            "tone": STATE_TONES.get(case.state, ""),
            "extra_rows": _extra_rows(case),
            "file_url": reverse("cases:detail", kwargs={"number": case.number}) + "files/",
        },
        status=status,
    )


def run_action(access: Access, case: Case, action: str, data: dict[str, Any]) -> Any:
    """Call the verb of ``action`` with a form's cleaned data."""
    s = services
    note = data.get("note", "")
    reason = data.get("reason", "")
    if action == "register":
        return s.register_case(case, actor=access, note=note)
    if action == "reject":
        return s.reject_case(case, actor=access, reason=reason, note=note)
    if action == "dispatch":
        return s.dispatch_case(case, data["organisation"], actor=access, note=note)
    if action in ("accept", "start_handling", "resume", "close"):
        noted = {
            "accept": s.accept_case,
            "start_handling": s.start_handling,
            "resume": s.resume_case,
            "close": s.close_case,
        }[action]
        return noted(case, actor=access, note=note)
    if action in ("return", "deny_extension", "rework", "reopen", "register_long_term"):
        reasoned = {
            "return": s.return_case,
            "deny_extension": s.deny_extension,
            "rework": s.rework_case,
            "reopen": s.reopen_case,
            "register_long_term": s.register_long_term,
        }[action]
        return reasoned(case, actor=access, reason=reason)
    if action == "wait_for_reporter":
        return s.wait_for_reporter(case, actor=access, note=note)
    if action == "request_extension":
        return s.request_extension(case, actor=access, reason=reason, days=data.get("days"))
    if action == "approve_extension":
        return s.approve_extension(case, actor=access, note=note, days=data.get("days"))
    if action == "submit_for_verification":
        return s.submit_for_verification(
            case, actor=access, note=note, before=data["before"], after=data["after"]
        )
    if action == "verify":
        return s.verify_case(case, actor=access, note=note, photos=data["photos"])
    if action == "record_callback":
        return s.record_callback(
            case,
            actor=access,
            satisfaction=data["satisfaction"],
            resolved=data.get("resolved"),
            note=note,
        )
    if action == "merge":
        return s.merge_cases(case, data["into"], actor=access, note=note)
    if action == "add_co_handler":
        return s.add_co_handler(case, data["organisation"], actor=access, part=data["part"])
    if action == "complete_co_handling":
        return s.complete_co_handling(data["co_handler"], actor=access, note=note)
    raise Http404


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    access = page_access(request)
    case = _case(access, number)
    if action not in ACTION_FORMS:
        raise Http404
    access.require(works_on(access, case))
    form = ACTION_FORMS[action](
        request.POST, request.FILES, case=case, access=access, auto_id=f"id_{action}_%s"
    )
    if not form.is_valid():
        return _staff_page(request, access, case, failed=(action, form))
    try:
        run_action(access, case, action, form.cleaned_data)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        show_errors(exc, form)
        case.refresh_from_db()
        return _staff_page(request, access, case, failed=(action, form))
    else:
        messages.success(request, _("Done: %(what)s.") % {"what": EVENT_LABELS[action]})
    return redirect("cases:detail", number=number)


@login_required
def case_file(request: HttpRequest, number: str, pk: int) -> FileResponse:
    access = page_access(request)
    case = _case(access, number)
    attachment = get_object_or_404(CaseAttachment, case=case, pk=pk)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


@login_required
@require_POST
def reporter_phone(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A reporter's mobile in full, for those who call reporters back; every look is audited."""
    access = page_access(request)
    case = _case(access, number)
    get_object_or_404(case.reporters.all(), pk=pk)
    value = unmask_value(access, kind="phone", model="cases.casereporter", pk=pk)
    if is_htmx(request):
        return HttpResponse(value)
    return JsonResponse({"value": value})


# --- the workbench -----------------------------------------------------------------------


def default_queue(access: Access) -> str:
    if rules.is_dispatcher(access):
        return "triage"
    if access.linked_ids("organisation") and access.has_any({Role.HANDLER, Role.WINDOW_STAFF}):
        return "organisation"
    return "mine"


def in_queue(access: Access, base: QuerySet[Case], queue: str) -> QuerySet[Case]:
    """A workbench queue: what is still to be done (the "all" queue keeps the rest)."""
    cases = apply_queue(access, base, queue)
    if queue in ("mine", "organisation"):
        cases = cases.exclude(state__in=FINAL_STATES)
    return cases


def _filtered(queryset: QuerySet[Case], params: Any) -> QuerySet[Case]:
    if state := params.get("state", ""):
        queryset = queryset.filter(state=state)
    if code := params.get("category", ""):
        queryset = queryset.filter(Q(category__code=code) | Q(category__parent__code=code))
    if channel := params.get("channel", ""):
        queryset = queryset.filter(channel=channel)
    if grid := params.get("grid", ""):
        queryset = queryset.filter(grid__code=grid)
    if q := (params.get("q") or "").strip():
        queryset = queryset.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(address__icontains=q)
        )
    return queryset


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(access.has_any(STAFF))
    queue = request.GET.get("queue") or default_queue(access)
    if queue not in QUEUES:
        queue = default_queue(access)
    base = _cases(access)
    cases = ordered(_filtered(in_queue(access, base, queue), request.GET), queue)
    cases = cases.select_related("category", "lead_organisation", "assignee", "grid")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counted = ("mine", "organisation", "triage", "overdue", "due_today")
    context = {
        "page": page,
        "queue": queue,
        "queues": [
            {
                "key": key,
                "label": label,
                "count": in_queue(access, base, key).count() if key in counted else None,
            }
            for key, label in QUEUES.items()
        ],
        "params": request.GET,
        "query": query.urlencode(),
        "states": State.choices,
        "channels": Channel.choices,
        "categories": [(c.code, category_label(c)) for c in Category.objects.order_by("code")],
        "grids": list(Grid.objects.order_by("code").values_list("code", "name")),
        "organisations": Organisation.objects.order_by("kind", "code"),
        "may_dispatch": rules.is_dispatcher(access),
        "tones": STATE_TONES,
        "now": clock.now(),
        "intake_links": [
            (reverse(spec["url"]), spec["title"])
            for key, spec in VARIANTS.items()
            if key != WEB and may_use(access, key)
        ],
    }
    template = htmx_partial(request, "cases/workbench.html", "cases/_queue.html")
    return render(request, template, context)


@login_required
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch many cases to one organisation (registering those not yet registered)."""
    access = page_access(request)
    access.require(rules.is_dispatcher(access))
    form = BulkDispatchForm(request.POST)
    back = reverse("cases:workbench") + "?" + request.POST.get("query", "")
    if not form.is_valid():
        for errors in form.errors.as_data().values():
            for message in ValidationError(errors).messages:
                messages.error(request, message)
        return redirect(back)
    organisation = form.cleaned_data["organisation"]
    done = 0
    for case in _cases(access).filter(number__in=form.cleaned_data["cases"]).order_by("id"):
        try:
            if case.state == State.RECEIVED:
                services.register_case(case, actor=access)
            services.dispatch_case(case, organisation, actor=access)
        except (InvalidTransition, ValidationError, PermissionDenied) as exc:
            text = (
                exc.message
                if isinstance(exc, InvalidTransition)
                else " ".join(getattr(exc, "messages", [str(exc)]))
            )
            messages.error(request, f"{case.number}: {text}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            _("%(count)s cases dispatched to %(organisation)s.")
            % {"count": done, "organisation": organisation},
        )
    return redirect(back)


# --- map and metrics ---------------------------------------------------------------------

MAP_PERIODS = (7, 30, 90, 365)


def _days(value: str | None) -> int:
    try:
        days = int(value or 90)
    except ValueError:
        return 90
    return days if days in MAP_PERIODS else 90


@login_required
def case_map(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(access.has_any(STAFF))
    return render(
        request,
        "cases/map.html",
        {
            "categories": [(c.code, category_label(c)) for c in Category.objects.order_by("code")],
            "periods": MAP_PERIODS,
            "days": _days(request.GET.get("days")),
            "category": request.GET.get("category", ""),
        },
    )


@login_required
def map_layers(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(access.has_any(STAFF))
    body = case_layers(
        access, days=_days(request.GET.get("days")), category=request.GET.get("category", "")
    )
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _period(params: Any) -> tuple[dt.date, dt.date]:
    today = clock.now().astimezone(local_zone()).date()
    start, end = today.replace(day=1), today
    try:
        if params.get("start"):
            start = dt.date.fromisoformat(params["start"])
        if params.get("end"):
            end = dt.date.fromisoformat(params["end"])
    except ValueError:
        return today.replace(day=1), today
    return (start, end) if start <= end else (end, start)


def _metrics(
    access: Access, params: Any
) -> tuple[list[metrics.OrganisationMetrics], dt.date, dt.date, dt.datetime, dt.datetime]:
    access.require(rules.may_see_metrics(access))
    start, end = _period(params)
    zone = local_zone()
    start_at = dt.datetime.combine(start, dt.time.min, zone)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone)
    only = None if rules.is_dispatcher(access) else sorted(access.linked_ids("organisation"))
    wanted = params.get("organisation", "")
    if wanted.isdigit():
        only = [int(wanted)] if only is None or int(wanted) in only else []
    rows = metrics.organisation_metrics(start_at, end_at, organisation_ids=only)
    return rows, start, end, start_at, end_at


@login_required
def metrics_page(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    rows, start, end, _start_at, _end_at = _metrics(access, request.GET)
    total = metrics.OrganisationMetrics(0, _("All organisations"))
    for row in rows:
        for name in metrics.COUNT_NAMES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    today = clock.now().astimezone(local_zone()).date()
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    organisations = Organisation.objects.order_by("kind", "code")
    if not rules.is_dispatcher(access):
        organisations = organisations.filter(pk__in=access.linked_ids("organisation"))
    query = request.GET.copy()
    return render(
        request,
        "cases/metrics.html",
        {
            "rows": rows,
            "total": total,
            "labels": metrics.rate_labels(),
            "start": start,
            "end": end,
            "organisations": organisations,
            "organisation": request.GET.get("organisation", ""),
            "presets": [
                (_("This month"), first_of_month, today),
                (_("Last month"), last_month_end.replace(day=1), last_month_end),
                (_("This year"), today.replace(month=1, day=1), today),
                (_("Last 12 months"), today - dt.timedelta(days=365), today),
            ],
            "query": query.urlencode(),
        },
    )


@login_required
def metrics_xlsx(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    rows, start, end, start_at, end_at = _metrics(access, request.GET)
    return xlsx_response(
        metrics.export_xlsx(rows, start_at, end_at), f"case-metrics-{start}-{end}.xlsx"
    )
