"""Demo step: load the example policy library, a synthetic data feed, and screen.

The registry knows an enterprise's profile and figures, not its tax credit grade, credit
record or size class, which real deployments get from the tax bureau, the credit platform and
the statistics bureau. Without them every policy would stay at "maybe", so the demo records a
synthetic feed of those facts for most enterprises (and leaves some out, so "maybe, missing X"
shows too), then screens each demo sub-district once.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep
from linli.policies.models import EnterpriseFact, ScreeningRun
from linli.registry.demo.context import DemoContext
from linli.registry.demo.places import LATEST_YEAR
from linli.registry.models import Enterprise, EnterpriseYear

FEED = "synthetic demo feed"


def _scale(headcount: int, revenue: float | None, small_micro: bool) -> str:
    """Size class roughly after the 2017 statistical standard (people, revenue in 10k yuan)."""
    revenue = revenue or 0.0
    if headcount < 10 and revenue < 100:
        return "micro"
    if small_micro or (headcount < 100 and revenue < 2000):
        return "small"
    if headcount < 300 and revenue < 20000:
        return "medium"
    return "large"


def synthetic_facts(
    rng: random.Random, enterprise: Mapping[str, Any], revenue: float | None, on: dt.date
) -> dict[str, Any]:
    """Facts a data feed would give on ``on`` for one enterprise; a share of each is left
    unknown."""
    facts: dict[str, Any] = {}
    tags = set(enterprise["tags"] or [])
    headcount = enterprise["headcount"] or 0
    young = enterprise["founded_on"].year >= on.year - 1
    tech = enterprise["industry_code"][:1] in ("I", "M")
    if rng.random() < 0.88:
        grades = ("A", "B", "M", "C", "D")
        facts["tax_credit_grade"] = (
            "M" if young else rng.choices(grades, weights=(35, 45, 15, 4, 1))[0]
        )
    if rng.random() < 0.92:
        facts["has_violation_record"] = rng.random() < 0.02
    if rng.random() < 0.85:
        facts["enterprise_scale"] = _scale(headcount, revenue, "small_micro" in tags)
    if rng.random() < 0.7:
        facts["employees_insured"] = max(0, round(headcount * rng.uniform(0.8, 1.0)))
    if rng.random() < 0.6:
        facts["layoff_rate"] = round(rng.choice((0.0, 0.0, 0.01, 0.03, 0.05, 0.08, 0.12)), 3)
    if tech and rng.random() < 0.6:
        facts["patents_invention"] = int(rng.expovariate(1 / (4 if "high_tech" in tags else 1)))
        if revenue:
            ratio = rng.uniform(0.01, 0.15)
            facts["rd_ratio"] = round(ratio, 4)
            facts["rd_expense_last_year"] = round(revenue * ratio, 2)
    if headcount >= 20 and rng.random() < 0.4:
        facts["graduates_hired"] = rng.randint(0, max(1, headcount // 15))
    if "small_micro" in tags and rng.random() < 0.12:
        facts["loan_amount"] = float(rng.choice((50, 100, 200, 300, 500, 1000)))
        facts["loan_rate"] = round(rng.uniform(3.0, 5.0), 2)
    if "graduate_startup" in tags:
        facts["founder_is_graduate"] = True
        graduated = enterprise["founded_on"] - dt.timedelta(days=rng.randint(30, 3 * 365))
        facts["founder_graduated_on"] = graduated.isoformat()
    if rng.random() < 0.2:
        facts["talents_count"] = rng.randint(0, 10)
    if rng.random() < 0.5:
        facts["office_purchased"] = rng.random() < 0.05
    return facts


def load(ctx: DemoContext) -> int:
    from linli.policies.services import load_policies, run_screening

    load_policies(actor=Access.system(None), deactivate_missing=False)
    subdistrict = ctx.subdistrict
    rng = ctx.rng("policies")
    # The feed is dated after the demo's last figures, so the facts do not depend on the day
    # the demo is loaded; the screening itself runs for today, as the nightly one will.
    feed_date = dt.date(LATEST_YEAR + 1, 1, 1)
    revenue = dict(
        EnterpriseYear.objects.filter(subdistrict=subdistrict, year=LATEST_YEAR).values_list(
            "enterprise_id", "revenue"
        )
    )
    rows = []
    enterprises = Enterprise.objects.filter(subdistrict=subdistrict).order_by("credit_code")
    for enterprise in enterprises.values("pk", "tags", "headcount", "founded_on", "industry_code"):
        value = revenue.get(enterprise["pk"])
        for field, fact in synthetic_facts(
            rng, enterprise, float(value) if value is not None else None, feed_date
        ).items():
            rows.append(
                EnterpriseFact(
                    subdistrict=subdistrict,
                    enterprise_id=enterprise["pk"],
                    field=field,
                    value=fact,
                    source=FEED,
                    as_of=feed_date,
                )
            )
    EnterpriseFact.objects.bulk_create(rows, batch_size=2000)
    run = run_screening(subdistrict, actor=Access.system(subdistrict), on=clock.today())
    return len(rows) + run.eligible + run.maybe + run.near_miss + run.grants


def loaded(ctx: DemoContext) -> bool:
    return ScreeningRun.objects.filter(subdistrict=ctx.subdistrict).exists()


STEPS = (
    DemoStep(
        "policy screening",
        load,
        loaded,
        # Grants are announced to the enterprises' members.
        after=("registry.enterprises", "registry.public accounts"),
    ),
)
