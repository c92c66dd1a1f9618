"""Demo step: visit plans, a year of butler visits with notes, and the demands of the last weeks'
visits filed as enterprise-appeal cases, so that the relocation watch list has a plausible top.

Enterprises the registry already marks as moving out, and a few others, get a recent visit whose
notes mention moving (搬迁, 到期不续, …); key enterprises are visited about once a quarter, some of
them late, so the overdue list is not empty either.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django_scopes import scope

from linli.cases.models import Category
from linli.core import clock
from linli.core.access import Access
from linli.enterprise.retention.models import Visit, VisitPlan
from linli.enterprise.retention.services import Demand, log_visit
from linli.registry.models import Enterprise

if TYPE_CHECKING:
    from linli.registry.demo.load import DemoContext

PEOPLE = ["总经理", "财务总监", "人事经理", "行政主管", "法定代表人", "董事会秘书", "运营总监"]
TOPICS = ["经营情况", "人才招聘", "政策申报", "融资需求", "办公空间", "证照办理", "租约续签"]
NOTES = [
    "经营平稳，今年营收预计增长一成左右，计划招聘研发人员十余名。",
    "对楼宇物业服务总体满意，希望周边增加停车位。",
    "关注高新技术企业认定，已提醒准备知识产权材料。",
    "订单恢复较好，正在筹备新产品发布会，想借用街道会议室。",
    "企业希望了解人才公寓申请条件，已转告人才服务窗口。",
    "资金周转略紧，有意了解普惠贷款和贴息政策。",
]
MOVING_NOTES = [
    "总经理透露租约明年到期不续，正在另寻办公地点，倾向外迁至临港。",
    "集团调整布局，上海团队计划缩减一半，部分业务迁出本区。",
    "企业反映租金压力较大，考虑搬迁至郊区园区，三季度前做决定。",
    "财务总监提到母公司拟注销本地分公司，业务并入苏州总部。",
    "行政主管表示办公面积将缩减，部分楼层到期退租。",
]
DEMANDS = {
    "APP-FIN": "希望对接银行普惠贷款，额度约三百万元，用于设备采购。",
    "APP-LIC": "新设门店需办理食品经营许可，请协助指导材料准备。",
    "APP-TALENT": "两名骨干人员申请人才公寓，请协助了解排队进度。",
    "APP-SPACE": "业务扩张需要增加约五百平方米办公面积，希望推荐楼宇房源。",
    "APP-POLICY": "咨询本年度研发费用补贴政策的申报条件和时间。",
}
# Answers to each category's required questions (see linli/cases/demo_catalogue.py).
ANSWERS: dict[str, dict[str, object]] = {
    "APP-FIN": {"amount": 300, "use": "equipment"},
    "APP-LIC": {"licence": "食品经营许可证"},
    "APP-TALENT": {"need": "apartment", "people": 2},
    "APP-SPACE": {"area": 500},
    "APP-POLICY": {"policy": "研发费用补贴"},
}
RECENT_DEMANDS = 24  # visits of the last weeks whose demands become real cases


def loaded(ctx: DemoContext) -> bool:
    return VisitPlan.objects.filter(subdistrict=ctx.subdistrict).exists()


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("retention")
    sd = ctx.subdistrict
    today = clock.today()
    plans = [
        VisitPlan(subdistrict=sd, name="重点企业每季度至少走访一次", tag="key", every_months=3),
        VisitPlan(subdistrict=sd, name="管家名下企业每年至少走访一次", every_months=12),
    ]
    start = clock.now() - dt.timedelta(days=365)
    for plan in plans:
        plan.created_at = start
    VisitPlan.objects.bulk_create(plans)

    enterprises = list(
        Enterprise.objects.filter(subdistrict=sd, butler__isnull=False)
        .exclude(status=Enterprise.Status.CLOSED)
        .order_by("credit_code")
    )
    visits: list[Visit] = []

    def visit(enterprise: Enterprise, days_ago: int, notes: str) -> None:
        visits.append(
            Visit(
                subdistrict=sd,
                enterprise=enterprise,
                butler_id=enterprise.butler_id,
                visited_on=today - dt.timedelta(days=days_ago),
                people_met=rng.choice(PEOPLE),
                topics="、".join(rng.sample(TOPICS, 2)),
                notes=notes,
            )
        )

    for enterprise in enterprises:
        leaving = enterprise.status == Enterprise.Status.MOVING_OUT or rng.random() < 0.015
        if "key" in (enterprise.tags or []):
            # About quarterly; one in five has missed the latest round.
            days = [rng.randrange(q * 91, q * 91 + 60) for q in range(4)]
            if rng.random() < 0.2:
                days = days[1:]
        else:
            days = [rng.randrange(15, 360)] if rng.random() < 0.35 else []
        for n, ago in enumerate(sorted(days)):
            moving = leaving and n == 0
            visit(enterprise, ago, rng.choice(MOVING_NOTES if moving else NOTES))
        if leaving and not days:
            visit(enterprise, rng.randrange(10, 150), rng.choice(MOVING_NOTES))
    # Visits older than the recent window are history; the recent ones below go through the verb.
    Visit.objects.bulk_create([v for v in visits if v.visited_on < today - dt.timedelta(days=30)])

    categories = {
        c.code: c
        for c in Category.objects.filter(
            subdistrict=sd, kind=Category.Kind.ENTERPRISE_APPEAL, active=True, code__in=DEMANDS
        )
    }
    recent = [v for v in visits if v.visited_on >= today - dt.timedelta(days=30)]
    written = len(plans) + len(visits) - len(recent)
    with scope(subdistrict=sd):
        for n, v in enumerate(recent):
            raised = []
            if categories and n < RECENT_DEMANDS:
                for code in rng.sample(sorted(categories), rng.choice((1, 1, 2))):
                    raised.append(
                        Demand(categories[code], DEMANDS[code], extra=dict(ANSWERS[code]))
                    )
            log_visit(
                v.enterprise,
                actor=Access.for_user(v.enterprise.butler, sd),  # type: ignore[arg-type]
                visited_on=v.visited_on,
                people_met=v.people_met,
                topics=v.topics,
                notes=v.notes,
                demands=raised,
            )
            written += 1 + len(raised)
    return written
