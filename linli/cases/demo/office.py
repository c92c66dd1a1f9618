"""The demo office: its configuration (categories, fields, limits, routing rules), the people who
work its cases, and the year of cases it plays (``story.py``) and writes.

Every case is played through the real state table (``workflow.check`` refuses a move the engine
would refuse) on the sub-district's work calendar, with the engine's time limits, and cut at
the moment of loading: what had not happened yet is not written, so recent cases stand at every
stage, with their clocks running. Reminders (催办) and supervision (督办) that fell due are in
the history with their marks, so the SLA sweep does not send them again. Everything is written
with ``bulk_create``: history rows are append-only, so inserting them with their historic
times is all there is to it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from shapely.geometry import shape
from shapely.prepared import prep

from linli.cases.deadlines import Limit, limit_for
from linli.cases.demo.catalogue import (
    BY_BUILDING,
    BY_GRID,
    BY_QUARTER,
    CATEGORIES,
    LOCAL_RULE_NAMES,
    PARENTS,
    RULES,
    CategorySpec,
)
from linli.cases.demo.intake import DISPATCHER, Reporting
from linli.cases.demo.story import Story
from linli.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseReporter,
    Category,
    CategoryField,
    CoHandler,
    RoutingRule,
    SlaMark,
    Stage,
    TimeLimit,
)
from linli.cases.routing import Router
from linli.core import clock
from linli.core.calendar import WorkCalendar, local_zone
from linli.core.demo import demo_account
from linli.core.models import Membership, Organisation, User
from linli.core.roles import Role
from linli.registry.demo.context import DemoContext
from linli.registry.demo.names import display_name
from linli.registry.demo.organisations import DISPATCH_CENTRE
from linli.registry.models import Building, Enterprise, Grid, Quarter


@dataclass
class Habits:
    """How an organisation works: how often it is late, and how pleased people are."""

    late: float
    content: float


@dataclass
class Office(Reporting):
    """The case office of one demo home: what it works with and the year it has behind it."""

    ctx: DemoContext
    rng: random.Random
    calendar: WorkCalendar
    now: dt.datetime
    organisations: dict[str, Organisation]
    quarters: list[Quarter]
    buildings: list[Building]
    enterprises: list[Enterprise]
    grids: list[tuple[Any, int]]  # (prepared polygon, grid id)
    boundary: Any
    # Accounts by username, plus what they are linked to: "grid_of" (a grid id),
    # "building_of" (a Building) and "enterprise_of" (an Enterprise); see _demo_users.
    users: dict[str, Any]
    members: dict[int, list[User]]  # organisation id → accounts that can act for it
    categories: dict[str, Category] = field(default_factory=dict)
    limits: dict[tuple[int, str], Limit] = field(default_factory=dict)
    habits: dict[int, Habits] = field(default_factory=dict)
    routed: list[Organisation] = field(default_factory=list)

    @classmethod
    def build(cls, ctx: DemoContext) -> Office:
        sd = ctx.subdistrict
        organisations = {o.code: o for o in Organisation.objects.filter(subdistrict=sd)}
        grids = [
            (prep(shape(g.polygon)), g.pk)
            for g in Grid.objects.filter(subdistrict=sd, polygon__isnull=False).order_by("code")
        ]
        users = _demo_users(ctx, organisations)
        members: dict[int, list[User]] = defaultdict(list)
        # Staff who work cases for their organisation (residents and building managers are
        # linked to their committees without working there).
        acting = Membership.objects.filter(
            subdistrict=sd,
            organisation__isnull=False,
            role__in=[Role.HANDLER, Role.WINDOW_STAFF, Role.BUTLER, Role.AMBASSADOR],
        )
        # Handlers and window staff work the cases; a butler only those assigned to them.
        preference: dict[str, int] = {Role.HANDLER: 0, Role.WINDOW_STAFF: 1}
        for m in sorted(
            acting.select_related("user"),
            key=lambda m: (preference.get(m.role, 2), m.user.username),
        ):
            # The query above keeps only memberships with an organisation.
            members[cast(int, m.organisation_id)].append(m.user)
        return cls(
            ctx=ctx,
            rng=ctx.rng("cases"),
            calendar=WorkCalendar.for_subdistrict(sd),
            now=clock.now(),
            organisations=organisations,
            quarters=list(Quarter.objects.filter(subdistrict=sd).order_by("code")),
            buildings=list(Building.objects.filter(subdistrict=sd).order_by("code")),
            enterprises=list(
                Enterprise.objects.filter(subdistrict=sd, status=Enterprise.Status.ACTIVE)
                .select_related("building", "butler")
                .order_by("credit_code")
            ),
            grids=grids,
            boundary=shape(sd.boundary) if sd.boundary else None,
            users=users,
            members=members,
        )

    # configuration ---------------------------------------------------------------------

    def configure(self) -> int:
        sd = self.ctx.subdistrict
        specs = {s.code: s for s in (*PARENTS, *CATEGORIES)}
        parents = Category.objects.bulk_create(_category(sd, s, None) for s in PARENTS)
        by_code = {c.code: c for c in parents}
        children = Category.objects.bulk_create(
            _category(sd, s, by_code[s.parent]) for s in CATEGORIES
        )
        by_code.update({c.code: c for c in children})
        self.categories = by_code
        fields = CategoryField.objects.bulk_create(
            CategoryField(
                subdistrict=sd,
                category=by_code[s.code],
                key=f.key,
                label=f.label,
                type=f.type,
                required=f.required,
                choices=[{"key": k, "name": n} for k, n in f.choices],
                help_text=f.help_text,
                order=i,
            )
            for s in CATEGORIES
            for i, f in enumerate(s.fields)
        )
        limits = TimeLimit.objects.bulk_create(
            TimeLimit(subdistrict=sd, category=by_code[code], stage=stage, amount=amount, unit=unit)
            for code, spec in specs.items()
            for stage, (amount, unit) in spec.limits.items()
        )
        rules = RoutingRule.objects.bulk_create(self._rules())
        self.read_limits()
        return len(by_code) + len(fields) + len(limits) + len(rules)

    def read_configuration(self) -> None:
        """Take the categories as configured (to replay a year without writing it)."""
        self.categories = {
            c.code: c
            for c in Category.objects.filter(subdistrict=self.ctx.subdistrict).select_related(
                "parent"
            )
        }
        self.read_limits()

    def read_limits(self) -> None:
        # limit_for reads the table each time; the year asks it tens of thousands of times.
        for category in self.categories.values():
            for stage in Stage.values:
                self.limits[(category.pk, stage)] = limit_for(category, stage)

    def _rules(self) -> list[RoutingRule]:
        sd, orgs, cats = self.ctx.subdistrict, self.organisations, self.categories
        by_id = {o.pk: o for o in orgs.values()}
        rules = []
        for code in BY_QUARTER:
            for q in self.quarters:
                if q.committee_id in by_id:
                    rules.append(
                        RoutingRule(
                            subdistrict=sd,
                            name=LOCAL_RULE_NAMES["quarter"].format(
                                category=cats[code].name, place=q.name
                            ),
                            priority=20,
                            category=cats[code],
                            quarter=q,
                            organisation=by_id[q.committee_id],
                        )
                    )
        for code in BY_GRID:
            for g in Grid.objects.filter(subdistrict=sd).order_by("code"):
                if g.organisation_id in by_id:
                    rules.append(
                        RoutingRule(
                            subdistrict=sd,
                            name=LOCAL_RULE_NAMES["grid"].format(
                                category=cats[code].name, place=g.name
                            ),
                            priority=20,
                            category=cats[code],
                            grid=g,
                            organisation=by_id[g.organisation_id],
                        )
                    )
        committees = {b.code: b.committee_code for b in self.ctx.places.buildings}
        for code in BY_BUILDING:
            for b in self.buildings:
                committee = orgs.get(committees.get(b.code, ""))
                if committee is not None:
                    rules.append(
                        RoutingRule(
                            subdistrict=sd,
                            name=LOCAL_RULE_NAMES["building"].format(
                                category=cats[code].name, place=b.name
                            ),
                            priority=20,
                            category=cats[code],
                            building=b,
                            organisation=committee,
                        )
                    )
        for spec in RULES:
            if spec.organisation in orgs:
                rules.append(
                    RoutingRule(
                        subdistrict=sd,
                        name=spec.name,
                        priority=spec.priority,
                        category=cats[spec.category],
                        organisation=orgs[spec.organisation],
                    )
                )
        return rules

    def habits_of(self, organisation_id: int | None) -> Habits:
        key = organisation_id or 0
        if key not in self.habits:
            rng = self.ctx.rng(f"cases habits {key}")
            self.habits[key] = Habits(late=rng.uniform(0.03, 0.16), content=rng.uniform(0.8, 0.97))
        return self.habits[key]

    def actor_for(self, organisation_id: int | None, assignee: User | None = None) -> User | None:
        if assignee is not None:
            return assignee
        people = self.members.get(organisation_id or 0, [])
        return people[0] if people else None

    # the year --------------------------------------------------------------------------

    def play_year(self) -> int:
        return self.write(self.stories())

    def stories(self) -> list[Story]:
        """Every case of the year, played up to now; nothing written yet."""
        plan = self.plan_intake()
        plan.sort(key=lambda p: p.received_at)
        router = Router()
        stories: list[Story] = []
        recent: dict[int, list[Story]] = defaultdict(list)
        for intake in plan:
            target = self.duplicate_target(intake, recent[intake.category.pk])
            if target is not None:
                intake.place = self.next_to(target.intake.place, intake.category)
            story = Story(self, intake, router)
            story.play(target)
            stories.append(story)
            if intake.category.duplicate_radius_m:
                recent[intake.category.pk].append(story)
        return stories

    # writing ---------------------------------------------------------------------------

    def write(self, stories: list[Story]) -> int:
        sd = self.ctx.subdistrict
        zone = local_zone()
        counters: dict[int, int] = defaultdict(int)
        for story in stories:
            year = story.intake.received_at.astimezone(zone).year
            counters[year] += 1
            story.case.number = f"{year}-{counters[year]:06d}"
        cases = Case.objects.bulk_create([s.case for s in stories], batch_size=1000)
        for story in stories:
            if story.merged_into is not None:
                story.case.merged_into = story.merged_into.case
        Case.objects.bulk_update(
            [s.case for s in stories if s.merged_into is not None], ["merged_into"], batch_size=500
        )
        for story in stories:
            story.number_merges()
        reporters = CaseReporter.objects.bulk_create(
            [r for s in stories for r in s.reporters], batch_size=2000
        )
        co_handlers = CoHandler.objects.bulk_create([c for s in stories for c in s.co_handlers])
        history = [e for s in stories for e in (*s.events, *s.ratings())]
        events = CaseEvent.objects.bulk_create(
            sorted(history, key=lambda e: (e.at, e.case.pk)), batch_size=2000
        )
        marks = SlaMark.objects.bulk_create([m for s in stories for m in s.marks], batch_size=2000)
        CaseCounter.objects.bulk_create(
            CaseCounter(subdistrict=sd, year=year, last=last) for year, last in counters.items()
        )
        # ``updated_at`` is stamped on insert; give each case the time of its last event.
        last_event: dict[int, dt.datetime] = {}
        for event in events:
            last_event[event.case_id] = max(event.at, last_event.get(event.case_id, event.at))
        for case in cases:
            case.updated_at = last_event.get(case.pk, case.received_at)
        Case.objects.bulk_update(cases, ["updated_at"], batch_size=500)
        return len(cases) + len(reporters) + len(co_handlers) + len(events) + len(marks)


def _category(sd: Any, spec: CategorySpec, parent: Category | None) -> Category:
    radius, days = spec.duplicate or (None, None)
    return Category(
        subdistrict=sd,
        code=spec.code,
        name=spec.name,
        name_en=spec.name_en,
        description=spec.description,
        parent=parent,
        kind=spec.kind,
        audience=Category.Audience.ENTERPRISES
        if spec.kind == Category.Kind.ENTERPRISE_APPEAL
        else spec.audience,
        synonyms=spec.synonyms,
        allows_anonymous=spec.anonymous,
        public_display=spec.public,
        canned_replies=list(spec.replies),
        duplicate_radius_m=radius,
        duplicate_days=days,
    )


def _demo_users(ctx: DemoContext, organisations: dict[str, Organisation]) -> dict[str, Any]:
    """The demo accounts that report and act, by username, with what they are linked to; and
    in the first home a dispatcher in the city operations centre, who triages."""
    sd = ctx.subdistrict
    found: dict[str, Any] = {}
    for m in Membership.objects.filter(subdistrict=sd).select_related("user"):
        name = m.user.username
        key = name.split("_", 1)[1] if ctx.home.key and name.startswith(ctx.home.key) else name
        found.setdefault(key, m.user)
        if m.role == Role.GRID_WORKER and m.grid_id:
            found.setdefault("grid_of", m.grid_id)
        if m.role == Role.BUILDING_MANAGER and m.building_id:
            found.setdefault("building_of", Building.objects.get(pk=m.building_id))
        if m.role == Role.ENTERPRISE_MEMBER and m.enterprise_id:
            found.setdefault(
                "enterprise_of",
                Enterprise.objects.select_related("building", "butler").get(pk=m.enterprise_id),
            )
    centre = organisations.get(DISPATCH_CENTRE)
    if ctx.home.ordinal == 0 and centre is not None:
        found[DISPATCHER] = _dispatcher(ctx, centre)
    return found


def _dispatcher(ctx: DemoContext, centre: Organisation) -> User:
    user = demo_account(DISPATCHER, ctx.subdistrict)
    user.display_name = display_name(ctx.seed, DISPATCHER)
    user.save()
    Membership.objects.get_or_create(
        subdistrict=ctx.subdistrict, user=user, role=Role.HANDLER, organisation=centre
    )
    return user
