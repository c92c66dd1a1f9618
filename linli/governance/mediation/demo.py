"""Demo step: about forty disputes of the past year in every state, mediated by the demo
handler (so that the ``handler`` account sees them, as the administrators do): some still being
mediated, some ended without agreement or withdrawn, most agreed; of those, some waiting for
signatures, some signed with the follow-up visit due, done or still ahead, and a few confirmed
by the district court. Names and mobiles are synthetic."""

from __future__ import annotations

import datetime as dt

from django_scopes import scope

from linli.core import clock
from linli.core.access import Access
from linli.core.demo import DemoStep, present
from linli.core.models import User
from linli.governance.mediation import services
from linli.governance.mediation.models import MediationCase, Party
from linli.registry.demo.context import DemoContext
from linli.registry.demo.names import mobile_number, person_name
from linli.registry.models import Quarter

CASES = 40
MEDIATOR = "handler"
COURT = "上海市静安区人民法院"
# State of each demo case, in order: (outcome, signed, followed up, confirmed).
PLAN = (
    [("open", False, False, False)] * 10
    + [("no_agreement", False, False, False)] * 6
    + [("withdrawn", False, False, False)] * 4
    + [("agreed", False, False, False)] * 4
    + [("agreed", True, False, False)] * 8
    + [("agreed", True, True, False)] * 4
    + [("agreed", True, True, True)] * 4
)
DISPUTES = {
    "neighbours": (
        "楼上卫生间渗水，造成楼下天花板霉变。",
        "漏水点由上层住户维修，承担楼下修复费用",
    ),
    "property": ("业主对物业费上涨有异议，拒缴物业费。", "物业公司公示收支明细，业主补缴物业费"),
    "family": ("赡养老人费用分担发生争执。", "子女按月分担赡养费，轮流照料"),
    "tenancy": ("房东提前收房，租客要求退还押金。", "房东退还押金并补偿一个月租金"),
    "damage": ("电动自行车碰撞致行人轻伤。", "骑车人赔偿医药费及误工费"),
    "debt": ("邻里借款到期未还。", "借款人分三期归还借款"),
}


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("mediation")
    sd = ctx.subdistrict
    system = Access.system(sd)
    today = clock.today()
    with scope(subdistrict=sd):
        mediator = User.objects.filter(
            username=ctx.home.username(MEDIATOR), memberships__subdistrict=sd
        ).first()
        quarters = list(Quarter.objects.order_by("code"))
        if mediator is None or not quarters:
            return 0
        written = 0
        for i, (outcome, signed, followed, confirmed) in enumerate(PLAN[:CASES]):
            kind = rng.choice(list(DISPUTES))
            summary, terms = DISPUTES[kind]
            opened = today - dt.timedelta(days=rng.randint(60, 330) if outcome != "open" else 20)
            applicant, respondent = person_name(rng), person_name(rng)
            case = services.open_case(
                system,
                quarter=quarters[i % len(quarters)],
                kind=kind,
                summary=summary,
                mediator=mediator,
                opened_on=opened,
                parties=[
                    services.PartyInput(Party.Side.APPLICANT, applicant, mobile_number(rng)),
                    services.PartyInput(Party.Side.RESPONDENT, respondent, mobile_number(rng)),
                ],
            )
            services.record_session(
                case,
                actor=system,
                held_on=opened + dt.timedelta(days=3),
                place="居委会调解室",
                attendees=f"{applicant}、{respondent}",
                notes="双方陈述事实，调解员释明相关法律规定。",
            )
            written += 2
            if outcome == "open":
                continue
            closed = opened + dt.timedelta(days=rng.randint(7, 20))
            services.close_case(
                case,
                actor=system,
                outcome=outcome,
                on=closed,
                terms=f"{respondent}同意：{terms}。" if outcome == "agreed" else "",
                notes="" if outcome == "agreed" else "双方分歧较大，告知诉讼途径。",
            )
            if not signed:
                continue
            # Some are signed recently, so their follow-up visits are still ahead.
            signed_on = (
                closed + dt.timedelta(days=1)
                if followed
                else today - dt.timedelta(days=rng.choice((5, 40)))
            )
            services.sign_agreement(case, actor=system, signed_on=max(signed_on, closed))
            case.refresh_from_db()
            if followed:
                visit = min(case.follow_up_due or today, today)
                services.record_follow_up(case, actor=system, on=visit, notes="协议已履行完毕。")
            if confirmed:
                services.confirm_judicially(case, actor=system, on=signed_on, court=COURT)
        services.remind_follow_ups(system, today=today)
    return written


STEPS = (
    DemoStep(
        "disputes",
        load,
        present(MediationCase),
        # After the others, so that they keep writing the same rows with the same ids (audit
        # entries, notifications) as before this step existed.
        after=("registry.staff accounts", "foodsafety.catering establishments"),
    ),
)
