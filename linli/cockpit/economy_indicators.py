"""The economy indicators of the cockpit: the buildings' tax and 100-million-yuan buildings, the
enterprises registered and moved out, vacancy, the relocation watch list and the investment
pipeline's conversions.

Tax and vacancy are read the way the building dashboards read them (``buildings.building_rows``:
the reported tax of a building, else the sum of its enterprises' tax; the free vacant units,
else the building's own figure), so the cockpit and the dashboards never disagree. The watch
list is counted from the nightly relocation-risk snapshots, not scored again per request.
Moves out are read from the registry's audit log, the one dated record of an enterprise's
status changes (pages, API and imports all write it).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import CharField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from linli.cockpit.buildings import BuildingRow, building_rows
from linli.cockpit.indicators import Figure, Part, Period, indicator, rate
from linli.core import clock
from linli.core.access import Access
from linli.core.models import AuditEntry
from linli.enterprise.investment.models import Prospect, Source, Stage, StageChange
from linli.enterprise.retention.models import RiskSnapshot
from linli.enterprise.retention.risk import HIGH_FROM, MEDIUM_FROM
from linli.registry.models import Building, Enterprise

ECONOMY = _("Economy")

# An enterprise has left (or is leaving) the sub-district in these statuses.
GONE = (Enterprise.Status.MOVING_OUT, Enterprise.Status.CLOSED)


def _rows(access: Access, period: Period) -> list[BuildingRow]:
    """Every building the reader sees, with its figures of the month's year."""
    return building_rows(access, Building.objects.visible_to(access).order_by("code"), period.year)


def _dashboard(building: Building) -> str:
    return reverse("cockpit:building", args=[building.pk])


def _ranking() -> str:
    return reverse("cockpit:index") + "?" + urlencode({"sort": "tax"})


def _taxed(rows: list[BuildingRow]) -> list[BuildingRow]:
    """The buildings with a tax figure in the year, largest first."""
    found = [row for row in rows if row.tax is not None]
    return sorted(found, key=lambda row: (-(row.tax or 0), row.building.code))


def _tax_part(row: BuildingRow) -> Part:
    return Part(row.building.name, round(row.tax or 0), _dashboard(row.building))


@indicator(
    key="economy.tax",
    group=ECONOMY,
    label=_("Tax of the buildings (10k yuan)"),
    definition=_(
        "Tax paid in the year of the month by the enterprises of every building and park, in "
        "10k yuan: the figure the building reported for that year, or else the sum of its "
        "enterprises' yearly tax. A year without any figure shows no value, not zero."
    ),
    formula=_("sum over buildings of (reported tax of the year, else sum of enterprises' tax)"),
    breakdown=_("By building"),
)
def tax(access: Access, period: Period) -> Figure:
    taxed = _taxed(_rows(access, period))
    if not taxed:
        return Figure(None)
    total = sum((row.tax or Decimal(0) for row in taxed), Decimal(0))
    return Figure(round(float(total), 2), _ranking(), tuple(map(_tax_part, taxed)))


@indicator(
    key="economy.hundred_million_buildings",
    group=ECONOMY,
    label=_("100-million-yuan buildings"),
    definition=_(
        "Buildings and parks whose tax in the year of the month reached 100 million yuan "
        "(亿元楼), counted on the same tax figure as the building dashboards."
    ),
    formula=_("count(buildings with tax of the year ≥ 10,000 (10k yuan))"),
    breakdown=_("Buildings and their tax (10k yuan)"),
)
def hundred_million_buildings(access: Access, period: Period) -> Figure:
    taxed = _taxed(_rows(access, period))
    if not taxed:
        return Figure(None)
    parts = tuple(_tax_part(row) for row in taxed if row.hundred_million)
    return Figure(len(parts), _ranking(), parts)


@indicator(
    key="economy.enterprises_registered",
    group=ECONOMY,
    label=_("Enterprises registered"),
    definition=_(
        "Enterprises of the registry founded (registered with the market regulator) in the "
        "month, by the founding date the registry records."
    ),
    formula=_("count(enterprises with founding date in the month)"),
    breakdown=_("By building"),
)
def enterprises_registered(access: Access, period: Period) -> Figure:
    founded = Enterprise.objects.visible_to(access).filter(
        founded_on__gte=period.first_day, founded_on__lte=period.last_day
    )
    rows = (
        founded.values("building_id", "building__name")
        .annotate(n=Count("id"))
        .order_by("-n", "building__name")
    )
    parts = tuple(
        Part(
            row["building__name"] or str(_("No building")),
            row["n"],
            reverse("cockpit:building", args=[row["building_id"]]) if row["building_id"] else "",
        )
        for row in rows
    )
    return Figure(sum(p.value for p in parts), parts=parts)


def _status_changes(access: Access) -> QuerySet[AuditEntry]:
    """The audit rows that set an enterprise's status (creation included), of the
    enterprises the reader sees."""
    seen = Enterprise.objects.visible_to(access).annotate(key=Cast("pk", CharField())).values("key")
    return AuditEntry.objects.filter(
        object_type=Enterprise._meta.label_lower,
        action__in=("registry.enterprise.create", "registry.enterprise.update"),
        object_id__in=seen,
        after__has_key="status",
    )


@indicator(
    key="economy.enterprises_moved_out",
    group=ECONOMY,
    label=_("Enterprises moved out"),
    definition=_(
        "Enterprises whose status went from active to moving out or closed in the month and "
        "had not come back to active by the month's end; an enterprise that left and came "
        "back within the month is not counted, and each counts once however often it moved."
    ),
    formula=_(
        "count(distinct enterprises with a change active → moving out or closed in the month "
        "and status at the month's end moving out or closed)"
    ),
    lower_is_better=True,
    breakdown=_("By status at the month's end"),
)
def enterprises_moved_out(access: Access, period: Period) -> Figure:
    changes = _status_changes(access)
    at_end = (
        changes.filter(object_id=OuterRef("object_id"), at__lt=period.end)
        .order_by("-at", "-id")
        .values(status=KT("after__status"))[:1]
    )
    left = (
        changes.filter(
            action="registry.enterprise.update",
            at__gte=period.start,
            at__lt=period.end,
            before__status=Enterprise.Status.ACTIVE,
            after__status__in=GONE,
        )
        .annotate(end_status=Subquery(at_end))
        .filter(end_status__in=GONE)
    )
    labels = dict(Enterprise.Status.choices)
    rows = (
        left.values("end_status")
        .annotate(n=Count("object_id", distinct=True))
        .order_by("end_status")
    )
    parts = tuple(Part(str(labels[row["end_status"]]), row["n"]) for row in rows)
    return Figure(sum(p.value for p in parts), parts=parts)


@indicator(
    key="economy.vacancy",
    group=ECONOMY,
    label=_("Vacancy rate"),
    definition=_(
        "Vacant floor area of the buildings and parks over their floor area, as it stands now: "
        "the free vacant units where a building's units are recorded, else the vacant area the "
        "building reported."
    ),
    formula=_("vacant area ÷ floor area (m²)"),
    is_rate=True,
    lower_is_better=True,
    breakdown=_("Vacant area by building (m²)"),
)
def vacancy(access: Access, period: Period) -> Figure:
    rows = _rows(access, period)
    floor = sum((row.building.floor_area_m2 for row in rows), Decimal(0))
    vacant = sum((row.vacant_area for row in rows), Decimal(0))
    parts = tuple(
        Part(
            row.building.name,
            round(row.vacant_area),
            reverse("investment:space") + "?" + urlencode({"building": row.building.pk}),
        )
        for row in sorted(rows, key=lambda row: (-row.vacant_area, row.building.code))
        if row.vacant_area
    )
    value = round(float(vacant / floor), 4) if floor else None
    return Figure(value, reverse("investment:space"), parts, base=round(floor))


def _level_label(level: str) -> str:
    return {
        "high": pgettext("risk", "High"),
        "medium": pgettext("risk", "Medium"),
        "low": pgettext("risk", "Low"),
    }[level]


@indicator(
    key="economy.watchlist",
    group=ECONOMY,
    label=_("Relocation watch list"),
    definition=_(
        "Enterprises with any relocation warning sign (a risk score above zero) in the last "
        "nightly risk snapshot of the month, or of today for the current month. A month "
        "without a snapshot shows no value."
    ),
    formula=_("count(enterprises with risk score > 0 in the month's last snapshot)"),
    lower_is_better=True,
    breakdown=_("By risk level"),
)
def watchlist(access: Access, period: Period) -> Figure:
    snapshots = RiskSnapshot.objects.visible_to(access)
    last_day = min(period.last_day, clock.today())
    day = (
        snapshots.filter(on__gte=period.first_day, on__lte=last_day)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    if day is None:
        return Figure(None)
    counts = snapshots.filter(on=day, score__gt=0).aggregate(
        high=Count("id", filter=Q(score__gte=HIGH_FROM)),
        medium=Count("id", filter=Q(score__gte=MEDIUM_FROM, score__lt=HIGH_FROM)),
        low=Count("id", filter=Q(score__lt=MEDIUM_FROM)),
    )
    url = reverse("retention:watchlist")
    parts = tuple(Part(_level_label(level), counts[level], url) for level in counts)
    return Figure(sum(counts.values()), url, parts)


def _decided(access: Access, period: Period) -> QuerySet[StageChange]:
    """The pipeline's closing moves of the month: to registered or lost."""
    return StageChange.objects.visible_to(access).filter(
        at__gte=period.start,
        at__lt=period.end,
        to_stage__in=(Stage.REGISTERED, Stage.LOST),
        prospect__in=Prospect.objects.visible_to(access),
    )


@indicator(
    key="economy.investment_conversions",
    group=ECONOMY,
    label=_("Investment conversions"),
    definition=_(
        "Prospects of the investment pipeline that registered as an enterprise of the "
        "sub-district in the month, each counted once."
    ),
    formula=_("count(distinct prospects moved to registered in the month)"),
    breakdown=_("By source"),
)
def investment_conversions(access: Access, period: Period) -> Figure:
    registered = _decided(access, period).filter(to_stage=Stage.REGISTERED)
    rows = (
        registered.values(source=F("prospect__source"))
        .annotate(n=Count("prospect_id", distinct=True))
        .order_by("-n", "source")
    )
    labels = dict(Source.choices)
    board = reverse("investment:board")
    parts = tuple(
        Part(
            str(labels.get(row["source"], row["source"])),
            row["n"],
            board + "?" + urlencode({"stage": Stage.REGISTERED, "source": row["source"]}),
        )
        for row in rows
    )
    url = board + "?" + urlencode({"stage": Stage.REGISTERED})
    return Figure(sum(p.value for p in parts), url, parts)


@indicator(
    key="economy.conversion_rate",
    group=ECONOMY,
    label=_("Investment conversion rate"),
    definition=_(
        "Of the prospects decided in the month (registered or lost), the share that "
        "registered. A month without a decided prospect has no rate."
    ),
    formula=_("registered in the month ÷ (registered + lost in the month)"),
    is_rate=True,
)
def conversion_rate(access: Access, period: Period) -> Figure:
    counts = _decided(access, period).aggregate(
        registered=Count("prospect_id", filter=Q(to_stage=Stage.REGISTERED), distinct=True),
        decided=Count("prospect_id", distinct=True),
    )
    url = reverse("investment:statistics")
    return Figure(rate(counts["registered"], counts["decided"]), url, base=counts["decided"])
