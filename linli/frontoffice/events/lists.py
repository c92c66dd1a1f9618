"""The events list: its page (a list with pages, or a month calendar) and its Excel export. The
API endpoint (``api.list_events``) reads the same rows: ``listed`` with the same
``EventFilter``. A person finds the events ``Event.objects.visible_to`` lets them see."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import local_zone
from linli.core.filters import from_query
from linli.core.http import page_access, xlsx_response
from linli.frontoffice.events import rules, statistics
from linli.frontoffice.events.availability import signup, with_seats
from linli.frontoffice.events.exports import events_xlsx
from linli.frontoffice.events.filters import EventFilter, filtered
from linli.frontoffice.events.models import ACTIVE, Audience, Event, Kind, Registration

PAGE_SIZE = 20


def listed(access: Access, filters: EventFilter) -> QuerySet[Event]:
    """The rows of the list, on every surface, each with its seats taken."""
    events = Event.objects.visible_to(access).select_related("place")
    return with_seats(filtered(events, filters))


def _month(value: str | None) -> dt.date:
    today = clock.today()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _calendar(events: QuerySet[Event], month: str | None) -> dict[str, Any]:
    """The month of the list's events (whatever ``upcoming`` says: a month shows its past)."""
    zone = local_zone()
    first = _month(month)
    start = dt.datetime.combine(first, dt.time(), zone)
    weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
    end = dt.datetime.combine(weeks[-1][-1] + dt.timedelta(days=1), dt.time(), zone)
    by_day: dict[dt.date, list[Event]] = {}
    for event in events.filter(starts_at__gte=start, starts_at__lt=end):
        by_day.setdefault(event.starts_at.astimezone(zone).date(), []).append(event)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return {
        "view": "calendar",
        "month": first,
        "weekdays": [WEEKDAYS_ABBR[day] for day in range(7)],
        "previous": f"{previous:%Y-%m}",
        "next": f"{following:%Y-%m}",
        "weeks": [
            [(day, by_day.get(day, []), day.month == first.month) for day in week] for week in weeks
        ],
    }


def _labels() -> dict[str, str]:
    return {
        "kind": _("Type"),
        "place": _("Place"),
        "audience": _("Open to"),
        "upcoming": _("Upcoming"),
        "q": _("Search"),
        "__all__": "",
    }


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    filters, errors = from_query(EventFilter, request.GET)
    labels = _labels()
    context: dict[str, Any] = {
        "kinds": Kind.choices,
        "audiences": Audience.choices,
        "params": request.GET,
        "errors": [(labels.get(name, name), messages) for name, messages in errors.items()],
        "can_read": rules.may_read_attendance(access),
    }
    if request.GET.get("view") == "calendar":
        everything = filters.model_copy(update={"upcoming": False})
        context |= _calendar(listed(access, everything), request.GET.get("month"))
    else:
        query = request.GET.copy()
        query.pop("page", None)
        page = Paginator(listed(access, filters), PAGE_SIZE).get_page(request.GET.get("page"))
        now = clock.now()
        context |= {
            "view": "list",
            "page": page,
            "query": query.urlencode(),
            "signups": {event.pk: signup(event, now) for event in page.object_list},
        }
    context["mine"] = set(
        Registration.objects.visible_to(access)
        .filter(user=access.user, state__in=ACTIVE)
        .values_list("event_id", flat=True)
    )
    return render(request, "events/list.html", context)


@login_required
def event_export(request: HttpRequest) -> HttpResponse:
    """The list's rows as Excel with the same filters; with the registration figures for
    those who read attendance."""
    access = page_access(request)
    filters, errors = from_query(EventFilter, request.GET)
    if errors:
        response = event_list(request)
        response.status_code = 400
        return response
    events = listed(access, filters)
    with_figures = rules.may_read_attendance(access)
    if with_figures:
        events = statistics.with_figures(events)
    content = events_xlsx(events.iterator(chunk_size=2000), with_figures=with_figures)
    return xlsx_response(content, "events.xlsx")
