"""The demo district: every demo sub-district belongs to Jing'an (the codes 310106…), and the
account ``district`` reads its roll-up. It leads the first home as well, so the roll-up shows
both a sub-district it may open and one it sees as figures only."""

from __future__ import annotations

from linli.core.demo import DemoStep, demo_account
from linli.core.models import District, DistrictMembership, Membership
from linli.core.roles import Role
from linli.registry.demo.context import DemoContext
from linli.registry.demo.names import display_name

DISTRICT_ACCOUNT = "district"
DISTRICT_NAME = "静安区"


def loaded(ctx: DemoContext) -> bool:
    # A reset wipes the first home's memberships but keeps its sub-district row (and district):
    # the leader membership is asked for too, so a reload brings it back.
    return (
        ctx.subdistrict.district_id is not None
        and DistrictMembership.objects.filter(user__username=DISTRICT_ACCOUNT).exists()
        and (
            ctx.home.ordinal != 0
            or Membership.objects.filter(
                subdistrict=ctx.subdistrict, user__username=DISTRICT_ACCOUNT
            ).exists()
        )
    )


def load(ctx: DemoContext) -> int:
    district, made = District.objects.get_or_create(
        code=ctx.home.code[:6], defaults={"name": DISTRICT_NAME}
    )
    ctx.subdistrict.district = district
    ctx.subdistrict.save(update_fields=["district"])
    user = demo_account(DISTRICT_ACCOUNT, ctx.subdistrict)
    user.display_name = display_name(ctx.seed, DISTRICT_ACCOUNT)
    user.save()
    written = 1 + int(made)
    written += int(DistrictMembership.objects.get_or_create(user=user, district=district)[1])
    if ctx.home.ordinal == 0:
        written += int(
            Membership.objects.get_or_create(
                subdistrict=ctx.subdistrict, user=user, role=Role.LEADER
            )[1]
        )
    return written


STEPS = (
    DemoStep(
        "district",
        load,
        loaded,
        after=("registry.staff accounts",),
        accounts=(DISTRICT_ACCOUNT,),
    ),
)
