"""Event pages: the list and month calendar, one event with register / cancel / accept, my
registrations with their QR codes, and for staff the event admin, attendance, check-in and
statistics. Every change goes through a verb of ``services``; a refused one comes back as a
message on the page that sent it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.http import is_htmx, page_access, xlsx_response
from linli.core.qr import qr_svg
from linli.frontoffice.events import availability, reminders, rules, services, statistics
from linli.frontoffice.events.forms import CheckInForm, EventForm, PeriodForm, RatingForm
from linli.frontoffice.events.models import ACTIVE, Event, Registration, State
from linli.registry.models import Enterprise

CHECK_IN_SESSION_KEY = "events_check_in_event"
MANAGE_PAGE_SIZE = 50
ATTENDANCE_PAGE_SIZE = 100
RESULT_TONES = {
    services.CheckInCode.OK: "ok",
    services.CheckInCode.ALREADY_CHECKED_IN: "warn",
}


def _event(access: Access, pk: int) -> Event:
    return get_object_or_404(Event.objects.visible_to(access).select_related("place"), pk=pk)


def _own(access: Access, pk: int) -> Registration:
    """One's own registration (anybody else's, even one they may see, is not theirs to
    change here)."""
    return get_object_or_404(
        Registration.objects.visible_to(access).select_related("event__place"),
        pk=pk,
        user=access.user,
    )


def _registration(access: Access, pk: int) -> Registration:
    return get_object_or_404(Registration.objects.visible_to(access), pk=pk)


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- for everyone -------------------------------------------------------------------------


def _my_enterprises(access: Access) -> list[Enterprise]:
    ids = access.linked_ids("enterprise") if access.has_any({"enterprise_member"}) else set()
    return list(Enterprise.objects.visible_to(access).filter(pk__in=ids).order_by("name"))


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    event = _event(access, pk)
    mine = (
        Registration.objects.visible_to(access)
        .filter(event=event, user=access.user)
        .order_by("-sequence")
        .first()
    )
    now = clock.now()
    if mine is not None:
        mine.event = event
    context = {
        "event": event,
        "registration": mine,
        "actions": services.allowed_actions(mine, access, now) if mine else [],
        "position": services.waitlist_position(mine) if mine else None,
        "seats_left": availability.seats_left(event),
        "is_open": availability.registration_open(event, now),
        "enterprises": _my_enterprises(access),
        "can_register": mine is None or mine.state not in ACTIVE,
        "can_organise": rules.may_organise(access),
        "can_read": rules.may_read_attendance(access),
        "rating_form": RatingForm(),
    }
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    event = _event(access, pk)
    raw = request.POST.get("enterprise", "")
    enterprise_id = int(raw) if raw.isdigit() else None
    try:
        registration = services.register(event, actor=access, enterprise_id=enterprise_id)
    except ValidationError as exc:
        _refused(request, exc)
        return redirect("events:detail", pk=event.pk)
    if registration.state == State.WAITLISTED:
        messages.info(
            request,
            _("The event is full: you are number %(n)s on the waitlist.")
            % {"n": services.waitlist_position(registration)},
        )
    elif registration.state == State.PENDING_APPROVAL:
        messages.success(request, _("Registered: the organisers will confirm your seat."))
    else:
        messages.success(request, _("Your seat is confirmed."))
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The registrant gives their place up; an organiser may cancel anyone's."""
    access = page_access(request)
    registration = _registration(access, pk)
    try:
        services.cancel_registration(registration, actor=access)
        messages.success(request, _("Your registration is cancelled."))
    except ValidationError as exc:
        _refused(request, exc)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("events:detail", args=[registration.event_id])
    return redirect(back)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    registration = _own(access, pk)
    try:
        services.accept_offer(registration, actor=access)
        messages.success(request, _("Your seat is confirmed."))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("events:detail", pk=registration.event_id)


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    registration = _own(access, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        if "rating" in form.errors:
            messages.error(request, _("Give a rating from 1 to 5."))
        for error in form.errors.get("comment", []):
            messages.error(request, f"{form.fields['comment'].label}: {error}")
        return redirect("events:detail", pk=registration.event_id)
    try:
        services.rate_event(
            registration,
            actor=access,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Thank you for your feedback."))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("events:detail", pk=registration.event_id)


@login_required
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(page_access(request), pk)
    response = HttpResponse(reminders.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


PAST_PAGE_SIZE = 20


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """What is coming up (soonest first, each with its QR code while it can be scanned), then
    what is over (latest first, a page at a time)."""
    access = page_access(request)
    now = clock.now()
    registrations = (
        Registration.objects.visible_to(access)
        .filter(user=access.user)
        .select_related("event__place", "enterprise")
    )
    upcoming = registrations.filter(event__ends_at__gte=now).order_by("event__starts_at", "pk")
    past = Paginator(
        registrations.filter(event__ends_at__lt=now).order_by("-event__starts_at", "-pk"),
        PAST_PAGE_SIZE,
    ).get_page(request.GET.get("page"))

    def row(r: Registration) -> dict[str, object]:
        scan_url = request.build_absolute_uri(reverse("events:scan", args=[r.code]))
        # Only where it can still be scanned: drawing a code costs milliseconds each.
        show_qr = r.state in (State.CONFIRMED, State.CHECKED_IN) and r.event.ends_at >= now
        return {
            "registration": r,
            "qr": qr_svg(scan_url, scale=4) if show_qr else "",
            "position": services.waitlist_position(r),
            "actions": services.allowed_actions(r, access, now),
        }

    return render(
        request,
        "events/mine.html",
        {
            "upcoming": [row(r) for r in upcoming],
            "past": [row(r) for r in past.object_list],
            "page": past,
            "query": "",
        },
    )


# --- for organisers -----------------------------------------------------------------------


def _organiser(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_organise(access))
    return access


def _reader(request: HttpRequest) -> Access:
    access = page_access(request)
    access.require(rules.may_read_attendance(access))
    return access


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    show_past = request.GET.get("past") == "1"
    events = statistics.with_figures(Event.objects.visible_to(access).select_related("place"))
    now = clock.now()
    events = events.filter(ends_at__lt=now) if show_past else events.filter(ends_at__gte=now)
    order = "-starts_at" if show_past else "starts_at"
    page = Paginator(events.order_by(order, "pk"), MANAGE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/manage.html",
        {
            "events": page,
            "page": page,
            "past": show_past,
            "can_organise": rules.may_organise(access),
        },
    )


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access = _organiser(request)
    event = _event(access, pk) if pk else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_event(form.save(), actor=access)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:attendance", pk=saved.pk)
    return render(request, "events/form.html", {"form": form, "event": event})


@login_required
@require_POST
def cancel_event(request: HttpRequest, pk: int) -> HttpResponse:
    access = _organiser(request)
    event = _event(access, pk)
    services.cancel_event(event, actor=access)
    messages.success(request, _("The event is cancelled and everyone registered is told."))
    return redirect("events:attendance", pk=event.pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    access = _reader(request)
    event = _event(access, pk)
    registrations = (
        Registration.objects.visible_to(access)
        .filter(event=event)
        .select_related("user", "enterprise")
        .order_by("sequence")
    )
    state = request.GET.get("state", "")
    if state in State.values:
        registrations = registrations.filter(state=state)
    page = Paginator(registrations, ATTENDANCE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    for registration in page.object_list:
        registration.event = event
        registration.actions = services.allowed_actions(registration, access, now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "figures": statistics.event_figures(event),
            "registrations": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "states": State.choices,
            "state": state,
            "can_organise": rules.may_organise(access),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    access = _organiser(request)
    registration = _registration(access, pk)
    try:
        services.decide_registration(
            registration, actor=access, approve=request.POST.get("approve") == "1"
        )
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("events:attendance", pk=registration.event_id)


def _check_in_page(
    request: HttpRequest,
    access: Access,
    event: Event,
    form: CheckInForm,
    outcome: services.CheckIn | None,
) -> HttpResponse:
    registrations = Registration.objects.visible_to(access).filter(event=event)
    context = {
        "event": event,
        "form": form,
        "outcome": outcome,
        "tone": RESULT_TONES.get(outcome.result, "bad") if outcome else "",
        "checked_in": registrations.filter(state=State.CHECKED_IN).count(),
        "confirmed": registrations.filter(state=State.CONFIRMED).count(),
    }
    if outcome is not None and is_htmx(request):
        return render(request, "events/_check_in_result.html", context)
    return render(request, "events/check_in.html", context)


@login_required
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The door: type (or scan into the field) a code; the result shows in words and colour."""
    access = _organiser(request)
    event = _event(access, pk)
    request.session[CHECK_IN_SESSION_KEY] = event.pk
    if request.method != "POST":
        form = CheckInForm(initial=request.GET.dict())
        return _check_in_page(request, access, event, form, None)
    form = CheckInForm(request.POST)
    outcome = None
    if form.is_valid():
        outcome = services.check_in(event, form.cleaned_data["code"], actor=access)
        form = CheckInForm()
    return _check_in_page(request, access, event, form, outcome)


@login_required
def scan(request: HttpRequest, code: str) -> HttpResponse:
    """Where a phone camera lands from a registration's QR: the check-in page of the event the
    staff member is checking in for (or the code's own event), with the code filled in."""
    access = _organiser(request)
    target = request.session.get(CHECK_IN_SESSION_KEY)
    event = Event.objects.visible_to(access).filter(pk=target).first() if target else None
    if event is None:
        registration = (
            Registration.objects.visible_to(access)
            .filter(code=services.code_from_scan(code))
            .first()
        )
        if registration is None:
            raise Http404
        event = registration.event
    return redirect(reverse("events:check_in", args=[event.pk]) + f"?code={code}")


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.datetime, dt.datetime]:
    today = clock.today()
    form = PeriodForm(
        request.GET or {"start": today.replace(year=today.year - 1, day=1), "end": today},
    )
    start, end = today.replace(year=today.year - 1, day=1), today
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    zone = local_zone()
    return (
        form,
        dt.datetime.combine(start, dt.time(), zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone),
    )


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    form, start, end = _period(request)
    return render(
        request,
        "events/statistics.html",
        {
            "form": form,
            "kinds": statistics.by_kind(access, start, end),
            "events": statistics.per_event(access, start, end),
        },
    )


@login_required
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    _form, start, end = _period(request)
    events = [figures for _event, figures in statistics.per_event(access, start, end)]
    kinds = statistics.by_kind(access, start, end)
    content = statistics.figures_xlsx(_("Attendance"), kinds, events)
    return xlsx_response(content, "event-attendance.xlsx")
