"""The livelihood indicators of the cockpit: caring visits, meals and elderly care.

Each figure is one or two aggregate queries. Caring visits are counted through the caring
app's ``statistics`` reading (leaders count every plan, never see a name). Meal orders and care
orders are shown only to those who work on the persons; their counts hold no name, so an
overview reader (leader, administrator) counts the whole sub-district (``counted_by``), as the
meals statistics page does for leaders. The list behind a figure is linked only for a reader
whose role opens it.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.cockpit import rules
from linli.cockpit.indicators import Figure, Part, Period, indicator, rate
from linli.core import clock
from linli.core.access import Access
from linli.livelihood.caring import rules as caring_rules
from linli.livelihood.caring import statistics as caring_statistics
from linli.livelihood.caring.models import DONE_OUTCOMES, Alert, CaringVisit
from linli.livelihood.eldercare import rules as eldercare_rules
from linli.livelihood.eldercare.models import CareOrder, CareVisit
from linli.livelihood.eldercare.statistics import DELIVERED, ENTITLED, MISSED
from linli.livelihood.meals import rules as meals_rules
from linli.livelihood.meals.models import MEAL_POINT, MealOrder
from linli.registry.models import Facility

LIVELIHOOD = _("Livelihood")
GRID = "person__dwelling__unit__building__grid"


def counted_by(access: Access) -> Access:
    """Whose reading an overview figure counts with: the whole sub-district for the overview's
    readers (counts without names, like the case rates), the reader's own rows for anyone
    else."""
    if rules.can_view_overview(access) and access.subdistrict is not None:
        return Access.system(access.subdistrict)
    return access


def page_url(name: str, allowed: bool, **params: object) -> str:
    """The app's page with the filters in its URL, or nothing if the reader may not open it."""
    if not allowed:
        return ""
    shown = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(shown) if shown else "")


def days_counted(period: Period) -> int:
    """Days of the month gone so far (all of it once over; none before it starts)."""
    last = min(period.last_day, clock.today())
    return max(0, (last - period.first_day).days + 1)


@indicator(
    key="livelihood.caring_coverage",
    group=LIVELIHOOD,
    label=_("Caring-visit coverage"),
    definition=_(
        "Of the elders with a caring-visit plan open on some day of the month, the share "
        "reached at least once in the month (seen well or with concerns; a visit that did not "
        "reach them does not count). The national target is 100 per cent every month."
    ),
    formula=_("plans with a reaching visit in the month ÷ plans open in the month"),
    is_rate=True,
    breakdown=_("Not reached this month, by grid"),
)
def caring_coverage(access: Access, period: Period) -> Figure:
    (total,) = caring_statistics.coverage(access, period.first_day)
    url = page_url("caring:statistics", caring_rules.may_see_statistics(access), month=str(period))
    parts = tuple(
        Part(row.name or str(_("No grid")), row.due - row.done, url)
        for row in caring_statistics.coverage(access, period.first_day, by="grid")
        if row.due > row.done
    )
    return Figure(rate(total.done, total.due), url, parts, base=total.due)


@indicator(
    key="livelihood.not_reached_twice",
    group=LIVELIHOOD,
    label=_("Elders not reached twice"),
    definition=_(
        "Elders whose visit in the month was the second in a row that did not reach them "
        "(the urgent alert), and who had not been reached since by the end of the month "
        "(today, for this month)."
    ),
    formula=_(
        "count(distinct elders with a second not-reached visit in the month and no reaching "
        "visit after it)"
    ),
    lower_is_better=True,
    breakdown=_("By grid"),
)
def not_reached_twice(access: Access, period: Period) -> Figure:
    reached_since = CaringVisit.objects.filter(
        Q(on__gt=OuterRef("on")) | Q(on=OuterRef("on"), pk__gt=OuterRef("pk")),
        person_id=OuterRef("person_id"),
        outcome__in=DONE_OUTCOMES,
        on__lte=period.last_day,
    )
    missed = CaringVisit.objects.visible_to(access, caring_rules.STATISTICS).filter(
        ~Exists(reached_since),
        alert__kind=Alert.Kind.NOT_REACHED_TWICE,
        on__gte=period.first_day,
        on__lte=period.last_day,
    )
    url = page_url("caring:statistics", caring_rules.may_see_statistics(access), month=str(period))
    by_grid = (
        missed.values(f"{GRID}__code", f"{GRID}__name")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", f"{GRID}__code")
    )
    parts = tuple(
        Part(
            f"{row[f'{GRID}__code']} {row[f'{GRID}__name']}"
            if row[f"{GRID}__code"]
            else str(_("No grid")),
            row["n"],
        )
        for row in by_grid
    )
    return Figure(sum(p.value for p in parts), url, parts)


def _meals(access: Access, period: Period) -> tuple[QuerySet[MealOrder], str]:
    orders = MealOrder.objects.visible_to(counted_by(access)).filter(
        day__gte=period.first_day, day__lte=period.last_day, status=MealOrder.Status.SERVED
    )
    url = page_url("meals:statistics", meals_rules.may_read_statistics(access), month=str(period))
    return orders, url


@indicator(
    key="livelihood.meals_served",
    group=LIVELIHOOD,
    label=_("Meals served"),
    definition=_(
        "Meals served in the month at the meal-assist points and canteens, eaten there or "
        "delivered; an order cancelled or not yet served does not count."
    ),
    formula=_("count(meal orders served, with a day in the month)"),
    breakdown=_("By meal point"),
)
def meals_served(access: Access, period: Period) -> Figure:
    orders, url = _meals(access, period)
    by_point = orders.values("point__name").annotate(n=Count("pk")).order_by("-n", "point__name")
    parts = tuple(Part(row["point__name"], row["n"], url) for row in by_point)
    return Figure(sum(p.value for p in parts), url, parts)


@indicator(
    key="livelihood.meal_capacity_use",
    group=LIVELIHOOD,
    label=_("Meal points' capacity used"),
    definition=_(
        "Meals served in the month at the points with a daily capacity, against that capacity "
        "over the days of the month gone so far (the whole month once it is over)."
    ),
    formula=_("meals served ÷ (sum of the points' meals a day × days counted)"),
    is_rate=True,
)
def meal_capacity_use(access: Access, period: Period) -> Figure:
    orders, url = _meals(access, period)
    served = orders.filter(point__capacity__isnull=False).count()
    daily = Facility.objects.filter(category=MEAL_POINT).aggregate(n=Sum("capacity"))["n"] or 0
    capacity = daily * days_counted(period)
    return Figure(rate(served, capacity), url, base=capacity)


@indicator(
    key="livelihood.care_hours",
    group=LIVELIHOOD,
    label=_("Long-term-care hours delivered"),
    definition=_(
        "Of the home-care hours owed in the month (the slots of the month not cancelled: a "
        "slot cancelled by a suspension or a re-assessment is not owed), the share delivered "
        "(slots done). A missed slot is owed and not delivered."
    ),
    formula=_("hours of slots done ÷ hours of slots not cancelled, slots starting in the month"),
    is_rate=True,
    breakdown=_("Slots missed, by provider"),
)
def care_hours(access: Access, period: Period) -> Figure:
    visits = CareVisit.objects.visible_to(counted_by(access)).filter(
        starts_at__gte=period.start, starts_at__lt=period.end
    )
    total = visits.aggregate(entitled=ENTITLED, delivered=DELIVERED)
    entitled, delivered = Decimal(total["entitled"]), Decimal(total["delivered"])
    url = page_url("eldercare:hours", eldercare_rules.is_care_staff(access), month=str(period))
    missed = (
        visits.values("order__provider__name")
        .annotate(n=MISSED)
        .filter(n__gt=0)
        .order_by("-n", "order__provider__name")
    )
    parts = tuple(Part(row["order__provider__name"], row["n"], url) for row in missed)
    share = round(float(delivered / entitled), 4) if entitled else None
    return Figure(share, url, parts, base=round(entitled))


@indicator(
    key="livelihood.care_home_occupancy",
    group=LIVELIHOOD,
    label=_("Care-home occupancy"),
    definition=_(
        "Care-home beds taken at this moment against the beds of the care homes (those with a "
        "number of beds). A resident "
        "in hospital (order suspended) keeps the bed; a cancelled or still awaited order "
        "takes none."
    ),
    formula=_("bed orders scheduled or suspended ÷ sum of the care homes' beds"),
    is_rate=True,
    breakdown=_("Beds taken, by care home"),
)
def care_home_occupancy(access: Access, period: Period) -> Figure:
    beds = (
        Facility.objects.filter(category=Facility.Category.CARE_HOME).aggregate(n=Sum("capacity"))[
            "n"
        ]
        or 0
    )
    taken = (
        CareOrder.objects.visible_to(counted_by(access))
        .filter(
            kind=CareOrder.Kind.CARE_HOME_BED,
            status__in=(CareOrder.Status.SCHEDULED, CareOrder.Status.SUSPENDED),
            facility__capacity__isnull=False,
        )
        .values("facility__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "facility__name")
    )
    url = page_url("eldercare:care_homes", eldercare_rules.is_care_staff(access))
    parts = tuple(Part(row["facility__name"], row["n"], url) for row in taken)
    return Figure(rate(sum(p.value for p in parts), beds), url, parts, base=beds)
