"""Rows of the permission matrix for the investment pipeline (see tests/core/matrix.py).

Who may do what (linli/enterprise/investment/rules.py): the pipeline is seen by
administrators, leaders and ambassadors (an ambassador only their own prospects, the world's
ambassador owns A's prospect); it is worked by administrators and the owning ambassador, so a
leader reading a prospect is refused any change (403). Another sub-district's administrator
gets 404 for A's prospects, actions and units, and B's own (empty) lists otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from linli.core.access import Access
from linli.core.roles import ADMINS, Role
from linli.enterprise.investment import services
from linli.enterprise.investment.models import VacantUnit
from tests.core.matrix import Endpoint, fixed, statuses
from tests.core.world import World
from tests.factories import credit_code

PIPELINE = ADMINS | {Role.LEADER, Role.AMBASSADOR}
WORKERS = ADMINS | {Role.AMBASSADOR}
NEW_PROSPECT = {
    "name": "Matrix Prospect Ltd",
    "industry_code": "I6510",
    "source": "fair",
    "area_m2": "300",
}


def populate(world: World) -> None:
    """In A: a signed prospect of the world's ambassador with one open action, and a vacant
    unit in A's building."""
    sub = world.a.subdistrict
    system = Access.system(sub)
    prospect = services.save_prospect(
        system,
        {
            **NEW_PROSPECT,
            "ambassador": world.users[Role.AMBASSADOR].pk,
            "registered_capital": "50",
            "expected_tax": "120",
            "headcount": "12",
        },
    )
    for stage in ("contacted", "negotiating", "site_visit", "signed"):
        prospect = services.move_prospect(prospect, actor=system, to_stage=stage)
    action = services.add_action(
        prospect, actor=system, title="Call back", due_on=dt.date(2026, 1, 5)
    )
    unit = VacantUnit.objects.create(
        subdistrict=sub,
        building=world.a.records["building"],
        label="0801",
        floor=8,
        area_m2=Decimal("310"),
        rent_per_m2_day=Decimal("7.20"),
    )
    # A lead nobody has picked up yet: the pipeline's whole-area readers see it, the world's
    # ambassador does not.
    unowned = services.save_prospect(
        system,
        {
            **NEW_PROSPECT,
            "name": "Unclaimed Lead Ltd",
            "source": "online",
            "expected_tax": "0",
            "headcount": "0",
        },
    )
    taken = VacantUnit.objects.create(
        subdistrict=sub,
        building=world.a.records["building"],
        label="0902",
        floor=9,
        area_m2=Decimal("120"),
        rent_per_m2_day=Decimal("6.80"),
    )
    VacantUnit.objects.filter(pk=taken.pk).update(taken_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    world.extra["investment"] = {
        "prospect": prospect,
        "unowned": unowned,
        "action": action,
        "unit": unit,
    }


def _pk(name: str, key: str):
    def url(world: World, who: str) -> str:
        return reverse(name, kwargs={"pk": world.extra["investment"][key].pk})

    return url


def prospect_url(name: str):
    return _pk(name, "prospect")


ENDPOINTS: list[Endpoint] = [
    Endpoint("investment:board", "GET", fixed("investment:board"), statuses(PIPELINE)),
    Endpoint("investment:export", "GET", fixed("investment:export"), statuses(PIPELINE)),
    Endpoint("investment:create", "GET", fixed("investment:create"), statuses(WORKERS)),
    # An empty form comes back with its errors.
    Endpoint(
        "investment:create",
        "POST",
        fixed("investment:create"),
        statuses(WORKERS),
        data=lambda w, who: {},
    ),
    Endpoint(
        "investment:prospect",
        "GET",
        prospect_url("investment:prospect"),
        statuses(PIPELINE, other=404),
    ),
    Endpoint(
        "investment:edit", "GET", prospect_url("investment:edit"), statuses(WORKERS, other=404)
    ),
    Endpoint(
        "investment:edit",
        "POST",
        prospect_url("investment:edit"),
        statuses(WORKERS, other=404),
        data=lambda w, who: {},
    ),
    Endpoint(
        "investment:move",
        "POST",
        prospect_url("investment:move"),
        statuses(WORKERS, 302, other=404),
        data=lambda w, who: {"to_stage": "lost", "reason": "rent"},
    ),
    Endpoint(
        "investment:add_action",
        "POST",
        prospect_url("investment:add_action"),
        statuses(WORKERS, 302, other=404),
        data=lambda w, who: {"title": "Send the offer", "due_on": "2026-12-01"},
    ),
    Endpoint(
        "investment:register",
        "GET",
        prospect_url("investment:register"),
        statuses(WORKERS, other=404),
    ),
    Endpoint(
        "investment:register",
        "POST",
        prospect_url("investment:register"),
        statuses(WORKERS, other=404),
        data=lambda w, who: {},
    ),
    Endpoint(
        "investment:complete_action",
        "POST",
        _pk("investment:complete_action", "action"),
        statuses(WORKERS, 302, other=404),
    ),
    Endpoint("investment:space", "GET", fixed("investment:space"), statuses(PIPELINE)),
    Endpoint("investment:unit_create", "GET", fixed("investment:unit_create"), statuses(WORKERS)),
    Endpoint(
        "investment:unit_edit",
        "GET",
        _pk("investment:unit_edit", "unit"),
        statuses(WORKERS, other=404),
    ),
    Endpoint("investment:statistics", "GET", fixed("investment:statistics"), statuses(PIPELINE)),
    Endpoint(
        "investment:statistics_export",
        "GET",
        fixed("investment:statistics_export"),
        statuses(PIPELINE),
    ),
    Endpoint(
        "api:list_prospects",
        "GET",
        fixed("api:list_prospects"),
        statuses(PIPELINE, anonymous=401),
    ),
    Endpoint(
        "api:create_prospect",
        "POST",
        fixed("api:create_prospect"),
        statuses(WORKERS, 201, anonymous=401),
        data=lambda w, who: NEW_PROSPECT,
        json=True,
    ),
    Endpoint(
        "api:get_prospect",
        "GET",
        prospect_url("api:get_prospect"),
        statuses(PIPELINE, anonymous=401, other=404),
    ),
    Endpoint(
        "api:move_prospect",
        "POST",
        prospect_url("api:move_prospect"),
        statuses(WORKERS, anonymous=401, other=404),
        data=lambda w, who: {"to_stage": "lost", "reason": "rent"},
        json=True,
    ),
    Endpoint(
        "api:register_prospect",
        "POST",
        prospect_url("api:register_prospect"),
        statuses(WORKERS, 201, anonymous=401, other=404),
        data=lambda w, who: {"credit_code": credit_code(880001), "founded_on": "2026-03-01"},
        json=True,
    ),
    Endpoint(
        "api:list_prospect_matches",
        "GET",
        prospect_url("api:list_prospect_matches"),
        statuses(PIPELINE, anonymous=401, other=404),
    ),
    Endpoint(
        "api:list_vacant_units",
        "GET",
        fixed("api:list_vacant_units"),
        statuses(PIPELINE, anonymous=401),
    ),
    Endpoint(
        "api:get_investment_statistics",
        "GET",
        fixed("api:get_investment_statistics"),
        statuses(PIPELINE, anonymous=401),
    ),
]
