"""From the registry to the engine's enterprise table: which policy field comes from where.

A handful of ``values()`` queries per sub-district (enterprises with their building's rent,
two years of figures, the buildings' tax, the recorded facts), then one column per field. What
the registry does not know stays missing, so the engine answers "unknown" and the enterprise
sees "maybe, missing X" instead of a wrong "no".

Derived fields, and why they are sound:

- ``registered_locally``: positions 3–8 of a Unified Social Credit Code are the division code of
  the registering authority, so a code issued in this sub-district's district and a tax figure
  for last year mean "registered and taxed here"; a code from elsewhere means no.
- ``tax_last_year`` / ``tax_prev_year`` / ``revenue_last_year``: the enterprise's figures for the
  two calendar years before the evaluation date; ``revenue_growth`` from those two.
- ``headcount``: last year's figure when there is one (policies mean the annual average), else
  the registry's current headcount.
- ``tags``: the registry's qualification tags that the engine knows (others, such as "key
  enterprise", are the sub-district's own labels); "headquarters" also answers
  ``is_hq_recognised`` and "listed" answers ``listing_stage``.
- ``rent_per_m2_day`` and ``building_tax_last_year`` from the enterprise's building.

Fields no registry column answers can be recorded as ``EnterpriseFact`` rows (a data feed, a
butler's visit); those never override a derived field.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np

from linli.core.models import Subdistrict
from linli.policies.engine import CONDITION_FIELDS, EnterpriseTable, FieldType, RecordError
from linli.policies.engine.fields import TAG_BITS, date_to_days, normalise_value
from linli.policies.models import EnterpriseFact
from linli.registry.models import BuildingTaxYear, Enterprise, EnterpriseYear

logger = logging.getLogger(__name__)

DERIVED_FIELDS: frozenset[str] = frozenset(
    {
        "industry_code",
        "registered_locally",
        "registered_capital",
        "founded_on",
        "headcount",
        "revenue_last_year",
        "revenue_growth",
        "tax_last_year",
        "tax_prev_year",
        "tags",
        "is_hq_recognised",
        "listing_stage",
        "building_tax_last_year",
        "floor_area_m2",
        "rent_per_m2_day",
        "lease_end",
    }
)
# Everything else a policy may test can come from a recorded fact.
FACT_FIELDS: tuple[str, ...] = tuple(
    name for name in CONDITION_FIELDS if name not in DERIVED_FIELDS
)
SCREENED_STATUSES = (Enterprise.Status.ACTIVE, Enterprise.Status.MOVING_OUT)


def _number(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _registered_here(credit_code: str, subdistrict: Subdistrict) -> bool:
    return credit_code[2:8] == subdistrict.code[:6]


def build_table(
    subdistrict: Subdistrict, on: dt.date, enterprise_ids: Iterable[int] | None = None
) -> tuple[EnterpriseTable, list[int]]:
    """The enterprises of a sub-district (or the given ones) as an engine table, and their
    ids in row order. Closed enterprises are not screened."""
    last, previous = on.year - 1, on.year - 2
    enterprises = Enterprise.objects.filter(
        subdistrict=subdistrict, status__in=SCREENED_STATUSES
    ).order_by("pk")
    years = EnterpriseYear.objects.filter(subdistrict=subdistrict, year__in=(last, previous))
    facts = EnterpriseFact.objects.filter(subdistrict=subdistrict, field__in=FACT_FIELDS)
    if enterprise_ids is not None:
        wanted = sorted(set(enterprise_ids))
        enterprises = enterprises.filter(pk__in=wanted)
        years = years.filter(enterprise_id__in=wanted)
        facts = facts.filter(enterprise_id__in=wanted)
    rows = list(
        enterprises.values(
            "pk",
            "credit_code",
            "industry_code",
            "registered_capital",
            "founded_on",
            "headcount",
            "floor_area_m2",
            "lease_end",
            "tags",
            "building_id",
            "building__rent_per_m2_day",
        )
    )
    figures: dict[tuple[int, int], Mapping[str, Any]] = {
        (y["enterprise_id"], y["year"]): y
        for y in years.values("enterprise_id", "year", "revenue", "tax", "headcount")
    }
    building_tax = dict(
        BuildingTaxYear.objects.filter(subdistrict=subdistrict, year=last).values_list(
            "building_id", "tax"
        )
    )
    known_facts: dict[int, dict[str, Any]] = {}
    for enterprise_id, field, value in facts.values_list("enterprise_id", "field", "value"):
        known_facts.setdefault(enterprise_id, {})[field] = value

    columns: dict[str, list[Any]] = {name: [] for name in CONDITION_FIELDS}
    for row in rows:
        pk = row["pk"]
        this_year = figures.get((pk, last))
        before = figures.get((pk, previous))
        tax_last = _number(this_year["tax"]) if this_year else None
        revenue_last = _number(this_year["revenue"]) if this_year else None
        revenue_prev = _number(before["revenue"]) if before else None
        tags = [t for t in row["tags"] or [] if t in TAG_BITS]
        if _registered_here(row["credit_code"], subdistrict):
            registered_locally = True if tax_last is not None else None
        else:
            registered_locally = False
        growth = None
        if revenue_last is not None and revenue_prev:
            growth = (revenue_last - revenue_prev) / revenue_prev
        values: dict[str, Any] = {
            "industry_code": row["industry_code"] or None,
            "registered_locally": registered_locally,
            "registered_capital": _number(row["registered_capital"]),
            "founded_on": row["founded_on"],
            "headcount": this_year["headcount"] if this_year else row["headcount"],
            "revenue_last_year": revenue_last,
            "revenue_growth": growth,
            "tax_last_year": tax_last,
            "tax_prev_year": _number(before["tax"]) if before else None,
            "tags": tags,
            "is_hq_recognised": "headquarters" in tags,
            "listing_stage": "listed" if "listed" in tags else None,
            "building_tax_last_year": _number(building_tax.get(row["building_id"])),
            "floor_area_m2": _number(row["floor_area_m2"]),
            "rent_per_m2_day": _number(row["building__rent_per_m2_day"]),
            "lease_end": row["lease_end"],
        }
        for field, value in known_facts.get(pk, {}).items():
            values[field] = value
        for name, spec in CONDITION_FIELDS.items():
            value = values.get(name)
            try:
                value = normalise_value(spec, value)
            except RecordError as exc:
                # One bad value must not stop the screening of everyone else: it counts as
                # missing, which the enterprise sees as "maybe".
                logger.warning("enterprise %s: %s", pk, exc)
                value = None
            columns[name].append(value)
    ids = [row["pk"] for row in rows]
    return EnterpriseTable.from_columns(_as_columns(columns), keys=ids, n=len(ids)), ids


def _as_columns(values: dict[str, list[Any]]) -> dict[str, Any]:
    """Normalised per-row values in the column forms ``from_columns`` takes: numbers and dates
    as float64 with NaN for missing, the rest as lists."""
    out: dict[str, Any] = {}
    for name, spec in CONDITION_FIELDS.items():
        items = values[name]
        if spec.type is FieldType.DATE:
            out[name] = np.array(
                [np.nan if v is None else date_to_days(v) for v in items], dtype=np.float64
            )
        elif spec.numeric:
            out[name] = np.array([np.nan if v is None else v for v in items], dtype=np.float64)
        elif spec.type is FieldType.TAGS:
            out[name] = [None if v is None else sorted(v) for v in items]
        else:
            out[name] = items
    return out


def enterprise_record(enterprise: Enterprise, on: dt.date) -> dict[str, Any] | None:
    """One enterprise in the engine's record form, as the screening sees it on ``on``."""
    table, ids = build_table(enterprise.subdistrict, on, [enterprise.pk])
    if not ids:
        return None
    return table.record(0)
