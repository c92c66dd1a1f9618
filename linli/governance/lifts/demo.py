"""Demo step: about 25 lift projects in the registry's old walk-up buildings.

Units of six- and seven-floor buildings without a lift built before 2000, taken in a seeded
order, get a project each, spread over the nine stages. The owners' votes agree with each
project's stage: every project past the survey reached consent on the day it advanced, and one
survey is just short of a threshold (one owner too few taking part). Everything goes through
the verbs (``services``), so the demo obeys the same stage rules as the pages; at 25 projects
and a few hundred votes that is fast enough.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from linli.core.access import Access
from linli.core.demo import DemoStep, present
from linli.governance.lifts import services
from linli.governance.lifts.models import Channel, Choice, Project, Stage, Voter
from linli.people.models import Unit
from linli.registry.demo.context import DemoContext

# How many projects stand in each stage (25 in all); the first survey is the one just short.
PER_STAGE = {1: 4, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 2, 8: 2, 9: 2}
LAST_DAY = dt.date(2025, 12, 20)  # every demo date is on or before it
REASONS = (
    "担心低层采光和噪音",
    "一楼不需要电梯，不愿出资",
    "担心占用绿地和通道",
    "对费用分摊比例有异议",
)
CHANNELS = (Channel.PAPER, Channel.MEETING, Channel.VISIT)


def _candidates(ctx: DemoContext, rng: random.Random) -> list[Unit]:
    units = list(
        Unit.objects.filter(
            subdistrict=ctx.subdistrict,
            building__has_lift=False,
            building__floors__in=(6, 7),
            building__built_year__lt=2000,
            dwellings__isnull=False,
        )
        .distinct()
        .select_related("building__quarter")
        .order_by("pk")
    )
    rng.shuffle(units)
    return units


def _vote_all(
    system: Access, rng: random.Random, voters: list[Voter], on: dt.date, *, everyone: bool
) -> None:
    """Most owners agree, a few object (with a reason) or abstain; owners missing from the
    registry do not take part. ``everyone``: every owner in the registry has voted."""
    for voter in voters:
        if not voter.in_registry:
            continue
        roll = rng.random()
        if not everyone and roll < 0.3:
            continue
        choice = Choice.AGREE if roll < 0.88 else (Choice.OBJECT if roll < 0.95 else Choice.ABSTAIN)
        services.record_vote(
            system,
            voter,
            choice=choice,
            on=on - dt.timedelta(days=rng.randrange(0, 20)),
            channel=rng.choice(CHANNELS),
            reason=rng.choice(REASONS) if choice == Choice.OBJECT else "",
        )


def _just_short(system: Access, voters: list[Voter], on: dt.date) -> None:
    """One owner fewer than 2/3 of the heads takes part, the largest flats first, all agree."""
    known = sorted((v for v in voters if v.in_registry), key=lambda v: -v.area_m2)
    needed = math.ceil(len(voters) * 2 / 3)
    for voter in known[: needed - 1]:
        services.record_vote(system, voter, choice=Choice.AGREE, on=on, channel=Channel.MEETING)


def _winnable(unit: Unit) -> bool:
    """A unit whose owners in the registry hold 3/4 of the heads and of the area, so that a
    vote of theirs can reach the thresholds."""
    drafts = services.owners_of(unit, LAST_DAY)
    known = [d for d in drafts if d.in_registry]
    area = sum((d.area for d in drafts), Decimal(0))
    return (
        len(drafts) >= 6
        and 4 * len(known) >= 3 * len(drafts)
        and 4 * sum((d.area for d in known), Decimal(0)) >= 3 * area
    )


def load(ctx: DemoContext) -> int:
    rng = ctx.rng("lifts")
    system = Access.system(ctx.subdistrict)
    plan = [stage for stage, n in PER_STAGE.items() for _ in range(n)]
    made = 0
    for unit in _candidates(ctx, rng):
        if made == len(plan):
            break
        if not _winnable(unit):
            continue
        made += _project(system, rng, unit, Stage(plan[made]), first=made == 0)
    return made


def _project(system: Access, rng: random.Random, unit: Unit, stage: Stage, *, first: bool) -> int:
    gaps = [rng.randrange(25, 80) for _ in range(stage)]
    opened = LAST_DAY - dt.timedelta(days=sum(gaps) + rng.randrange(0, 60))
    project = services.open_project(system, unit, opened_on=opened)
    voters = list(project.voters.all())
    day = opened + dt.timedelta(days=gaps[0])
    if stage == Stage.SURVEY:
        if first:
            _just_short(system, voters, day)
        else:
            _vote_all(system, rng, voters, day, everyone=False)
        return 1
    _vote_all(system, rng, voters, day, everyone=True)
    _until_passed(system, project, voters, day)
    cost = Decimal(rng.randrange(62, 135)) * 10_000
    for step in range(1, stage):
        if step == Stage.CONSTRUCTION_PERMIT - 1:
            services.record_cost(system, project, estimated_cost=cost, lifts=1, on=day)
        entered = None
        if step == Stage.USE_REGISTRATION - 1:
            entered = day - dt.timedelta(days=rng.randrange(5, 45))
            installed = project.stages.get(stage=Stage.INSTALLATION).reached_on
            entered = max(entered, installed)
        services.advance(system, project, on=day, entered_service_on=entered)
        day += dt.timedelta(days=gaps[step] if step < len(gaps) else 30)
    return 1


def _until_passed(system: Access, project: Project, voters: list[Voter], on: dt.date) -> None:
    """Owners still missing or objecting are won over at a last meeting until consent holds."""
    votes = services.latest_votes(project, on)
    for voter in voters:
        if services.tally(project, on).passed:
            return
        last = votes.get(voter.pk)
        if voter.in_registry and (last is None or last.choice != Choice.AGREE):
            services.record_vote(system, voter, choice=Choice.AGREE, on=on, channel=Channel.MEETING)


STEPS = (
    DemoStep(
        "lift projects",
        load,
        present(Project),
        after=("people.homes and residents",),
    ),
)
