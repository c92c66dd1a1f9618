"""One audience of enterprises on every surface (issue 12): a butler sees the same enterprises
in the registry, the retention pages, the policy pages and the API: their portfolio. Every
other role sees, on every surface it may use, the enterprises the registry's policy gives it
(``view`` for basic data, ``view_full`` for profiles, visits and policy results).

The street (``conftest.street``): Wang's portfolio is Jade (in the tower), Zhou's is Harbour,
Orphan has no butler; the building manager manages the tower, the member belongs to Jade.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from linli.core import clock
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.policies.models import Decision
from linli.registry.models import Enterprise
from tests.core.lists import DENIED, api_keys, export_keys, page_keys
from tests.policies.support import load, screen, three_policies
from tests.retention.conftest import days_ago

POLICY = "test-eligible"
# What each surface shows: the enterprises' basic data, or their full profile.
VIEW, FULL = "view", "view_full"
SURFACES = {
    "registry list page": VIEW,
    "registry list API": VIEW,
    "registry export": VIEW,
    "registry detail pages": VIEW,
    "retention list page": VIEW,
    "retention list API": VIEW,
    "retention export": VIEW,
    "retention profile pages": VIEW,
    "retention full profiles": FULL,
    "retention timeline API": FULL,
    "visit log page": FULL,
    "visit log API": FULL,
    "visit log export": FULL,
    "watch list page": FULL,
    "watch list API": FULL,
    "watch list export": FULL,
    "policy enterprise pages": FULL,
    "policy enterprise API": FULL,
    "eligible list page": FULL,
    "eligible list API": FULL,
    "eligible list export": FULL,
    "unclaimed page": FULL,
    "unclaimed API": FULL,
    "unclaimed export": FULL,
}


@pytest.fixture
def world(street, tmp_path):
    """Every enterprise of the street is a high-tech firm of 20 (eligible for the test award),
    its lease ends soon (a warning sign: on the watch list) and it had a visit."""
    soon = clock.today() + dt.timedelta(days=30)
    Enterprise.objects.update(tags=["high_tech"], headcount=20, lease_end=soon)
    VisitPlan.objects.create(subdistrict=street.subdistrict, name="Yearly", every_months=12)
    for enterprise in (street.jade, street.harbour_co, street.orphan):
        Visit.objects.create(
            subdistrict=street.subdistrict,
            enterprise=enterprise,
            butler=enterprise.butler or street.admin,
            visited_on=days_ago(10),
            people_met="CEO",
            topics="Check-in",
        )
    load(three_policies(tmp_path))
    screen(street.subdistrict, on=clock.today())
    return street


def _ids(keys: set[str] | str, to_enterprise: dict[str, int]) -> set[int] | str:
    return keys if keys == DENIED else {to_enterprise[k] for k in keys}


def _each(client, urls: dict[int, str], marker: str = "") -> set[int]:
    found = set()
    for pk, url in urls.items():
        response = client.get(url)
        if response.status_code == 200 and marker in response.content.decode():
            found.add(pk)
    return found


def seen_on_every_surface(street, user) -> dict[str, set[int] | str]:
    """The enterprise ids ``user`` is shown on each surface, or DENIED."""
    client = street.client(user)
    enterprises = list(Enterprise.objects.all())
    by_code = {e.credit_code: e.pk for e in enterprises}
    by_id = {str(e.pk): e.pk for e in enterprises}
    by_visit = {str(v.pk): v.enterprise_id for v in Visit.objects.all()}
    by_decision = {str(d.pk): d.enterprise_id for d in Decision.objects.all()}

    def each(name: str, marker: str = "") -> set[int]:
        return _each(client, {e.pk: reverse(name, args=[e.pk]) for e in enterprises}, marker)

    registry = reverse("registry:list", kwargs={"kind": "enterprise"})
    registry_export = reverse("registry:export", kwargs={"kind": "enterprise"})
    registry_details = {
        e.pk: reverse("registry:detail", kwargs={"kind": "enterprise", "pk": e.pk})
        for e in enterprises
    }
    eligible = [
        reverse("policies:detail", args=[POLICY]),
        reverse("api:list_policy_eligible", args=[POLICY]),
        reverse("policies:export", args=[POLICY]),
    ]
    seen: dict[str, set[int] | str] = {
        "registry list page": _ids(page_keys(client, registry, {}), by_code),
        "registry list API": _ids(
            api_keys(client, reverse("api:list_enterprises"), {}, "credit_code"), by_code
        ),
        "registry export": _ids(export_keys(client, registry_export, {}, "credit_code"), by_code),
        "registry detail pages": _each(client, registry_details),
        "retention list page": _ids(page_keys(client, reverse("retention:portfolio"), {}), by_id),
        "retention list API": _ids(
            api_keys(client, reverse("api:retention_list_enterprises"), {}, "id"), by_id
        ),
        "retention export": _ids(
            export_keys(client, reverse("retention:portfolio_xlsx"), {}, "id"), by_id
        ),
        "retention profile pages": each("retention:profile"),
        "retention full profiles": each("retention:profile", 'id="timeline-h"'),
        "retention timeline API": each("api:retention_timeline"),
        "visit log page": _ids(page_keys(client, reverse("retention:visits"), {}), by_visit),
        "visit log API": _ids(
            api_keys(client, reverse("api:retention_list_visits"), {}, "id"), by_visit
        ),
        "visit log export": _ids(
            export_keys(client, reverse("retention:visits_xlsx"), {}, "id"), by_visit
        ),
        "watch list page": _ids(page_keys(client, reverse("retention:watchlist"), {}), by_id),
        "watch list API": _ids(
            api_keys(client, reverse("api:retention_watchlist"), {}, "enterprise_id"), by_id
        ),
        "watch list export": _ids(
            export_keys(client, reverse("retention:watchlist_xlsx"), {}, "enterprise_id"), by_id
        ),
        "policy enterprise pages": each("policies:enterprise"),
        "policy enterprise API": each("api:get_enterprise_policies"),
        "eligible list page": _ids(page_keys(client, eligible[0], {}), by_id),
        "eligible list API": _ids(api_keys(client, eligible[1], {}, "enterprise_id"), by_id),
        "eligible list export": _ids(export_keys(client, eligible[2], {}, "enterprise_id"), by_id),
        "unclaimed page": _ids(page_keys(client, reverse("policies:unclaimed"), {}), by_decision),
        "unclaimed API": _ids(
            api_keys(client, reverse("api:list_unclaimed_benefits"), {}, "id"), by_decision
        ),
        "unclaimed export": _ids(
            export_keys(client, reverse("policies:unclaimed_export"), {}, "id"), by_decision
        ),
    }
    assert set(seen) == set(SURFACES)
    return seen


def test_a_butler_sees_their_portfolio_everywhere(world):
    """The issue's check, for both butlers: their portfolio on every surface they may use; the
    watch list is the managers' (a butler reads the risk on their own profiles)."""
    for butler, portfolio in ((world.wang, world.jade), (world.zhou, world.harbour_co)):
        seen = seen_on_every_surface(world, butler)
        denied = {name for name, ids in seen.items() if ids == DENIED}
        assert denied == {"watch list page", "watch list API", "watch list export"}
        wrong = {name: ids for name, ids in seen.items() if ids not in (DENIED, {portfolio.pk})}
        assert not wrong, wrong


@pytest.mark.parametrize(
    ("who", "may_use"),
    [
        ("leader", set(SURFACES)),
        (
            "dispatcher",
            set(SURFACES)
            - {"watch list page", "watch list API", "watch list export"}
            - {"unclaimed page", "unclaimed API", "unclaimed export"},
        ),
        (
            "manager",
            {
                "registry list page",
                "registry list API",
                "registry export",
                "registry detail pages",
                "retention list page",
                "retention list API",
                "retention export",
                "retention profile pages",
                # no full profile: the pages below answer, with nothing in them
                "retention full profiles",
                "retention timeline API",
                "policy enterprise pages",
                "policy enterprise API",
            },
        ),
        (
            "member",
            {
                "registry list page",
                "registry list API",
                "registry export",
                "registry detail pages",
                "retention profile pages",
                "retention full profiles",
                "retention timeline API",
                "policy enterprise pages",
                "policy enterprise API",
            },
        ),
        ("resident", set()),
    ],
)
def test_every_role_sees_its_audience_on_every_surface_it_may_use(world, who, may_use):
    user = getattr(world, who)
    access = world.access(user)
    audience = {
        action: set(Enterprise.objects.visible_to(access, action).values_list("pk", flat=True))
        for action in (VIEW, FULL)
    }
    seen = seen_on_every_surface(world, user)
    # A surface the role may use shows its audience; any other refuses (a list) or shows
    # nothing (a page per enterprise).
    wrong = {
        name: (ids, audience[SURFACES[name]])
        for name, ids in seen.items()
        if (name in may_use and ids != audience[SURFACES[name]])
        or (name not in may_use and ids not in (DENIED, set()))
    }
    assert not wrong, wrong
    if who == "leader":
        assert audience[VIEW] == audience[FULL] == {e.pk for e in Enterprise.objects.all()}
    if who == "manager":
        assert audience == {VIEW: {world.jade.pk}, FULL: set()}
