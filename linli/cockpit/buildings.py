"""Figures of the buildings: the ranking of all of them and one building's dashboard.

Tax of a building in a year is the figure the building reported (``BuildingTaxYear``); where
a year has no such figure, the sum of its enterprises' tax that year (``EnterpriseYear``)
stands in. A building is a 100-million-yuan building (亿元楼) in a year when that tax is at
least 10,000 (10k yuan). Vacancy comes from ``linli.enterprise.investment.vacancy``: the free
vacant units where units are recorded, else the building's own figure.

Every figure is read through the registry's audiences for the person asking (``visible_to``):
the buildings they see, the enterprises they see (counts, industries) and the yearly figures
of those whose full profile they read (the enterprises' tax). A leader sees all of them.

The ranking reads every building's figures in a fixed number of queries, whatever the number
of buildings (tests/cockpit/test_ranking.py holds it to that).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from linli.cases.models import FINAL_STATES, Case
from linli.cockpit.usage import subcentre_usage
from linli.core import clock
from linli.core.access import Access
from linli.enterprise.investment.vacancy import vacant_area
from linli.registry.industry import section_name
from linli.registry.models import (
    HUNDRED_MILLION_IN_TEN_THOUSANDS,
    Building,
    BuildingTaxYear,
    Enterprise,
    EnterpriseYear,
)

USAGE_DAYS = 90
SORTS = {
    "name": lambda row: row.building.name,
    "tax": lambda row: row.tax if row.tax is not None else Decimal(-1),
    "growth": lambda row: row.growth if row.growth is not None else float("-inf"),
    "vacancy": lambda row: row.vacancy_rate,
    "cases": lambda row: row.open_cases,
    "enterprises": lambda row: row.enterprises,
}


@dataclass
class TaxYear:
    year: int
    reported: Decimal | None  # BuildingTaxYear
    enterprises: Decimal | None  # sum of EnterpriseYear

    @property
    def tax(self) -> Decimal | None:
        return self.reported if self.reported is not None else self.enterprises

    @property
    def hundred_million(self) -> bool:
        return self.tax is not None and self.tax >= HUNDRED_MILLION_IN_TEN_THOUSANDS


@dataclass
class BuildingRow:
    building: Building
    year: int | None
    enterprises: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    years: list[TaxYear] = field(default_factory=list)  # oldest first
    vacant_area: Decimal = Decimal(0)
    open_cases: int = 0

    def _tax_in(self, year: int | None) -> Decimal | None:
        return next((y.tax for y in self.years if y.year == year), None)

    @property
    def tax(self) -> Decimal | None:
        return self._tax_in(self.year)

    @property
    def previous_tax(self) -> Decimal | None:
        return self._tax_in(self.year - 1) if self.year is not None else None

    @property
    def growth(self) -> float | None:
        """Change of tax on the year before, as a fraction (0.1 = +10 %)."""
        if self.tax is None or not self.previous_tax:
            return None
        return float((self.tax - self.previous_tax) / self.previous_tax)

    @property
    def hundred_million(self) -> bool:
        return self.tax is not None and self.tax >= HUNDRED_MILLION_IN_TEN_THOUSANDS

    @property
    def hundred_million_years(self) -> list[int]:
        return [y.year for y in self.years if y.hundred_million]

    @property
    def vacancy_rate(self) -> float:
        area = self.building.floor_area_m2
        return float(self.vacant_area / area) if area else 0.0


def _tax_years(access: Access, building_ids: list[int]) -> dict[int, list[TaxYear]]:
    reported: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in BuildingTaxYear.objects.filter(building_id__in=building_ids).values(
        "building_id", "year", "tax"
    ):
        reported[row["building_id"]][row["year"]] = row["tax"]
    summed: dict[int, dict[int, Decimal]] = defaultdict(dict)
    figures = Enterprise.objects.visible_to(access, "view_full")
    rows = (
        EnterpriseYear.objects.filter(
            enterprise__in=figures, enterprise__building_id__in=building_ids
        )
        .values("enterprise__building_id", "year")
        .annotate(tax=Sum("tax"))
    )
    for summed_row in rows:
        building_id = summed_row["enterprise__building_id"]
        summed[building_id][summed_row["year"]] = summed_row["tax"]
    result = {}
    for pk in building_ids:
        years = sorted(set(reported[pk]) | set(summed[pk]))
        result[pk] = [TaxYear(y, reported[pk].get(y), summed[pk].get(y)) for y in years]
    return result


def latest_year() -> int | None:
    """The last year with a building tax figure in the sub-district."""
    found = BuildingTaxYear.objects.order_by("-year").values_list("year", flat=True).first()
    return found


def building_rows(
    access: Access, buildings: Iterable[Building], year: int | None = None
) -> list[BuildingRow]:
    """The figures of ``buildings`` (already among those ``access`` sees) as ``access`` may
    read them."""
    buildings = list(buildings)
    ids = [b.pk for b in buildings]
    year = year if year is not None else latest_year()
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in (
        Enterprise.objects.visible_to(access)
        .filter(building_id__in=ids)
        .values("building_id", "status")
        .annotate(n=Count("id"))
    ):
        counts[row["building_id"]][row["status"]] = row["n"]
    cases = dict(
        Case.objects.visible_to(access)
        .filter(building_id__in=ids)
        .exclude(state__in=FINAL_STATES)
        .values("building_id")
        .annotate(n=Count("id"))
        .values_list("building_id", "n")
    )
    taxes = _tax_years(access, ids)
    vacancy = vacant_area(buildings)
    return [
        BuildingRow(
            building=b,
            year=year,
            enterprises=sum(counts[b.pk].values()),
            by_status=dict(counts[b.pk]),
            years=taxes[b.pk],
            vacant_area=vacancy[b.pk],
            open_cases=cases.get(b.pk, 0),
        )
        for b in buildings
    ]


def ranking(access: Access, sort: str = "tax", descending: bool = True) -> list[BuildingRow]:
    """Every building ``access`` sees with its figures, sorted by one of ``SORTS``."""
    rows = building_rows(access, Building.objects.visible_to(access).order_by("code"))
    key = SORTS.get(sort, SORTS["tax"])
    return sorted(rows, key=key, reverse=descending)


@dataclass
class Dashboard(BuildingRow):
    """One building's figures (a ``BuildingRow``) and what only its dashboard shows."""

    industries: list[dict[str, Any]] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)  # the latest open ones
    usage: dict[str, Any] = field(default_factory=dict)
    usage_since: dt.date | None = None
    usage_until: dt.date | None = None

    @property
    def row(self) -> BuildingRow:
        return self


def industry_mix(access: Access, building: Building) -> list[dict[str, Any]]:
    """Active enterprises of the building (those ``access`` sees) per GB/T 4754 section,
    largest first."""
    rows = (
        Enterprise.objects.visible_to(access)
        .filter(building=building, status=Enterprise.Status.ACTIVE)
        .annotate(section=Substr("industry_code", 1, 1))
        .values("section")
        .annotate(n=Count("id"))
        .order_by("-n", "section")
    )
    return [
        {"section": r["section"], "name": section_name(r["section"]), "count": r["n"]} for r in rows
    ]


def dashboard(access: Access, building: Building) -> Dashboard:
    (row,) = building_rows(access, [building])
    until = clock.today()
    since = until - dt.timedelta(days=USAGE_DAYS - 1)
    cases = list(
        Case.objects.visible_to(access)
        .filter(building=building)
        .exclude(state__in=FINAL_STATES)
        .select_related("category")
        .order_by("-id")[:10]
    )
    return Dashboard(
        **vars(row),
        industries=industry_mix(access, building),
        cases=cases,
        usage=subcentre_usage([building.pk], since, until, access=access)[building.pk],
        usage_since=since,
        usage_until=until,
    )
