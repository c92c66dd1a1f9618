"""The sporadic-works demo: 60 synthetic registrations in every stage, written through the
verbs (as the system) so each carries what the real path leaves: the class and checklist of its
scope, site notices, inspections item by item (some failed and put right), waste removals,
completions, and three works found without registration with their cases.

Dates are drawn back from today, so the stages stay current whenever the demo is loaded; the
draw itself is seeded.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep, in_home, present
from linli.governance.works import services
from linli.governance.works.classification import FACADE, INTERIOR, STRUCTURAL, WASTE
from linli.governance.works.models import Works
from linli.people.models import Dwelling
from linli.registry.demo.context import DemoContext
from linli.registry.models import Enterprise, Grid

# How many works end in each state (60 in all).
PLAN: tuple[tuple[str, int], ...] = (
    ("registered", 7),
    ("notice", 9),
    ("awaiting_inspection", 6),
    ("rectify", 4),
    ("inspected", 6),
    ("completed", 25),
    ("unregistered", 3),
)
SCOPES: tuple[tuple[str, ...], ...] = (
    (INTERIOR,),
    (INTERIOR, WASTE),
    (INTERIOR, WASTE),
    (FACADE,),
    (FACADE, WASTE),
    (INTERIOR, WASTE, STRUCTURAL),
)
TEXTS = {
    INTERIOR: "厨卫翻新，更换地砖、橱柜和卫生洁具，重新铺设电线管。",
    WASTE: "拆除旧地砖和吊顶，产生装修垃圾。",
    FACADE: "更换外窗，阳台按小区统一样式封闭。",
    STRUCTURAL: "拆除非原设计隔墙并加固梁板，已取得原设计单位同意。",
}
CONTRACTORS = (
    "上海安居装饰工程有限公司",
    "静安匠心建筑装潢有限公司",
    "上海美家室内设计工程有限公司",
    "",
)
FOUND = (
    "网格巡查发现该户正在敲墙，门口堆放装修垃圾，未见装修公示。",
    "居民反映楼上连续多日电钻施工，物业无登记记录。",
    "沿街商铺正在改造门面，未办理登记。",
)


def _places(rng: random.Random, count: int) -> list[services.Place]:
    """Dwellings of buildings on the map, a few shops' premises and two free addresses."""
    dwellings = list(
        Dwelling.objects.filter(
            unit__building__lon__isnull=False, unit__building__lat__isnull=False
        )
        .select_related("unit__building__quarter__grid", "unit__building__grid")
        .order_by("pk")
    ) or list(Dwelling.objects.select_related("unit__building__quarter").order_by("pk"))
    shops = list(
        Enterprise.objects.filter(building__isnull=False)
        .select_related("building")
        .order_by("pk")[:200]
    )
    grid = Grid.objects.order_by("code").first()
    places = [
        services.Place(Works.Place.PREMISES, enterprise=e)
        for e in rng.sample(shops, min(4, len(shops)))
    ]
    places += [
        services.Place(Works.Place.ADDRESS, address=a, grid=grid)
        for a in ("江宁路 180 号沿街商铺", "康定路 52 弄 3 号底层")
    ]
    wanted = max(0, count - len(places))
    places += [
        services.Place(Works.Place.DWELLING, dwelling=d)
        for d in rng.sample(dwellings, min(wanted, len(dwellings)))
    ]
    rng.shuffle(places)
    return places


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("works")
    system = Access.system(ctx.subdistrict)
    today = clock.today()
    total = sum(n for _state, n in PLAN)
    places = iter(_places(rng, total))
    written = 0
    for state, count in PLAN:
        for _ in range(count):
            place = next(places, None)
            if place is None:
                return written
            written += _one(system, rng, place, state, today)
    return written


def _one(
    system: Access, rng: random.Random, place: services.Place, state: str, today: dt.date
) -> int:
    def days(low: int, high: int) -> dt.timedelta:
        return dt.timedelta(rng.randint(low, high))

    scopes = rng.choice(SCOPES)
    if state == "unregistered":
        found_on = today - days(0, 20)
        services.record_unregistered(
            actor=system,
            place=place,
            description=rng.choice(FOUND),
            scopes=scopes,
            found_on=found_on,
        )
        return 2
    if state in ("awaiting_inspection", "rectify", "inspected"):
        scopes = rng.choice([s for s in SCOPES if FACADE in s or STRUCTURAL in s])
    elif state == "notice":
        scopes = rng.choice([s for s in SCOPES if FACADE not in s and STRUCTURAL not in s])
    if state == "registered":
        registered_on = today - days(0, 3)
        starts_on = today + days(1, 10)
        ends_on = starts_on + days(20, 60)
    elif state == "completed":
        registered_on = today - days(90, 200)
        starts_on = registered_on + days(1, 5)
        ends_on = starts_on + days(20, 60)
    else:
        registered_on = today - days(8, 30)
        starts_on = registered_on + days(1, 5)
        ends_on = today + days(10, 60)
    works = services.register_works(
        actor=system,
        place=place,
        scopes=scopes,
        description="".join(TEXTS[s] for s in scopes),
        starts_on=starts_on,
        ends_on=ends_on,
        contractor=rng.choice(CONTRACTORS),
        approval=f"结构审({registered_on:%Y})第{rng.randint(10, 999)}号"
        if STRUCTURAL in scopes
        else "",
        registered_on=registered_on,
    )
    if state == "registered":
        return 1
    services.issue_notice(works, actor=system, on=registered_on)
    if WASTE in scopes:
        services.book_waste_removal(
            works,
            actor=system,
            on=min(ends_on, starts_on + days(3, 15)),
            volume_m3=Decimal(rng.choice(("2.5", "4", "6", "8"))),
        )
    if state == "notice" or (state == "awaiting_inspection" and works.needs_inspection):
        return 2
    inspected_on = min(today, starts_on + days(2, 6))
    if works.needs_inspection:
        if state == "rectify" or rng.random() < 0.2:
            failed = rng.choice(works.checklist)
            services.record_inspection(
                works,
                actor=system,
                results={
                    code: (code != failed, "现场未按要求整改" if code == failed else "")
                    for code in works.checklist
                },
                inspected_on=inspected_on,
            )
            if state == "rectify":
                return 3
        services.record_inspection(
            works,
            actor=system,
            results={code: (True, "") for code in works.checklist},
            inspected_on=inspected_on if state != "completed" else min(today, ends_on),
        )
    if state == "inspected":
        return 3
    services.record_completion(works, actor=system, on=min(today, ends_on), note="演示数据")
    return 4


STEPS = (
    DemoStep(
        "sporadic works",
        in_home(load),
        present(Works),
        after=("people.homes and residents", "registry.enterprises", "cases.cases"),
    ),
)
