"""Booking pages: the day grid, a resource, the booking form (with the conflict report of a
series), my bookings, one booking with its QR code, check-in (per booking and at the door),
the approval queue, resource administration, and the secret calendar feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from linli.core import clock, limits
from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import (
    LinliRequest,
    access_of,
    htmx_partial,
    page_access,
    subdistricts_of,
    uploaded_file,
)
from linli.core.middleware import SESSION_SUBDISTRICT
from linli.core.models import Subdistrict, User
from linli.core.qr import qr_svg
from linli.frontoffice.bookings import feeds, queries, rules, services
from linli.frontoffice.bookings.arrival import shown_code
from linli.frontoffice.bookings.checks import BookingRefused, checkin_window_text
from linli.frontoffice.bookings.filters import ResourceFilter
from linli.frontoffice.bookings.forms import BookingForm, ResourceForm, find_enterprises
from linli.frontoffice.bookings.models import Booking, FeedToken, Resource, ResourceKind, State

Found = TypeVar("Found", Booking, Resource)

UPCOMING_DAYS = 7
RECENT_PAST = 20
UPCOMING_PAGE = 25
# Where a refusal about the booking's start or end shows in the form.
FORM_FIELDS = {"start": "start_time", "end": "end_time"}


def _day(value: str | None) -> dt.date:
    """The day asked for, or today when it is missing, malformed or out of range."""
    try:
        day = dt.date.fromisoformat(value) if value else clock.today()
    except ValueError:
        return clock.today()
    return day if queries.in_grid_range(day) else clock.today()


def _booking(access: Access, pk: int) -> Booking:
    return get_object_or_404(queries.visible_bookings(access), pk=pk)


def _resource(access: Access, pk: int, **conditions: object) -> Resource:
    found: Resource = get_object_or_404(
        Resource.objects.visible_to(access).select_related("place"), pk=pk, **conditions
    )
    return found


def _refusal_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _grid_labels() -> dict[str, str]:
    return {
        "kind": _("Kind"),
        "place": _("Place"),
        "min_capacity": _("Seats at least"),
        "__all__": "",
    }


@login_required
def grid(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_availability(access))
    day = _day(request.GET.get("date"))
    filters, errors = from_query(ResourceFilter, request.GET)
    labels = _grid_labels()
    place = queries.places().filter(pk=filters.place).first() if filters.place else None
    # The grid's links carry the filters that are set, not the selects left at "all".
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name != "date" and any(values):
            query.setlist(name, [value for value in values if value])
    context = {
        "grid": queries.day_grid(access, day, filters),
        "filters": filters,
        "place": place,
        "places": queries.places(),
        "kinds": ResourceKind.choices,
        "query": query.urlencode(),
        "errors": [(labels.get(name, name), found) for name, found in errors.items()],
        "can_book": rules.can_book(access),
    }
    template = htmx_partial(request, "bookings/grid.html", "bookings/_grid.html")
    return render(request, template, context)


@login_required
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_view_availability(access))
    found = _resource(access, pk)
    now = clock.now()
    busy = (
        Booking.objects.visible_to(access, "availability")
        .filter(
            resource=found,
            state__in=(State.PENDING_APPROVAL, State.CONFIRMED, State.CHECKED_IN),
            end__gt=now,
            start__lt=now + dt.timedelta(days=UPCOMING_DAYS),
        )
        .order_by("start")
    )
    return render(
        request,
        "bookings/resource.html",
        {
            "resource": found,
            "busy": busy,
            "can_book": rules.can_book(access),
            "can_manage": rules.can_manage_resources(access),
        },
    )


def _series_slots(form: BookingForm) -> list[tuple[dt.datetime, dt.datetime]]:
    start, end = form.slot()
    return services.occurrences(
        start,
        end,
        frequency=form.cleaned_data["repeat"],
        count=form.cleaned_data.get("repeat_count"),
        until=form.cleaned_data.get("repeat_until"),
    )


def _book_series(request: HttpRequest, form: BookingForm, found: Resource) -> HttpResponse:
    """First the conflict report of every date; booking the free ones needs a second POST."""
    access = access_of(request)
    enterprise = form.cleaned_data.get("enterprise")
    slots = _series_slots(form)
    if request.POST.get("confirm") != "1":
        planned = services.plan_series(
            found, enterprise_id=enterprise.pk if enterprise else None, slots=slots
        )
        context = _book_context(found, form) | {
            "planned": planned,
            "free_count": sum(1 for o in planned if o.free),
        }
        return render(request, "bookings/book.html", context)
    _series, planned = services.book_series(
        found,
        actor=access,
        enterprise=enterprise,
        slots=slots,
        frequency=form.cleaned_data["repeat"],
        purpose=form.cleaned_data.get("purpose", ""),
    )
    booked = sum(1 for o in planned if o.booking is not None)
    messages.success(
        request,
        _("%(count)s of %(total)s dates booked.") % {"count": booked, "total": len(planned)},
    )
    return redirect("bookings:mine")


def _book_context(found: Resource, form: BookingForm) -> dict[str, object]:
    return {
        "resource": found,
        "form": form,
        "usual_minutes": int(found.default_duration.total_seconds() // 60),
    }


def _initial(found: Resource, query: QueryDict) -> dict[str, object]:
    """The day and time picked on the grid, and the end the resource's usual duration gives
    (a booking that would run past midnight gets no end: the person says it)."""
    day = _day(query.get("date"))
    initial: dict[str, object] = {"date": day}
    try:
        start = dt.time.fromisoformat(query.get("time", ""))
    except ValueError:
        return initial
    initial["start_time"] = start.strftime("%H:%M")
    end = dt.datetime.combine(day, start) + found.default_duration
    if end.date() == day:
        initial["end_time"] = end.strftime("%H:%M")
    return initial


@login_required
def book(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_book(access))
    found = _resource(access, pk, is_active=True)
    if request.method == "POST" and request.POST.get("find"):
        # The staff's enterprise search without script: the form again, with what was found.
        form = BookingForm(access=access, initial=request.POST.dict(), search=request.POST)
        return render(request, "bookings/book.html", _book_context(found, form))
    form = BookingForm(request.POST or None, access=access, initial=_initial(found, request.GET))
    if request.method == "POST" and form.is_valid():
        start, end = form.slot()
        try:
            if form.cleaned_data.get("repeat"):
                return _book_series(request, form, found)
            booking = services.request_booking(
                found,
                actor=access,
                enterprise=form.cleaned_data.get("enterprise"),
                start=start,
                end=end,
                purpose=form.cleaned_data.get("purpose", ""),
            )
        except BookingRefused as exc:
            for refusal in exc.refusals:
                name = FORM_FIELDS.get(refusal.field, refusal.field)
                form.add_error(name if name in form.fields else None, refusal.message)
        else:
            if booking.state == State.PENDING_APPROVAL:
                messages.info(request, _("Your request is waiting for approval."))
            else:
                messages.success(request, _("Booked."))
            return redirect("bookings:detail", pk=booking.pk)
    return render(request, "bookings/book.html", _book_context(found, form))


@login_required
def enterprise_search(request: HttpRequest) -> HttpResponse:
    """The staff's booker search: the enterprises of the sub-district matching the words (the
    booking form's picker asks as the person types)."""
    access = page_access(request)
    access.require(rules.is_booking_staff(access))
    query = request.GET.get("enterprise_q", "")
    chosen = request.GET.get("enterprise", "")
    return render(
        request,
        "bookings/_enterprise_matches.html",
        {
            "name": "enterprise",
            "query": query,
            "chosen": chosen,
            "matches": find_enterprises(access, query),
        },
    )


@login_required
def resource_photo(request: HttpRequest, pk: int) -> FileResponse:
    found = _resource(access_of(request), pk)
    if not found.photo:
        raise Http404
    return uploaded_file(found.photo, found.photo_type)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """What is coming up, a page at a time (the centre's staff book hundreds for others), and
    the latest past bookings (all of them: the bookings list)."""
    access = access_of(request)
    bookings = queries.my_bookings(access)
    now = clock.now()
    upcoming = bookings.filter(end__gt=now).order_by("start", "pk")
    return render(
        request,
        "bookings/mine.html",
        {
            "page": Paginator(upcoming, UPCOMING_PAGE).get_page(request.GET.get("page")),
            "query": "",
            "past": bookings.filter(end__lte=now)[:RECENT_PAST],
            "recent_past": RECENT_PAST,
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    booking = _booking(access, pk)
    now = clock.now()
    cutoff = services.cancellation_cutoff(booking)
    checkin_url = request.build_absolute_uri(
        reverse("bookings:checkin_booking", kwargs={"token": booking.checkin_token})
    )
    return render(
        request,
        "bookings/detail.html",
        {
            "booking": booking,
            "checkin_url": checkin_url,
            "qr": qr_svg(checkin_url) if booking.state == State.CONFIRMED else "",
            "checkin_window": checkin_window_text(booking),
            "arrival_code": shown_code(booking)
            if booking.resource.kind == ResourceKind.WINDOW
            else "",
            "cutoff": cutoff,
            "before_cutoff": now <= cutoff,
            "actions": services.allowed_actions(booking, access, now),
            "reason_limit": limits.max_length(Booking, "reason"),
        },
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    booking = _booking(access, pk)
    try:
        services.cancel_booking(booking, actor=access, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _refusal_messages(request, exc)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("bookings:detail", pk=booking.pk)


def _checkin_result(
    request: HttpRequest, booking: Booking | None, **context: object
) -> HttpResponse:
    return render(request, "bookings/checkin.html", {"booking": booking, **context})


@contextmanager
def _where_the_code_is(
    request: HttpRequest, find: Callable[[], Found | None]
) -> Iterator[tuple[Found, Access]]:
    """What a check-in code names, with the person's ``Access`` in its sub-district, inside
    that sub-district's scope.

    A QR code is scanned where the room is, whichever sub-district the person has open, so a
    code not found in the current one is looked for in the others the person may act in, never
    in one they are not a member of; the page is then that sub-district's."""
    access = page_access(request)
    found = find()
    if found is None:
        others = [s for s in subdistricts_of(request) if s != access.subdistrict]
        if others:
            with scope(subdistrict=others):
                found = find()
        if found is None:
            raise Http404
        access = Access.for_user(cast(User, request.user), found.subdistrict)
        cast(LinliRequest, request).access = access
    with scope(subdistrict=access.subdistrict):
        yield found, access


def _checked_in(request: HttpRequest, access: Access) -> None:
    """The person is now in the booking's sub-district: open it in the session, so the pages
    that follow (the booking itself) are of that sub-district, not 404s of the one left."""
    messages.success(request, _("Checked in. Welcome!"))
    request.session[SESSION_SUBDISTRICT] = cast(Subdistrict, access.subdistrict).pk


@login_required
def checkin_booking(request: HttpRequest, token: str) -> HttpResponse:
    """The per-booking QR code: opened by the booker, or scanned by staff at the desk."""

    def find() -> Booking | None:
        return (
            Booking.objects.filter(checkin_token=token)
            .select_related("resource", "subdistrict")
            .first()
        )

    with _where_the_code_is(request, find) as (booking, access):
        if not rules.may_change_booking(access, booking):
            raise Http404
        if request.method == "POST":
            try:
                booking = services.check_in(booking, actor=access)
            except BookingRefused as exc:
                _refusal_messages(request, exc)
            else:
                _checked_in(request, access)
            return redirect("bookings:checkin_booking", token=token)
        return _checkin_result(request, booking, window=checkin_window_text(booking))


@login_required
def checkin_door(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code on the door: checks in the scanner's booking that starts about now."""

    def find() -> Resource | None:
        return (
            Resource.objects.filter(door_token=token).select_related("place", "subdistrict").first()
        )

    with _where_the_code_is(request, find) as (found, access):
        if request.method == "POST":
            try:
                booking = services.check_in_at_door(found, actor=access)
            except BookingRefused as exc:
                _refusal_messages(request, exc)
            else:
                _checked_in(request, access)
                return redirect("bookings:detail", pk=booking.pk)
            return redirect("bookings:checkin_door", token=token)
        due = services.booking_at_door(found, access, clock.now())
        return _checkin_result(request, due, resource=found, door=True)


@login_required
def door(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable poster for the door: the resource's check-in QR code."""
    access = access_of(request)
    access.require(rules.can_manage_resources(access))
    found = _resource(access, pk)
    url = request.build_absolute_uri(
        reverse("bookings:checkin_door", kwargs={"token": found.door_token})
    )
    return render(
        request,
        "bookings/door.html",
        {"resource": found, "url": url, "qr": qr_svg(url, scale=10)},
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.is_booking_staff(access))
    pending = queries.visible_bookings(access).filter(state=State.PENDING_APPROVAL)
    pending = pending.order_by("start", "pk")
    return render(
        request,
        "bookings/approvals.html",
        {"pending": pending, "reason_limit": limits.max_length(Booking, "reason")},
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.is_booking_staff(access))
    booking = _booking(access, pk)
    try:
        services.approve_booking(booking, actor=access)
    except BookingRefused as exc:
        _refusal_messages(request, exc)
    else:
        messages.success(request, _("Approved."))
    return _after_decision(request, booking)


def _after_decision(request: HttpRequest, booking: Booking) -> HttpResponse:
    """Back to the booking when decided on its page, else to the approval queue."""
    if request.POST.get("next") == "detail":
        return redirect("bookings:detail", pk=booking.pk)
    return redirect("bookings:approvals")


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.is_booking_staff(access))
    booking = _booking(access, pk)
    try:
        services.reject_booking(booking, actor=access, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _refusal_messages(request, exc)
    else:
        messages.success(request, _("Rejected."))
    return _after_decision(request, booking)


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_manage_resources(access))
    resources = (
        Resource.objects.visible_to(access)
        .select_related("place")
        .order_by("place__name", "kind", "code")
    )
    return render(request, "bookings/manage.html", {"resources": resources})


def _edit(request: HttpRequest, instance: Resource | None) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_manage_resources(access))
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        subdistrict=access.subdistrict,
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_resource(
            form.save(commit=False), actor=access, photo=form.cleaned_data["new_photo"]
        )
        messages.success(request, _("Saved."))
        return redirect("bookings:resource", pk=saved.pk)
    return render(request, "bookings/resource_form.html", {"form": form, "resource": instance})


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _resource(access_of(request), pk))


@login_required
@require_POST
def rotate_resource(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_of(request)
    access.require(rules.can_manage_resources(access))
    services.rotate_resource_tokens(_resource(access, pk), actor=access)
    messages.success(request, _("New door code and calendar link made; print the new poster."))
    return redirect("bookings:door", pk=pk)


@login_required
def feed_links(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    if access.user is None or access.subdistrict is None:
        raise PermissionDenied
    token = services.feed_token(access)
    url = request.build_absolute_uri(reverse("bookings:user_feed", kwargs={"token": token.token}))
    resources = []
    if rules.can_manage_resources(access):
        resources = [
            (
                r,
                request.build_absolute_uri(
                    reverse("bookings:resource_feed", kwargs={"token": r.feed_token})
                ),
            )
            for r in Resource.objects.visible_to(access).order_by("code")
        ]
    return render(request, "bookings/feeds.html", {"url": url, "resources": resources})


@login_required
@require_POST
def rotate_feed(request: HttpRequest) -> HttpResponse:
    services.rotate_feed_token(actor=access_of(request))
    messages.success(request, _("New calendar link made; the old one no longer works."))
    return redirect("bookings:feeds")


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def user_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's bookings as iCalendar: the secret URL is the only credential."""
    with scopes_disabled():
        found = FeedToken.objects.filter(token=token).select_related("subdistrict", "user").first()
    if found is None:
        raise Http404
    with scope(subdistrict=found.subdistrict):
        owner = Access.for_user(found.user, found.subdistrict)
        return _ics(feeds.user_calendar(owner), "bookings")


def resource_feed(request: HttpRequest, token: str) -> HttpResponse:
    with scopes_disabled():
        found = Resource.objects.filter(feed_token=token).select_related("subdistrict").first()
    if found is None:
        raise Http404
    with scope(subdistrict=found.subdistrict):
        return _ics(feeds.resource_calendar(found), found.code)
