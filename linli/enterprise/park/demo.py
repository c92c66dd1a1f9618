"""Demo step: the Park Assistant in a few buildings — notices of the last weeks with their read
receipts (some enterprises have read, some not), and building requests: forwarded as cases,
answered, or still waiting.

The showcase building (the demo building manager's) comes first; two more of the busiest
buildings follow. Their enterprises get a few more demo members (password as every demo
account), so that receipts have readers and non-readers.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.db.models import Count
from django_scopes import scope

from linli.cases.models import Category
from linli.core import clock
from linli.core.access import Access
from linli.core.models import Membership, User
from linli.core.roles import Role
from linli.enterprise.park import services
from linli.enterprise.park.models import BuildingRequest, Notice, NoticeReceipt
from linli.registry.demo.names import person_name
from linli.registry.demo.people import DEMO_EMAIL_DOMAIN, showcase_building
from linli.registry.models import Building, Enterprise

if TYPE_CHECKING:
    from linli.registry.demo.load import DemoContext

BUILDINGS = 3
MEMBERS_PER_BUILDING = 4
NOTICES = [
    ("本周五上午停水通知", "因市政管网检修，本周五9:00至12:00大楼停水，请各企业提前做好储水准备。"),
    (
        "消防疏散演练通知",
        "本月下旬将组织全楼消防疏散演练，届时请各企业员工听从楼层消防员指挥有序撤离。",
    ),
    ("电梯年度维保安排", "3号、4号客梯将于下周二、周三轮流停运维保，请错峰使用其他电梯。"),
    ("防汛防台提醒", "气象台发布台风蓝色预警，请各企业关好门窗，检查外挂设施，贵重物品远离窗边。"),
    ("垃圾分类投放时间调整", "自下月起，湿垃圾集中投放时间调整为每日11:00至13:00、17:00至19:00。"),
    (
        "街道企业服务政策宣讲会",
        "街道企业服务中心将在二楼会议室举办研发费用补贴政策宣讲会，欢迎报名参加。",
    ),
]
REQUESTS = [
    ("空调制冷效果差", "我司所在楼层中央空调下午制冷效果很差，室温超过28度，请协调物业检修。"),
    ("地下车库充电桩不足", "员工电动汽车较多，希望地下车库增设充电桩，并规范充电管理。"),
    ("门禁卡补办", "新入职员工较多，需补办门禁卡十张，请告知办理流程。"),
    ("楼道灯损坏", "我司门口楼道灯已坏三天，晚上加班出入不便，请尽快维修。"),
    ("希望借用会议室", "下月中旬拟举办客户交流会，约六十人，希望借用街道分中心会议室。"),
]
REPLY = "已联系物业于当日处理完毕，如仍有问题请随时联系楼宇管理员。"
NOTE = "企业反映情况属实，请相关部门协助处理。"
# A category whose required questions the demo can answer, and the answers.
FORWARD_CATEGORY = "INC-REPAIR"
FORWARD_ANSWERS = {"item": "stair_light"}


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
    from linli.registry.demo import load as demo_load

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
        user = User.objects.filter(username=username).first()
        if user is not None and not user.email.endswith("@" + DEMO_EMAIL_DOMAIN):
            raise demo_load.DemoConflict(
                f"user {username!r} exists and is not a demo account; "
                "load the demo into another database"
            )
        if user is None:
            user = User(username=username, home_subdistrict=ctx.subdistrict)
        user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
        user.display_name = person_name(random.Random(f"{ctx.seed}:person:{username}"))  # noqa: S311
        user.password = demo_load._password_hash()
        user.is_active = True
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
