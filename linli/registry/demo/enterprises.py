"""Synthetic enterprises of a central business district: credit codes, names, industries
(``industries.csv``), sizes, leases, qualification tags and three years of revenue and tax that
add up to the building totals.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from linli.core.demo import read_csv
from linli.core.models import Subdistrict, User
from linli.core.pii import encrypt, lookup_hash
from linli.registry.credit_code import ALPHABET, check_character
from linli.registry.demo.homes import DemoHome
from linli.registry.demo.names import foreign_trade_name, mobile_number, person_name, trade_name
from linli.registry.demo.places import LATEST_YEAR, BuildingPlan
from linli.registry.models import Building, Enterprise, EnterpriseYear

Tag = Enterprise.Tag
Status = Enterprise.Status

REGION = "310106"  # Jing'an District
FIGURE_YEARS = (2023, 2024, 2025)
# Share of a building's tax paid by the enterprises in the registry; the rest comes from
# branches and firms registered elsewhere.
REGISTRY_COVERAGE = 0.95
NO_BUILDING_SHARE = 0.02
# Organisation codes issued since the 2015 reform start with "MA" and are alphanumeric.
NEW_STYLE_FROM = 2016
_NUMERIC_SPACE = 10**8
_ALNUM_SPACE = len(ALPHABET) ** 6
_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class Industry:
    """One row of ``industries.csv``."""

    code: str  # GB/T 4754-2017 class
    weight: int  # out of 100 enterprises in a central business district
    word: str  # the industry part of a company name
    revenue_per_head: float  # 10k yuan a year, to spread tax by size
    tax_rate: float  # tax ÷ revenue
    capital: float  # median registered capital, 10k yuan


def _number(text: str) -> float:
    return int(text) if text.isdigit() else float(text)


# Weighted like a CBD: leasing and business services, finance, IT, trade, professional services.
INDUSTRIES: tuple[Industry, ...] = tuple(
    Industry(
        code=row["code"],
        weight=int(row["weight"]),
        word=row["word"],
        revenue_per_head=_number(row["revenue_per_head"]),
        tax_rate=_number(row["tax_rate"]),
        capital=_number(row["capital"]),
    )
    for row in read_csv(Path(__file__).with_name("industries.csv"))
)
# Hundred-million buildings lean further towards finance and headquarters.
_PRIME_BIAS = {"J": 1.7, "L": 1.2, "F": 0.7, "R": 0.7, "H": 0.4, "E": 0.4, "P": 0.4}


def organisation_code(n: int, new_style: bool) -> str:
    """A distinct 9-character organisation code (GB 11714, with its check character) for n.

    An affine map is a bijection on its range, so distinct n never share a code and consecutive
    n do not look consecutive.
    """
    if new_style:
        value = (387_420_489 * n + 123_456_789) % _ALNUM_SPACE
        body = "MA" + "".join(
            ALPHABET[(value // len(ALPHABET) ** k) % len(ALPHABET)] for k in range(6)
        )
    else:
        body = f"{(61_803_399 * n + 12_345_678) % _NUMERIC_SPACE:08d}"
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body, _GB11714_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(n: int, new_style: bool, region: str = REGION) -> str:
    """A company's Unified Social Credit Code (authority 9, kind 1) with its check character."""
    first17 = "91" + region + organisation_code(n, new_style)
    return first17 + check_character(first17)


def _weighted_picker(rng: random.Random, items: list, weights: list[float]) -> Callable[[], Any]:
    cumulative = list(itertools.accumulate(weights))

    def pick():
        return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]

    return pick


def _founded(rng: random.Random) -> dt.date:
    years = list(range(1993, LATEST_YEAR + 1))
    # Registrations grew steadily, with a wave after the 2015 reform.
    weights = [1 + (y - 1993) * 0.25 + (2.5 if 2015 <= y <= 2021 else 0) for y in years]
    year = rng.choices(years, weights=weights)[0]
    last_day = 273 if year == LATEST_YEAR else 365
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(last_day))


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


@dataclass
class _Draft:
    enterprise: Enterprise
    industry: Industry
    growth: float
    weight: float
    closed: bool


def enterprise_rows(
    home: DemoHome,
    rng: random.Random,
    subdistrict: Subdistrict,
    buildings: list[Building],
    plans: dict[str, BuildingPlan],
    butlers: dict[str, User],
) -> tuple[list[Enterprise], list[EnterpriseYear]]:
    """Unsaved enterprises and their figures by year; ``butlers`` maps building code → butler."""
    occupied = [float(b.floor_area_m2 - b.vacant_area_m2) for b in buildings]
    # Tenants go where space is left, so every building ends up about as full as its vacancy
    # says; leases are scaled to fit afterwards.
    space_left = list(occupied)
    sections_weights = {
        prime: [i.weight * (_PRIME_BIAS.get(i.code[0], 1.0) if prime else 1.0) for i in INDUSTRIES]
        for prime in (False, True)
    }
    pick_industry = {
        prime: _weighted_picker(rng, list(INDUSTRIES), weights)
        for prime, weights in sections_weights.items()
    }
    default_butler = next(iter(butlers.values()), None)
    names: set[str] = set()
    units: set[tuple[str, str]] = set()
    drafts: list[_Draft] = []
    for i in range(home.enterprises):
        building = None
        if rng.random() > NO_BUILDING_SHARE:
            slot = rng.choices(range(len(buildings)), weights=[max(a, 1.0) for a in space_left])
            building = buildings[slot[0]]
        prime = bool(building and plans[building.code].is_hundred_million)
        industry = pick_industry[prime]()
        founded = _founded(rng)
        young = founded.year >= LATEST_YEAR - 2
        headcount = _lognormal(rng, 30 if prime else 15, 1.2) * (0.5 if young else 1.0)
        headcount = max(1, min(6000, round(headcount)))
        leased = headcount * rng.uniform(8, 14) + 40
        if building is not None:
            space_left[slot[0]] -= leased
        status = rng.choices((Status.ACTIVE, Status.MOVING_OUT, Status.CLOSED), weights=(95, 3, 2))[
            0
        ]
        if founded.year == LATEST_YEAR and status == Status.CLOSED:
            status = Status.ACTIVE
        tags = _tags(rng, industry, headcount, founded, prime)
        name = _unique_name(rng, industry, tags, names)
        capital = _lognormal(rng, industry.capital, 0.9) * (8 if Tag.HEADQUARTERS in tags else 1)
        phone = mobile_number(rng)
        enterprise = Enterprise(
            subdistrict=subdistrict,
            credit_code=credit_code(home.ordinal * 1_000_000 + i, founded.year >= NEW_STYLE_FROM),
            name=name,
            industry_code=industry.code,
            registered_capital=_money(round(capital, -1) if capital >= 1000 else round(capital)),
            founded_on=founded,
            headcount=headcount,
            building=building,
            unit=_unit(rng, building, units) if building else "",
            floor_area_m2=Decimal(f"{leased:.1f}") if building else None,
            lease_end=_lease_end(rng, status) if building else None,
            tags=sorted(tags),
            butler=butlers.get(building.code, default_butler) if building else default_butler,
            status=status,
            legal_rep_name=person_name(rng),
            contact_name=person_name(rng),
            contact_phone_cipher=encrypt(phone),
            contact_phone_hash=lookup_hash(phone),
        )
        weight = headcount * industry.revenue_per_head * industry.tax_rate
        weight *= _lognormal(rng, 1.0, 0.7)
        drafts.append(
            _Draft(enterprise, industry, rng.uniform(0.85, 1.3), weight, status == Status.CLOSED)
        )
    _fit_leases(rng, drafts, buildings, occupied)
    years = _figures(rng, drafts, plans)
    _mark_key_enterprises(drafts, years)
    return [d.enterprise for d in drafts], years


def _tags(
    rng: random.Random, industry: Industry, headcount: int, founded: dt.date, prime: bool
) -> set[str]:
    tags: set[str] = set()
    tech = industry.code[0] in "IM"
    if headcount < 100:
        tags.add(Tag.SMALL_MICRO)
    if tech and rng.random() < 0.2:
        tags.add(Tag.HIGH_TECH)
    if tech and headcount >= 20 and rng.random() < 0.08:
        tags.add(Tag.SPECIALISED)
        if rng.random() < 0.2:
            tags.add(Tag.LITTLE_GIANT)
    if rng.random() < (0.18 if prime else 0.07):
        tags.add(Tag.FOREIGN)
    if prime and headcount >= 150 and (Tag.FOREIGN in tags or rng.random() < 0.3):
        tags.add(Tag.HEADQUARTERS)
    if headcount >= 200 and rng.random() < 0.15:
        tags.add(Tag.LISTED)
    if founded.year >= LATEST_YEAR - 3 and headcount <= 20 and rng.random() < 0.15:
        tags.add(Tag.GRADUATE_STARTUP)
    return tags


def _unique_name(rng: random.Random, industry: Industry, tags: set[str], taken: set[str]) -> str:
    form = "股份有限公司" if Tag.LISTED in tags else "有限公司"
    while True:
        if Tag.HEADQUARTERS in tags and Tag.FOREIGN in tags:
            word = "投资" if industry.code[0] in "JL" else industry.word
            name = f"{foreign_trade_name(rng)}（中国）{word}{form}"
        elif Tag.FOREIGN in tags:
            name = f"{foreign_trade_name(rng)}{industry.word}（上海）{form}"
        else:
            name = f"上海{trade_name(rng)}{industry.word}{form}"
        if name not in taken:
            taken.add(name)
            return name


def _unit(rng: random.Random, building: Building, taken: set[tuple[str, str]]) -> str:
    while True:
        if building.kind == Building.Kind.PARK:
            block, floor = rng.randint(1, 8), rng.randint(1, building.floors)
            unit = f"{block}号楼{floor}{rng.randint(1, 30):02d}室"
        else:
            unit = f"{rng.randint(2, building.floors)}{rng.randint(1, 24):02d}室"
        if (building.code, unit) not in taken:
            taken.add((building.code, unit))
            return unit


def _lease_end(rng: random.Random, status: str) -> dt.date:
    if status == Status.CLOSED:
        return dt.date(LATEST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(300))
    if status == Status.MOVING_OUT:
        return dt.date(LATEST_YEAR + 1, 1, 1) + dt.timedelta(days=rng.randrange(180))
    return dt.date(LATEST_YEAR + 1, 1, 1) + dt.timedelta(days=rng.randrange(5 * 365))


def _fit_leases(
    rng: random.Random, drafts: list[_Draft], buildings: list[Building], occupied: list[float]
) -> None:
    """Scale leases so that registered tenants lease 85–95% of a building's occupied area (the
    rest is shared space and tenants registered elsewhere)."""
    leased: dict[str, float] = defaultdict(float)
    for d in drafts:
        if d.enterprise.building is not None:
            leased[d.enterprise.building.code] += float(d.enterprise.floor_area_m2 or 0)
    factor = {
        b.code: min(2.0, rng.uniform(0.85, 0.95) * area / leased[b.code])
        for b, area in zip(buildings, occupied, strict=True)
        if leased[b.code]
    }
    for d in drafts:
        building = d.enterprise.building
        if building is not None:
            area = max(30.0, float(d.enterprise.floor_area_m2 or 0) * factor[building.code])
            d.enterprise.floor_area_m2 = Decimal(f"{area:.1f}")


def _figures(
    rng: random.Random, drafts: list[_Draft], plans: dict[str, BuildingPlan]
) -> list[EnterpriseYear]:
    """Revenue, tax and headcount per year; in each building, tax adds up to its share of the
    building's total."""
    tax: dict[tuple[int, int], float] = {}
    for year in FIGURE_YEARS:
        active = [
            (i, d)
            for i, d in enumerate(drafts)
            if d.enterprise.founded_on.year <= year and not (d.closed and year == LATEST_YEAR)
        ]
        weight = {i: d.weight * d.growth ** (year - LATEST_YEAR) for i, d in active}
        by_building: dict[str, float] = defaultdict(float)
        for i, d in active:
            if d.enterprise.building is not None:
                by_building[d.enterprise.building.code] += weight[i]
        for i, d in active:
            building = d.enterprise.building
            if building is None:
                tax[i, year] = weight[i] * 0.5
            else:
                total = float(plans[building.code].tax[year]) * REGISTRY_COVERAGE
                tax[i, year] = total * weight[i] / by_building[building.code]
    rows = []
    for i, d in enumerate(drafts):
        for year in FIGURE_YEARS:
            if (i, year) not in tax:
                continue
            rate = d.industry.tax_rate * rng.uniform(0.8, 1.25)
            headcount = d.enterprise.headcount * d.growth ** ((year - LATEST_YEAR) * 0.5)
            rows.append(
                EnterpriseYear(
                    subdistrict=d.enterprise.subdistrict,
                    enterprise=d.enterprise,
                    year=year,
                    revenue=_money(tax[i, year] / rate),
                    tax=_money(tax[i, year]),
                    headcount=max(1, round(headcount)),
                )
            )
    return rows


def _mark_key_enterprises(drafts: list[_Draft], years: list[EnterpriseYear]) -> None:
    """The top 5% by latest tax are the sub-district's key enterprises (重点企业); a firm with
    over ¥100M revenue is not small or micro, however few its staff."""
    latest = sorted(
        (y for y in years if y.year == LATEST_YEAR),
        key=lambda y: (-y.tax, y.enterprise.credit_code),
    )
    for row in latest[: max(1, len(drafts) // 20)]:
        row.enterprise.tags = sorted({*row.enterprise.tags, Tag.KEY})
    for row in latest:
        if row.revenue >= 10_000 and Tag.SMALL_MICRO in row.enterprise.tags:
            row.enterprise.tags = [t for t in row.enterprise.tags if t != Tag.SMALL_MICRO]
