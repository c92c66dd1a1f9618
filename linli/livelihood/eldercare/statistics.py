"""The figures of elderly care, each aggregated in the database from what the reader may see
(``visible_to``): plain functions the pages, the exports and the cockpit share.

Hours entitled are the hours of a month's slots that were not cancelled (a slot cancelled by a
suspension or a re-assessment was not owed); hours delivered are those of the slots done.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from linli.core import clock
from linli.core.access import Access
from linli.livelihood.eldercare.models import ACTIVE, CareOrder, CareVisit
from linli.livelihood.eldercare.planner import month_bounds
from linli.livelihood.eldercare.rules import STATISTICS
from linli.registry.models import Facility

ZERO = Value(Decimal(0))
ENTITLED = Coalesce(Sum("hours", filter=~Q(status=CareVisit.Status.CANCELLED)), ZERO)
DELIVERED = Coalesce(Sum("hours", filter=Q(status=CareVisit.Status.DONE)), ZERO)
MISSED = Count("pk", filter=Q(status=CareVisit.Status.MISSED))


def month_visits(access: Access, month: dt.date) -> Any:
    first, last = month_bounds(month)
    zone = clock.local_zone()
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return CareVisit.objects.visible_to(access, STATISTICS).filter(
        starts_at__gte=start, starts_at__lt=end
    )


def hours_by_person(access: Access, month: dt.date) -> list[dict[str, Any]]:
    return list(
        month_visits(access, month)
        .values(person_id=F("order__person_id"), name=F("order__person__name"))
        .annotate(entitled=ENTITLED, delivered=DELIVERED, missed=MISSED)
        .order_by("name", "person_id")
    )


def hours_by_provider(access: Access, month: dt.date) -> list[dict[str, Any]]:
    return list(
        month_visits(access, month)
        .values(provider_id=F("order__provider_id"), name=F("order__provider__name"))
        .annotate(
            entitled=ENTITLED,
            delivered=DELIVERED,
            missed=MISSED,
            elders=Count("order__person_id", distinct=True),
        )
        .order_by("name")
    )


def orders_by_grade(access: Access) -> list[dict[str, Any]]:
    """Orders in force, per grade and kind."""
    return list(
        CareOrder.objects.visible_to(access, STATISTICS)
        .filter(status__in=ACTIVE)
        .values("grade", "kind")
        .annotate(orders=Count("pk"))
        .order_by("grade", "kind")
    )


def care_homes(access: Access) -> list[dict[str, Any]]:
    """Each care home's beds, beds taken and elders waiting (counted among the orders the
    reader sees)."""
    orders = CareOrder.objects.visible_to(access, STATISTICS).filter(
        kind=CareOrder.Kind.CARE_HOME_BED
    )
    counts = {
        row["facility_id"]: row
        for row in orders.values("facility_id").annotate(
            occupied=Count("pk", filter=Q(status__in=ACTIVE[1:])),
            waiting=Count(
                "pk", filter=Q(status__in=(CareOrder.Status.REQUESTED, CareOrder.Status.APPROVED))
            ),
        )
    }
    rows = []
    for home in Facility.objects.filter(category=Facility.Category.CARE_HOME).order_by("name"):
        found = counts.get(home.pk, {})
        occupied = found.get("occupied", 0)
        rows.append(
            {
                "facility": home,
                "capacity": home.capacity,
                "occupied": occupied,
                "waiting": found.get("waiting", 0),
                "rate": occupied / home.capacity if home.capacity else None,
            }
        )
    return rows


def waiting_list(access: Access, home: Facility) -> list[CareOrder]:
    """Entitled elders first (a subsidised bed), then by the date of the request."""
    return list(
        CareOrder.objects.visible_to(access)
        .filter(
            facility=home,
            kind=CareOrder.Kind.CARE_HOME_BED,
            status__in=(CareOrder.Status.REQUESTED, CareOrder.Status.APPROVED),
        )
        .select_related("person")
        .order_by("-entitled", "requested_on", "pk")
    )
