"""Demo step: the Park Assistant in a few buildings — notices of the last weeks with their read
receipts (some enterprises have read, some not), and building requests: forwarded as cases,
answered, or still waiting.

The showcase building (the demo building manager's) comes first; two more of the busiest
buildings follow. Their enterprises get a few more demo members (password as every demo
account), so that receipts have readers and non-readers. The notices and requests are in
``park.yaml``.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.db.models import Count
from django_scopes import scope

from linli.cases.models import Category
from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep, demo_account, read_yaml
from linli.core.models import Membership, User
from linli.core.roles import Role
from linli.enterprise.park import services
from linli.enterprise.park.models import BuildingRequest, Notice, NoticeReceipt
from linli.registry.demo.context import DemoContext
from linli.registry.demo.names import display_name
from linli.registry.demo.people import showcase_building
from linli.registry.models import Building, Enterprise

BUILDINGS = 3
MEMBERS_PER_BUILDING = 4
_PARK = read_yaml(Path(__file__).with_name("park.yaml"))
NOTICES: list[tuple[str, str]] = [(n["title"], n["body"]) for n in _PARK["notices"]]
REQUESTS: list[tuple[str, str]] = [(r["title"], r["description"]) for r in _PARK["requests"]]
REPLY: str = _PARK["reply"]
NOTE: str = _PARK["forward"]["note"]
# A category whose required questions the demo can answer, and the answers.
FORWARD_CATEGORY: str = _PARK["forward"]["category"]
FORWARD_ANSWERS: dict[str, str] = _PARK["forward"]["answers"]


def loaded(ctx: DemoContext) -> bool:
    return Notice.objects.filter(subdistrict=ctx.subdistrict).exists()


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("park")
    sd = ctx.subdistrict
    with scope(subdistrict=sd):
        buildings = _buildings(ctx)
        category = Category.objects.filter(code=FORWARD_CATEGORY, active=True).first()
        written = 0
        for index, building in enumerate(buildings):
            members = _members(ctx, building, index, rng)
            manager = _manager(ctx, building)
            written += _notices(ctx, building, manager, members, rng)
            written += _requests(ctx, building, manager, members, category, rng)
    return written


def _buildings(ctx: DemoContext) -> list[Building]:
    showcase = Building.objects.filter(code=showcase_building(ctx.places)).first()
    busiest = (
        Building.objects.annotate(n=Count("enterprises")).filter(n__gt=0).order_by("-n", "code")
    )
    if showcase:
        busiest = busiest.exclude(pk=showcase.pk)
    found = [showcase] if showcase else []
    return found + list(busiest[: BUILDINGS - len(found)])


def _manager(ctx: DemoContext, building: Building) -> Access:
    """The building's manager if it has a demo one, else the system acting for the office."""
    membership = (
        Membership.objects.filter(role=Role.BUILDING_MANAGER, building=building)
        .select_related("user")
        .first()
    )
    if membership is None:
        return Access.system(ctx.subdistrict)
    return Access.for_user(membership.user, ctx.subdistrict)


def _members(
    ctx: DemoContext, building: Building, index: int, rng: random.Random
) -> list[tuple[User, Enterprise]]:
    """The building's existing demo members, and one new one in each of its largest firms."""
    enterprises = list(
        Enterprise.objects.filter(building=building)
        .exclude(status=Enterprise.Status.CLOSED)
        .order_by("-headcount", "credit_code")[:MEMBERS_PER_BUILDING]
    )
    found = [
        (m.user, m.enterprise)
        for m in Membership.objects.filter(
            role=Role.ENTERPRISE_MEMBER, enterprise__building=building
        ).select_related("user", "enterprise")
        if m.enterprise is not None
    ]
    for n, enterprise in enumerate(enterprises, start=1):
        username = ctx.home.username(f"park{index + 1}{n}")
        user = demo_account(username, ctx.subdistrict)
        user.display_name = display_name(ctx.seed, username)
        user.save()
        Membership.objects.get_or_create(
            subdistrict=ctx.subdistrict,
            user=user,
            role=Role.ENTERPRISE_MEMBER,
            enterprise=enterprise,
        )
        found.append((user, enterprise))
    return found


def _notices(
    ctx: DemoContext,
    building: Building,
    manager: Access,
    members: list[tuple[User, Enterprise]],
    rng: random.Random,
) -> int:
    written = 0
    now = clock.now()
    for title, body in rng.sample(NOTICES, 3):
        chosen = None
        if rng.random() < 0.3 and members:
            chosen = sorted({e.pk for _, e in rng.sample(members, min(2, len(members)))})
        notice = services.publish_notice(
            building, actor=manager, title=title, body=body, enterprise_ids=chosen
        )
        published = now - dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
        Notice.objects.filter(pk=notice.pk).update(published_at=published)
        written += 1 + notice.recipients.count()
        for user, _enterprise in members:
            reader = Access.for_user(user, ctx.subdistrict)
            if rng.random() < 0.6 and services.recipient_enterprise(notice, reader) is not None:
                receipt = services.open_notice(notice, actor=reader)
                read = min(now, published + dt.timedelta(hours=rng.randint(1, 72)))
                NoticeReceipt.objects.filter(pk=receipt.pk).update(read_at=read)
                written += 1
    return written


def _requests(
    ctx: DemoContext,
    building: Building,
    manager: Access,
    members: list[tuple[User, Enterprise]],
    category: Category | None,
    rng: random.Random,
) -> int:
    written = 0
    now = clock.now()
    for n, (title, description) in enumerate(rng.sample(REQUESTS, min(3, len(members)))):
        user, enterprise = members[n % len(members)]
        request = services.file_request(
            enterprise,
            actor=Access.for_user(user, ctx.subdistrict),
            title=title,
            description=description,
        )
        filed = now - dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 6))
        BuildingRequest.objects.filter(pk=request.pk).update(submitted_at=filed)
        written += 1
        # Only a person forwards: a case needs a reporter (the system would be anonymous).
        if n == 0 and category is not None and manager.user is not None:
            services.forward_request(
                request, actor=manager, category=category, note=NOTE, extra=FORWARD_ANSWERS
            )
            written += 1
        elif n == 1:
            services.decline_request(request, actor=manager, reply=REPLY)
    return written


STEPS = (
    DemoStep(
        "park assistant",
        load,
        loaded,
        # Forwarded requests become cases in the cases step's categories.
        after=("registry.buildings", "registry.public accounts", "cases.cases"),
    ),
)
