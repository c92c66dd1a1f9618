"""Queue pages: the kiosk, the ticket link, the calling screen, the counter console, the
statistics and the device keys.

The kiosk and the calling screen are public devices: their URLs carry the hall's device key and
show no personal data (numbers, windows, waiting counts). The ticket link carries the ticket's
own secret. Everything else needs a signed-in person with the right role. Every change goes
through a verb of ``services``; a refused one comes back as a message.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from linli.core import clock
from linli.core.access import Access
from linli.core.http import htmx_partial, page_access, xlsx_response
from linli.core.qr import qr_svg
from linli.core.spreadsheets import rows_to_xlsx
from linli.frontoffice.queue import estimates, rules, services, statistics
from linli.frontoffice.queue.forms import (
    AppointmentCodeForm,
    DayRangeForm,
    KioskForm,
    TransferForm,
)
from linli.frontoffice.queue.models import Counter, Hall, Service, Ticket, TicketKind, TicketState
from linli.frontoffice.queue.screen import board

STATISTICS_DAYS = 28


def _hall(key: str) -> Hall:
    with scopes_disabled():
        hall = services.hall_for_key(key)
    if hall is None:
        raise Http404
    return hall


def _refusal_message(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, services.QueueRefusal):
        messages.error(request, exc.message)
    elif isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))


# --- public devices ----------------------------------------------------------------------


def _offered(hall: Hall) -> QuerySet[Service]:
    """The hall's services on the kiosk, each with how many windows serve it and are open."""
    return (
        Service.objects.filter(hall=hall, active=True)
        .annotate(
            windows=Count("counters", distinct=True),
            open_windows=Count("counters", filter=Q(counters__is_open=True), distinct=True),
        )
        .order_by("position", "prefix")
    )


def kiosk(request: HttpRequest, key: str) -> HttpResponse:
    hall = _hall(key)
    with scope(subdistrict=hall.subdistrict):
        offered = _offered(hall)
        return render(
            request,
            "queue/kiosk.html",
            {
                "hall": hall,
                "key": key,
                "services": offered,
                "form": KioskForm(services=offered),
                "takes_appointments": offered.exclude(appointment_resource="").exists(),
            },
        )


@require_POST
def kiosk_issue(request: HttpRequest, key: str) -> HttpResponse:
    hall = _hall(key)
    with scope(subdistrict=hall.subdistrict):
        offered = _offered(hall)
        form = KioskForm(request.POST, services=offered)
        if form.is_valid():
            priority = form.cleaned_data["priority"]
            try:
                ticket, token = services.issue_ticket(
                    form.cleaned_data["service"],
                    actor=Access.anonymous(hall.subdistrict),
                    kind=TicketKind.PRIORITY if priority else TicketKind.NORMAL,
                    priority_reason=priority,
                    device=hall,
                )
            except (services.QueueRefusal, ValidationError) as exc:
                _refusal_message(request, exc)
            else:
                return _issued(request, hall, key, ticket, token)
        return render(
            request,
            "queue/kiosk.html",
            {
                "hall": hall,
                "key": key,
                "services": offered,
                "form": form,
                "takes_appointments": offered.exclude(appointment_resource="").exists(),
            },
            status=400 if form.errors else 200,
        )


def _issued(request: HttpRequest, hall: Hall, key: str, ticket: Ticket, token: str) -> HttpResponse:
    link = request.build_absolute_uri(reverse("queue:ticket", args=[token]))
    return render(
        request,
        "queue/kiosk_issued.html",
        {
            "hall": hall,
            "key": key,
            "ticket": ticket,
            "link": link,
            "qr": qr_svg(link, scale=5),
            "estimate": estimates.estimate(ticket),
        },
    )


def kiosk_appointment(request: HttpRequest, key: str) -> HttpResponse:
    """“I have an appointment”: the booking's code becomes an appointment ticket (or, scanned
    again, shows the ticket it already became)."""
    hall = _hall(key)
    with scope(subdistrict=hall.subdistrict):
        form = AppointmentCodeForm(request.POST if request.method == "POST" else None)
        refusal = ""
        if request.method == "POST" and form.is_valid():
            try:
                ticket, token = services.check_in_appointment(
                    hall,
                    form.cleaned_data["code"],
                    actor=Access.anonymous(hall.subdistrict),
                    device=hall,
                )
            except services.QueueRefusal as exc:
                refusal = exc.message
            else:
                return _issued(request, hall, key, ticket, token)
        return render(
            request,
            "queue/kiosk_appointment.html",
            {"hall": hall, "key": key, "form": form, "refusal": refusal},
            status=400 if form.errors else 200,
        )


def screen(request: HttpRequest, key: str) -> HttpResponse:
    hall = _hall(key)
    with scope(subdistrict=hall.subdistrict):
        return render(request, "queue/screen.html", {"hall": hall, "key": key, **board(hall)})


def screen_board(request: HttpRequest, key: str) -> HttpResponse:
    hall = _hall(key)
    with scope(subdistrict=hall.subdistrict):
        return render(request, "queue/_board.html", {"hall": hall, "key": key, **board(hall)})


# --- the ticket link ---------------------------------------------------------------------


def _ticket(token: str) -> Ticket:
    with scopes_disabled():
        ticket = services.ticket_for_token(token)
    if ticket is None:
        raise Http404
    return ticket


def _ticket_context(request: HttpRequest, ticket: Ticket, token: str) -> dict:
    link = request.build_absolute_uri(reverse("queue:ticket", args=[token]))
    return {
        "ticket": ticket,
        "token": token,
        "link": link,
        "estimate": estimates.estimate(ticket),
        "states": TicketState,
    }


def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    ticket = _ticket(token)
    with scope(subdistrict=ticket.subdistrict):
        context = _ticket_context(request, ticket, token)
        context["qr"] = qr_svg(context["link"], scale=4)
        return render(request, "queue/ticket.html", context)


def ticket_status(request: HttpRequest, token: str) -> HttpResponse:
    ticket = _ticket(token)
    with scope(subdistrict=ticket.subdistrict):
        return render(request, "queue/_ticket_status.html", _ticket_context(request, ticket, token))


@require_POST
def ticket_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel and show the page again (no redirect: the holder has no account to go back to)."""
    ticket = _ticket(token)
    with scope(subdistrict=ticket.subdistrict):
        try:
            ticket = services.cancel_ticket(
                ticket, actor=Access.anonymous(ticket.subdistrict), token=token
            )
        except services.QueueRefusal as exc:
            _refusal_message(request, exc)
        else:
            messages.success(request, _("Your ticket %(code)s is cancelled.") % {"code": ticket})
    return ticket_page(request, token)


# --- the counter console -----------------------------------------------------------------


def _counters(access: Access) -> list[Counter]:
    """The windows the person works (the rule each counter verb checks)."""
    served = Service.objects.filter(active=True).order_by("position", "prefix")
    counters = (
        Counter.objects.visible_to(access)
        .select_related("hall", "staff")
        .prefetch_related(Prefetch("services", queryset=served, to_attr="served"))
        .order_by("hall__name", "number")
    )
    return [c for c in counters if rules.may_work_counter(access, c)]


@login_required
def console(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_use_console(access))
    return render(
        request,
        "queue/console.html",
        {"counters": _counters(access), "can_open_devices": rules.may_open_devices(access)},
    )


def _counter(access: Access, pk: int) -> Counter:
    counter: Counter = get_object_or_404(
        Counter.objects.visible_to(access).select_related("hall"), pk=pk
    )
    access.require(rules.may_work_counter(access, counter))
    return counter


def _counter_context(counter: Counter, access: Access) -> dict:
    day = clock.local_day(clock.now())
    tickets = Ticket.objects.visible_to(access)
    served = list(counter.services.filter(active=True).order_by("position", "prefix"))
    waiting = [
        (s, tickets.filter(service=s, day=day, state=TicketState.ISSUED).count()) for s in served
    ]
    current = services.current_ticket(counter)
    others = Service.objects.visible_to(access).filter(hall=counter.hall, active=True)
    others = others.order_by("position", "prefix")
    if current is not None:
        others = others.exclude(pk=current.service_id)
    return {
        "counter": counter,
        "current": current,
        "actions": services.allowed_actions(current, access) if current else [],
        "waiting": waiting,
        "transfer_form": TransferForm(services=others),
        "done_today": tickets.filter(counter=counter, day=day, state=TicketState.DONE).count(),
    }


@login_required
def counter_page(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    counter = _counter(access, pk)
    template = htmx_partial(request, "queue/counter.html", "queue/_counter_panel.html")
    return render(request, template, _counter_context(counter, access))


COUNTER_ACTIONS = {"open", "close", "call", "recall", "start", "finish", "no-show", "transfer"}


@login_required
@require_POST
def counter_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    access = page_access(request)
    counter = _counter(access, pk)
    if action not in COUNTER_ACTIONS:
        raise Http404
    try:
        _act(request, access, counter, action)
    except (services.QueueRefusal, ValidationError) as exc:
        _refusal_message(request, exc)
    return redirect("queue:counter", pk=counter.pk)


def _act(request: HttpRequest, access: Access, counter: Counter, action: str) -> None:
    if action == "open":
        services.open_counter(counter, actor=access)
        return
    if action == "close":
        services.close_counter(counter, actor=access)
        return
    if action == "call":
        called = services.call_next(counter, actor=access)
        if called is None:
            messages.info(request, _("Nobody is waiting for this window's services."))
        return
    current = services.current_ticket(counter)
    if current is None:
        messages.error(request, _("No number is called at this window."))
        return
    if action == "transfer":
        form = TransferForm(
            request.POST,
            services=Service.objects.visible_to(access).filter(hall=counter.hall, active=True),
        )
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for e in form.errors.get("service", [])))
            return
        moved = services.transfer_ticket(current, form.cleaned_data["service"], actor=access)
        messages.success(
            request,
            _("%(old)s is now %(new)s in line for %(service)s.")
            % {"old": current.code, "new": moved.code, "service": moved.service.name},
        )
        return
    verbs = {
        "recall": services.recall,
        "start": services.start_service,
        "finish": services.finish_service,
        "no-show": services.mark_no_show,
    }
    verbs[action](current, actor=access)


# --- statistics and devices --------------------------------------------------------------


def _statistics(request: HttpRequest) -> tuple[DayRangeForm, statistics.QueueStatistics | None]:
    access = page_access(request)
    access.require(rules.may_see_statistics(access))
    today = clock.local_day(clock.now())
    data = request.GET.copy()
    data.setdefault("start", (today - dt.timedelta(days=STATISTICS_DAYS - 1)).isoformat())
    data.setdefault("end", today.isoformat())
    form = DayRangeForm(data)
    if not form.is_valid():
        return form, None
    cleaned = form.cleaned_data
    stats = statistics.statistics(
        cleaned["start"], cleaned["end"], cleaned.get("hall"), access=access
    )
    return form, stats


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    form, stats = _statistics(request)
    return render(
        request,
        "queue/stats.html",
        {"form": form, "stats": stats, "query": request.GET.urlencode()},
        status=200 if stats is not None else 400,
    )


@login_required
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    form, stats = _statistics(request)
    if stats is None:
        return render(request, "queue/stats.html", {"form": form, "stats": None}, status=400)
    return xlsx_response(
        rows_to_xlsx("queue", statistics.table(stats)),
        f"queue-statistics-{stats.start}-{stats.end}.xlsx",
    )


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    access.require(rules.may_open_devices(access))
    halls = [
        {
            "hall": hall,
            "kiosk": request.build_absolute_uri(reverse("queue:kiosk", args=[hall.device_key])),
            "screen": request.build_absolute_uri(reverse("queue:screen", args=[hall.device_key])),
        }
        for hall in Hall.objects.visible_to(access).select_related("organisation").order_by("name")
    ]
    return render(
        request,
        "queue/devices.html",
        {"halls": halls, "can_manage": rules.may_manage_devices(access)},
    )


@login_required
@require_POST
def rotate_key(request: HttpRequest, pk: int) -> HttpResponse:
    access = page_access(request)
    hall = get_object_or_404(Hall.objects.visible_to(access), pk=pk)
    services.rotate_device_key(hall, actor=access)
    messages.success(
        request,
        _("New device key for %(hall)s: update the kiosks and the screen.") % {"hall": hall},
    )
    return redirect("queue:devices")
