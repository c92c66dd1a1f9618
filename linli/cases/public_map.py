"""The public map of reports (as FixMyStreet has): what anyone sees without signing in, and the
"reported nearby already?" step of the reporting form, from one list.

What a report shows, and why no more:

- the category, a public status (reported, being handled, fixed and being checked, closed,
  long-term: the steps between offices stay internal, as on the reporter's own page), and the
  dates it was reported and closed (days, not times);
- its place rounded by ``places.Gazetteer.public``: the quarter or building it is in, or the
  centre of a block of about 200 m. The list and "within 200 m" are measured from that point,
  never from the exact one, so no number of questions can narrow a report down to a door.

Never the title, the description, the address as typed, photos, the reporter or the handler:
people write names, room numbers and phone numbers into them, and a category marked "shown
publicly" says the *kind* of problem may be public, not what one person wrote.

Only the cases of categories shown publicly are listed (``rules.cases``, action
``list_publicly``, as the public Open311 listing), of the last 90 days, without the rejected and
merged ones. The sub-district may turn the map off (``CaseSettings.public_map``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy
from pydantic import Field

from linli.cases.duplicates import haversine_m
from linli.cases.filters import subtree
from linli.cases.forms import category_label
from linli.cases.listing import read_page
from linli.cases.models import FINAL_STATES, Case, CaseSettings, Category, State
from linli.cases.places import Gazetteer, metres_to_degrees_lat
from linli.core import clock, display
from linli.core.access import Access
from linli.core.filters import ListFilter
from linli.core.models import Subdistrict

WINDOW = dt.timedelta(days=90)
MAP_SIZE = 300
NEARBY_M = 200
NEARBY_SIZE = 8
# A rounded point lies at most this far from the real one (half a block's diagonal, or a
# quarter's size): the margin of the box read before measuring from rounded points.
ROUNDING_MARGIN_M = 600

HIDDEN_STATES = (State.REJECTED, State.MERGED)

FIXED = pgettext_lazy("public report status", "Fixed, being checked")
HANDLING = pgettext_lazy("public report status", "Being handled")
# The public status of each state (the rest are "being handled"), and its badge tone.
PUBLIC_STATUS: dict[str, tuple[str, Promise, str]] = {
    State.RECEIVED: ("reported", pgettext_lazy("public report status", "Reported"), ""),
    State.AWAITING_VERIFICATION: ("fixed", FIXED, "ok"),
    State.VERIFIED: ("fixed", FIXED, "ok"),
    State.CALLBACK: ("fixed", FIXED, "ok"),
    State.CLOSED: ("closed", pgettext_lazy("public report status", "Closed"), "ok"),
    State.LONG_TERM: ("long_term", pgettext_lazy("public report status", "Long-term"), "warn"),
}


def public_status(state: str) -> tuple[str, str, str]:
    """(key, label, tone) of a state as the public sees it."""
    key, label, tone = PUBLIC_STATUS.get(state, ("handling", HANDLING, ""))
    return key, str(label), tone


def settings_for(subdistrict: Subdistrict) -> CaseSettings:
    found = CaseSettings.objects.filter(subdistrict=subdistrict).first()
    if found is not None:
        return found
    CaseSettings.objects.bulk_create([CaseSettings(subdistrict=subdistrict)], ignore_conflicts=True)
    return CaseSettings.objects.get(subdistrict=subdistrict)


def is_on(subdistrict: Subdistrict) -> bool:
    found = CaseSettings.objects.filter(subdistrict=subdistrict).values_list("public_map")[:1]
    return bool(found[0][0]) if found else CaseSettings().public_map


class PublicReportFilter(ListFilter):
    """The public map's filters; ``lon``/``lat`` ask for the open reports around a point."""

    category: str = Field(
        "", description="A category code; a parent category includes its subcategories."
    )
    status: Literal["", "open", "closed"] = Field("", description="open, closed or both.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude (WGS84).")
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude (WGS84).")

    def filter_category(self, value: str) -> Q:
        return Q(category_id__in=subtree(value)) if value else Q()

    def filter_status(self, value: str) -> Q:
        if value == "open":
            return ~Q(state__in=FINAL_STATES)
        if value == "closed":
            return Q(state=State.CLOSED)
        return Q()

    def filter_lon(self, value: float | None) -> Q:
        return Q()  # ``reports`` measures from the rounded points

    def filter_lat(self, value: float | None) -> Q:
        return Q()

    @property
    def near(self) -> tuple[float, float] | None:
        return (self.lon, self.lat) if self.lon is not None and self.lat is not None else None


@dataclass(frozen=True)
class PublicReport:
    number: str
    category_code: str
    category_name: str
    status: str
    status_label: str
    tone: str
    received_on: dt.date
    closed_on: dt.date | None
    place: str
    lon: float | None
    lat: float | None
    distance_m: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "category": self.category_code,
            "category_name": self.category_name,
            "status": self.status,
            "status_label": self.status_label,
            "received_on": self.received_on.isoformat(),
            "received_on_display": display.day(self.received_on),
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "closed_on_display": display.day(self.closed_on) if self.closed_on else "",
            "place": self.place,
            "lon": self.lon,
            "lat": self.lat,
            "distance_m": self.distance_m,
        }


def listed(subdistrict: Subdistrict, filters: PublicReportFilter) -> QuerySet[Case]:
    """The public's cases, newest first, narrowed by the filters (a point: to a box around it,
    open ones only)."""
    since = clock.now() - WINDOW
    cases = (
        Case.objects.visible_to(Access.anonymous(subdistrict), "list_publicly")
        .filter(received_at__gte=since)
        .exclude(state__in=HIDDEN_STATES)
    )
    cases = filters.apply(cases)
    if (near := filters.near) is not None:
        lon, lat = near
        reach = NEARBY_M + ROUNDING_MARGIN_M
        d_lat = metres_to_degrees_lat(reach)
        d_lon = d_lat / max(math.cos(math.radians(lat)), 0.01)
        cases = cases.exclude(state__in=FINAL_STATES).filter(
            lon__range=(lon - d_lon, lon + d_lon), lat__range=(lat - d_lat, lat + d_lat)
        )
    return cases.order_by("-received_at", "-id")


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(clock.local_zone()).date() if moment else None


def reports(subdistrict: Subdistrict, filters: PublicReportFilter) -> list[PublicReport]:
    """The reports the public map lists (the newest ``MAP_SIZE``), or, with a point, the open
    ones within ``NEARBY_M`` of it, nearest first."""
    near = filters.near
    size = MAP_SIZE if near is None else MAP_SIZE * 2
    rows = read_page(listed(subdistrict, filters), 1, size, size).rows
    places = Gazetteer()
    names = {c.code: category_label(c) for c in Category.objects.all()}
    found = []
    for row in rows:
        lon, lat, place = None, None, ""
        if row["lon"] is not None and row["lat"] is not None:
            public = places.public(row["lon"], row["lat"])
            lon, lat, place = public.lon, public.lat, public.words
        distance = None
        if near is not None:
            if lon is None or lat is None:
                continue
            metres = haversine_m(near[0], near[1], lon, lat)
            if metres > NEARBY_M:
                continue
            distance = int(round(metres / 10) * 10)
        key, label, tone = public_status(row["state"])
        received = _local_day(row["received_at"])
        assert received is not None  # noqa: S101 - every case has its reception time
        found.append(
            PublicReport(
                number=row["number"],
                category_code=row["category_code"],
                category_name=names.get(row["category_code"], row["category_name"]),
                status=key,
                status_label=label,
                tone=tone,
                received_on=received,
                closed_on=_local_day(row["closed_at"]) if row["state"] == State.CLOSED else None,
                place=place,
                lon=lon,
                lat=lat,
                distance_m=distance,
            )
        )
    if near is not None:
        found.sort(key=lambda r: (r.distance_m or 0, -r.received_on.toordinal()))
        return found[:NEARBY_SIZE]
    return found
