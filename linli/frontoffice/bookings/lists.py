"""The bookings list: its page (filters, pages) and its Excel export. The API endpoint
(``api.list_bookings``) reads the same rows: ``listed`` with the same ``BookingFilter``.

What a person finds here is what ``Booking.objects.visible_to`` lets them see: the centre's
booking staff every booking, an enterprise's people their enterprise's, everyone their own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from linli.core.access import Access
from linli.core.filters import from_query
from linli.core.http import htmx_partial, page_access, xlsx_response
from linli.frontoffice.bookings import queries
from linli.frontoffice.bookings.exports import bookings_xlsx
from linli.frontoffice.bookings.filters import BookingFilter, filtered
from linli.frontoffice.bookings.models import Booking, ResourceKind, State
from linli.registry.models import Enterprise

PAGE_SIZE = 25


def listed(access: Access, filters: BookingFilter) -> QuerySet[Booking]:
    """The rows of the list, on every surface."""
    return filtered(queries.visible_bookings(access), filters)


def _labels() -> dict[str, str]:
    return {
        "state": _("State"),
        "kind": _("Kind"),
        "resource": _("Resource"),
        "place": _("Place"),
        "enterprise": _("On behalf of"),
        "since": _("From"),
        "until": _("Until"),
        "q": _("Search"),
        "__all__": "",
    }


def _enterprise_choices(access: Access, filters: BookingFilter) -> QuerySet[Enterprise]:
    """The "on behalf of" select: the person's own enterprises and the one filtered on, never
    every enterprise that ever booked (2,000 options at a sub-district's size); staff find any
    other enterprise by its name in the search."""
    wanted = access.linked_ids("enterprise")
    if filters.enterprise is not None:
        wanted.add(filters.enterprise)
    return Enterprise.objects.visible_to(access).filter(pk__in=sorted(wanted)).order_by("name")


@login_required
def booking_list(request: HttpRequest) -> HttpResponse:
    access = page_access(request)
    filters, errors = from_query(BookingFilter, request.GET)
    rows = listed(access, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    labels = _labels()
    context = {
        "page": page,
        "params": request.GET,
        "query": query.urlencode(),
        "errors": [(labels.get(name, name), messages) for name, messages in errors.items()],
        "states": State.choices,
        "kinds": ResourceKind.choices,
        "places": queries.places(),
        "enterprises": _enterprise_choices(access, filters),
    }
    template = htmx_partial(request, "bookings/list.html", "bookings/_list_table.html")
    return render(request, template, context)


@login_required
def booking_export(request: HttpRequest) -> HttpResponse:
    """The list's rows as Excel, with the same filters (invalid ones: the page shows why)."""
    access = page_access(request)
    filters, errors = from_query(BookingFilter, request.GET)
    if errors:
        response = booking_list(request)
        response.status_code = 400
        return response
    rows = listed(access, filters).select_related("resource__place", "booker")
    return xlsx_response(bookings_xlsx(rows.iterator(chunk_size=2000)), "bookings.xlsx")
