"""The cases step of the demo: categories, routing rules and a year of a working office's cases.

Every case is played through the real state table (``workflow.check`` refuses a move the engine
would refuse) on the sub-district's work calendar, with the engine's time limits, and cut at
the moment of loading: what had not happened yet is not written, so recent cases stand at every
stage, with their clocks running. Reminders (催办) and supervision (督办) that fell due are in
the history with their marks, so the SLA sweep does not send them again. Everything is written
with ``bulk_create``: history rows are append-only, so inserting them with their historic
times is all there is to it.

Outcomes follow the office's habits, drawn per organisation: most cases closed on time and to
the reporter's satisfaction; some late, returned, paused, extended, reworked, reopened after a
dissatisfied callback or registered as long-term; duplicates merged; a few stalled.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from shapely.geometry import Point, shape
from shapely.prepared import prep

from linli.cases import workflow
from linli.cases.deadlines import DAYS, Limit, limit_for, reminder_point, shift
from linli.cases.demo_catalogue import (
    BY_BUILDING,
    BY_GRID,
    BY_QUARTER,
    CALLBACK_NOTES,
    CATEGORIES,
    EXTENSION_REASONS,
    LICENCES,
    LONG_TERM_REASONS,
    PARENTS,
    POLICIES,
    RATING_COMMENTS,
    REJECT_NOTES,
    REOPEN_REASONS,
    RETURN_REASONS,
    REWORK_REASONS,
    RULES,
    SHOPS,
    WAIT_NOTES,
    CategorySpec,
)
from linli.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseReporter,
    Category,
    CategoryField,
    Channel,
    CoHandler,
    RejectReason,
    RoutingRule,
    Satisfaction,
    SlaMark,
    Stage,
    State,
    TimeLimit,
)
from linli.cases.routing import Router
from linli.cases.services import token_hash
from linli.core import clock
from linli.core.calendar import WorkCalendar, local_zone
from linli.core.models import Membership, Organisation, User
from linli.core.pii import encrypt, lookup_hash
from linli.core.roles import Role
from linli.registry.demo.names import mobile_number, person_name
from linli.registry.demo.people import EXTRA_USERNAMES
from linli.registry.models import Building, Enterprise, Grid, Quarter

if TYPE_CHECKING:
    from linli.registry.demo.load import DemoContext

FIRST_HOME_POPULATION = 30_000
DISPATCHER = "dispatcher"
EXTRA_USERNAMES.append(DISPATCHER)
DISPATCH_CENTRE = "CYZX"
# The demo accounts' own cases, so "my cases" has something in it.
RESIDENT_CASES = 14
ENTERPRISE_CASES = 8
BUILDING_CASES = 12
RECENT_DAYS = 365
DESK_SLIP = 0.3
ON_BEHALF = {Channel.HOTLINE_12345, Channel.PHONE, Channel.WALK_IN}


def loaded(ctx: DemoContext) -> bool:
    return Category.objects.filter(subdistrict=ctx.subdistrict).exists()


def load(ctx: DemoContext) -> int:
    office = Office.build(ctx)
    written = office.configure()
    written += office.play_year()
    return written


# --- the office --------------------------------------------------------------------------


@dataclass
class Place:
    lon: float
    lat: float
    address: str
    name: str  # the quarter or street, as a reporter would say it
    grid_id: int | None
    quarter: Quarter | None = None
    building: Building | None = None
    enterprise: Enterprise | None = None


@dataclass
class Habits:
    """How an organisation works: how often it is late, and how pleased people are."""

    late: float
    content: float


@dataclass
class Office:
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
                            name=f"{cats[code].name}·{q.name}→居委会",
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
                            name=f"{cats[code].name}·{g.name}→网格工作站",
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
                            name=f"{cats[code].name}·{b.name}→楼宇管委会",
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

    # places ----------------------------------------------------------------------------

    def grid_at(self, lon: float, lat: float) -> int | None:
        point = Point(lon, lat)
        return next((pk for polygon, pk in self.grids if polygon.covers(point)), None)

    def in_quarter(self, quarter: Quarter) -> Place:
        polygon = shape(quarter.polygon)
        minx, miny, maxx, maxy = polygon.bounds
        lon, lat = polygon.representative_point().coords[0]
        for _ in range(50):
            x, y = self.rng.uniform(minx, maxx), self.rng.uniform(miny, maxy)
            if polygon.contains(Point(x, y)):
                lon, lat = x, y
                break
        number = self.rng.randint(1, 40)
        return Place(
            lon=round(lon, 6),
            lat=round(lat, 6),
            address=f"{quarter.address}{number}号",
            name=quarter.name,
            grid_id=quarter.grid_id,
            quarter=quarter,
        )

    def on_street(self) -> Place:
        home = self.ctx.home
        lon, lat = self.ctx.subdistrict.center_lon, self.ctx.subdistrict.center_lat
        if self.boundary is not None:
            minx, miny, maxx, maxy = self.boundary.bounds
            for _ in range(50):
                x, y = self.rng.uniform(minx, maxx), self.rng.uniform(miny, maxy)
                if self.boundary.contains(Point(x, y)):
                    lon, lat = x, y
                    break
        street = self.rng.choice(home.ew_streets + home.ns_streets)
        return Place(
            lon=round(lon, 6),
            lat=round(lat, 6),
            address=f"{street}{self.rng.randint(1, 900)}号",
            name=street,
            grid_id=self.grid_at(lon, lat),
        )

    def at_building(self, building: Building) -> Place:
        return Place(
            lon=round(building.lon + self.rng.uniform(-0.0002, 0.0002), 6),
            lat=round(building.lat + self.rng.uniform(-0.0002, 0.0002), 6),
            address=building.address,
            name=building.name,
            grid_id=building.grid_id,
            building=building,
        )

    def at_enterprise(self, enterprise: Enterprise) -> Place:
        if enterprise.building is None:
            place = self.on_street()
        else:
            place = self.at_building(enterprise.building)
        place.enterprise = enterprise
        return place

    def hot_quarters(self, code: str) -> list[float]:
        # Older quarters charge more batteries indoors and rent out more beds.
        weights = []
        for q in self.quarters:
            weight = max(q.population, 100) / 1000
            if code in ("INC-EBIKE", "INC-RENT", "SVC-LIFT") and (q.built_year or 2000) < 1995:
                weight *= 3
            weights.append(weight)
        return weights

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

    def plan_intake(self) -> list[Intake]:
        share = self.ctx.home.population / FIRST_HOME_POPULATION
        zone = local_zone()
        today = self.now.astimezone(zone).date()
        days = [today - dt.timedelta(days=n) for n in range(RECENT_DAYS, -1, -1)]
        plan: list[Intake] = []
        for spec in CATEGORIES:
            count = round(spec.yearly * share)
            weights = [self.day_weight(spec, d) for d in days]
            for day in self.rng.choices(days, weights, k=count):
                intake = self.intake(spec, day)
                if intake is not None:
                    plan.append(intake)
        plan += self.own_cases(days)
        return plan

    def day_weight(self, spec: CategorySpec, day: dt.date) -> float:
        weight = 1.0 if self.calendar.is_workday(day) else 0.5
        if spec.code == "INC-NOISE" and day.month in (6, 7, 8, 9):
            weight *= 1.6
        if spec.code == "INC-EBIKE" and day.month in (1, 2, 7, 8, 12):
            weight *= 1.4
        if spec.code == "APP-POLICY" and day.month in (3, 4, 9, 10):
            weight *= 1.8
        return weight

    def moment(self, day: dt.date, channel: str) -> dt.datetime | None:
        zone = local_zone()
        if channel in (Channel.HOTLINE_12345, Channel.PHONE):
            hour = self.rng.choices(range(7, 23), [1, 3, 5, 5, 4, 3, 4, 5, 4, 3, 2, 2, 2, 2, 1, 1])[
                0
            ]
        elif channel in (Channel.WEB, Channel.OPEN311, Channel.API):
            hour = self.rng.choices(range(6, 24), [1] * 3 + [3] * 10 + [2] * 5)[0]
        else:
            # Patrols, windows, butlers and building managers work office hours on workdays.
            day = self.calendar.next_workday(day)
            hour = self.rng.choice([9, 9, 10, 10, 11, 13, 14, 14, 15, 16])
        at = dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60)), zone)
        at += dt.timedelta(seconds=self.rng.randrange(60))
        return at if at < self.now else None

    def intake(
        self, spec: CategorySpec, day: dt.date, *, channel: str = "", reporter: User | None = None
    ) -> Intake | None:
        rng = self.rng
        channel = channel or rng.choices(list(spec.channels), list(spec.channels.values()))[0]
        received_at = self.moment(day, channel)
        if received_at is None:
            return None
        category = self.categories[spec.code]
        place = self.place_for(spec, channel, reporter)
        text = rng.choice(spec.texts)
        values, extra = self.words(spec, place)
        description = text.format(**values)
        intake = Intake(
            spec=spec,
            category=category,
            channel=channel,
            received_at=received_at,
            place=place,
            description=description,
            title=_title(spec, place),
            extra=extra,
            reporter=reporter,
        )
        self.choose_reporter(intake)
        return intake

    def place_for(self, spec: CategorySpec, channel: str, reporter: User | None) -> Place:
        rng = self.rng
        if reporter is not None and reporter.username == "enterprise":
            return self.at_enterprise(self.users["enterprise_of"])
        if reporter is not None and reporter.username == "building":
            return self.at_building(self.users["building_of"])
        if reporter is not None and reporter.username == "resident" and self.quarters:
            return self.in_quarter(self.quarters[0])
        if spec.where == "enterprise" and self.enterprises:
            return self.at_enterprise(rng.choice(self.enterprises))
        if channel == Channel.BUILDING_MANAGER and self.buildings:
            return self.at_building(rng.choice(self.buildings))
        if spec.where == "street" and (rng.random() < 0.6 or not self.quarters):
            return self.on_street()
        if self.quarters:
            quarter = rng.choices(self.quarters, self.hot_quarters(spec.code))[0]
            return self.in_quarter(quarter)
        return self.on_street()

    def words(self, spec: CategorySpec, place: Place) -> tuple[dict[str, Any], dict[str, Any]]:
        rng = self.rng
        home = self.ctx.home
        enterprise = place.enterprise
        values: dict[str, Any] = {
            "place": place.name,
            "street": place.name
            if place.quarter is None and place.building is None
            else rng.choice(home.ew_streets),
            "bno": rng.randint(1, 40),
            "unit": rng.randint(1, 6),
            "floor": rng.randint(2, 7),
            "room": f"{rng.randint(1, 6)}0{rng.randint(1, 4)}",
            "shop": rng.choice(SHOPS),
            "date": "",
            "floors": rng.choice([5, 6, 6, 7]),
            "consent": rng.choice([40, 55, 67, 70, 80, 90]),
            "company": enterprise.name if enterprise else "",
            "building": enterprise.building.name if enterprise and enterprise.building else "",
            "amount": rng.choice([50, 100, 200, 300, 500, 800, 1000]),
            "people": rng.randint(2, 30),
            "area": rng.choice([200, 300, 500, 800, 1200, 2000]),
        }
        bought = (self.now - dt.timedelta(days=rng.randint(1, 6))).astimezone(local_zone()).date()
        values["date"] = bought.isoformat()
        extra: dict[str, Any] = {}
        for f in spec.fields:
            if f.type == "photo":
                continue
            if f.choices:
                extra[f.key] = rng.choice(f.choices)[0]
            elif f.key in ("floor", "floors"):
                extra[f.key] = values["floor" if f.key == "floor" else "floors"]
            elif f.key in ("consent", "amount", "people", "area", "occupants"):
                extra[f.key] = values.get(f.key) or rng.randint(8, 20)
            elif f.key == "shop":
                extra[f.key] = f"{values['street']}{values['shop']}"
            elif f.key in ("bought_on", "needed_by"):
                extra[f.key] = values["date"]
            elif f.key == "unit":
                extra[f.key] = f"{values['bno']}号{values['room']}室"
            elif f.key == "building_no":
                extra[f.key] = f"{values['bno']}号楼"
            elif f.key == "licence":
                extra[f.key] = rng.choice(LICENCES)
            elif f.key == "policy":
                extra[f.key] = rng.choice(POLICIES)
        return values, extra

    def choose_reporter(self, intake: Intake) -> None:
        rng, channel = self.rng, intake.channel
        if intake.reporter is not None:
            intake.submitted_by = intake.reporter
            return
        if channel in ON_BEHALF:
            intake.name = person_name(rng)
            intake.phone = mobile_number(rng)
            intake.submitted_by = (
                self.users.get("window")
                if channel == Channel.WALK_IN and intake.spec.kind != Category.Kind.INCIDENT
                else self.users.get(DISPATCHER)
            )
            return
        if channel == Channel.GRID_PATROL:
            grid_user = self.users.get("grid")
            grid_of = self.users.get("grid_of")
            if grid_user is not None and grid_of is not None and intake.place.grid_id == grid_of:
                intake.reporter = intake.submitted_by = grid_user
            else:
                intake.name = f"网格员{person_name(rng)}"
            return
        if channel == Channel.BUTLER_VISIT:
            enterprise = intake.place.enterprise
            intake.name = person_name(rng)
            intake.phone = mobile_number(rng)
            intake.submitted_by = enterprise.butler if enterprise is not None else None
            return
        if intake.spec.anonymous and rng.random() < 0.35:
            intake.token = f"demo-{rng.getrandbits(96):x}"
            return
        intake.name = person_name(rng)
        intake.phone = mobile_number(rng)

    def own_cases(self, days: list[dt.date]) -> list[Intake]:
        """The demo accounts' reports, so their "my cases" pages show a history."""
        plan = []
        specs = {s.code: s for s in CATEGORIES}
        wanted = [
            # The newest (i = 0) is a slow one, so it is still being handled.
            ("resident", RESIDENT_CASES, ("SVC-LIFT", "INC-REPAIR", "INC-EBIKE", "SVC-ELDER")),
            ("enterprise", ENTERPRISE_CASES, ("APP-POLICY", "APP-LIC", "APP-TALENT", "APP-FIN")),
            ("building", BUILDING_CASES, ("INC-REPAIR", "INC-SANI", "INC-EBIKE")),
        ]
        for username, count, codes in wanted:
            user = self.users.get(username)
            if user is None or (username == "enterprise" and "enterprise_of" not in self.users):
                continue
            if username == "building" and "building_of" not in self.users:
                continue
            channel = Channel.BUILDING_MANAGER if username == "building" else Channel.WEB
            # Spread over the year, the last one a few days ago so it is still being handled.
            for i in range(count):
                back = 1 if i == 0 else round(i * RECENT_DAYS / count)
                day = days[-1 - back]
                spec = specs[codes[i % len(codes)]]
                intake = self.intake(spec, day, channel=channel, reporter=user)
                if intake is not None:
                    plan.append(intake)
        return plan

    def duplicate_target(self, intake: Intake, earlier: list[Story]) -> Story | None:
        """Now and then someone reports what another reported days ago, a few steps away."""
        category = intake.category
        if not category.duplicate_radius_m or intake.reporter is not None:
            return None
        if self.rng.random() > 0.04:
            return None
        window = dt.timedelta(days=category.duplicate_days or 7)
        for story in reversed(earlier[-30:]):
            if intake.received_at - story.intake.received_at > window:
                break
            still_open = story.final_at is None or story.final_at > intake.received_at
            if story.intake.place.grid_id == intake.place.grid_id and still_open:
                return story
        return None

    def next_to(self, place: Place, category: Category) -> Place:
        step = (category.duplicate_radius_m or 50) / 3 / 111_320
        return Place(
            lon=round(place.lon + self.rng.uniform(-step, step), 6),
            lat=round(place.lat + self.rng.uniform(-step, step), 6),
            address=place.address,
            name=place.name,
            grid_id=place.grid_id,
            quarter=place.quarter,
            building=place.building,
        )

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
        allows_anonymous=spec.anonymous,
        public_display=spec.public,
        canned_replies=list(spec.replies),
        duplicate_radius_m=radius,
        duplicate_days=days,
    )


def _title(spec: CategorySpec, place: Place) -> str:
    where = place.enterprise.name if place.enterprise is not None else place.name
    return f"{spec.name}·{where}"[:200]


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
    from linli.registry.demo import load, people

    user = User.objects.filter(username=DISPATCHER).first()
    if user is not None and not user.email.endswith("@" + people.DEMO_EMAIL_DOMAIN):
        raise load.DemoConflict(
            f"user {DISPATCHER!r} exists and is not a demo account; "
            "load the demo into another database"
        )
    if user is None:
        user = User(username=DISPATCHER, home_subdistrict=ctx.subdistrict)
    user.email = f"{DISPATCHER}@{people.DEMO_EMAIL_DOMAIN}"
    # Seeded like the other demo accounts' names (people.AccountPlan.display_name).
    seeded = random.Random(f"{ctx.seed}:person:{DISPATCHER}")  # noqa: S311 - not a secret
    user.display_name = person_name(seeded)
    user.password = load._password_hash()
    user.is_active = True
    user.save()
    Membership.objects.get_or_create(
        subdistrict=ctx.subdistrict, user=user, role=Role.HANDLER, organisation=centre
    )
    return user


# --- one case's story --------------------------------------------------------------------


@dataclass
class Intake:
    spec: CategorySpec
    category: Category
    channel: str
    received_at: dt.datetime
    place: Place
    description: str
    title: str
    extra: dict[str, Any]
    reporter: User | None = None  # the reporter's account
    submitted_by: User | None = None
    name: str = ""
    phone: str = ""
    token: str = ""


class Cut(Exception):
    """The story has reached the present: what comes next has not happened yet."""


class Story:
    """One case played through the state table, event by event, up to now."""

    def __init__(self, office: Office, intake: Intake, router: Router) -> None:
        self.office = office
        self.intake = intake
        self.rng = office.rng
        self.cal = office.calendar
        self.events: list[CaseEvent] = []
        self.marks: list[SlaMark] = []
        self.reporters: list[CaseReporter] = []
        self.co_handlers: list[CoHandler] = []
        self.merged_into: Story | None = None
        self.final_at: dt.datetime | None = None
        self.sent: set[tuple[int, str]] = set()
        self.absorbed: list[tuple[dt.datetime, Story, int]] = []
        self.merge_event: CaseEvent | None = None
        place, sd = intake.place, office.ctx.subdistrict
        self.case = Case(
            subdistrict=sd,
            category=intake.category,
            channel=intake.channel,
            title=intake.title,
            description=intake.description,
            lon=place.lon,
            lat=place.lat,
            address=place.address,
            grid_id=place.grid_id,
            quarter=place.quarter,
            building=place.building,
            enterprise=place.enterprise,
            reporter=intake.reporter,
            extra=intake.extra,
            received_at=intake.received_at,
        )
        decision = router.route(self.case)
        self.case.routed_organisation = decision.organisation
        self.case.routed_assignee = decision.assignee
        self.case.routing_rule = decision.rule
        self.case.routing_reason = decision.reason
        self.t = intake.received_at
        lead = decision.organisation.pk if decision.organisation else None
        self.habits = office.habits_of(lead)
        self.reporters.append(
            CaseReporter(
                subdistrict=sd,
                case=self.case,
                user=intake.reporter,
                name=intake.name,
                phone_cipher=encrypt(intake.phone),
                phone_hash=lookup_hash(intake.phone),
                tracking_token_hash=token_hash(intake.token) if intake.token else "",
                added_at=intake.received_at,
            )
        )

    # the machinery ---------------------------------------------------------------------

    @property
    def now(self) -> dt.datetime:
        return self.office.now

    def limit(self, stage: str) -> Limit:
        return self.office.limits[(self.case.category_id, stage)]

    def start_clock(
        self, stage: str, start: dt.datetime, deadline: dt.datetime | None = None
    ) -> None:
        case = self.case
        if deadline is None:
            deadline = self.limit(stage).after(self.cal, start)
        case.clock += 1
        case.stage = stage
        case.stage_started_at = start
        case.stage_deadline = deadline
        case.reminder_at = reminder_point(self.cal, start, deadline)

    def stop_clock(self) -> None:
        case = self.case
        case.stage = ""
        case.stage_started_at = case.stage_deadline = case.reminder_at = None

    def late(self, at: dt.datetime) -> bool | None:
        deadline = self.case.stage_deadline
        return None if deadline is None else at > deadline

    def chase(self, until: dt.datetime) -> None:
        """The reminder and supervision the sweep sent for the running clock before ``until``."""
        case = self.case
        if case.stage_deadline is None or case.paused_since is not None:
            return
        for kind, line in (
            (SlaMark.Kind.REMINDER, case.reminder_at),
            (SlaMark.Kind.SUPERVISION, case.stage_deadline),
        ):
            key = (case.clock, kind.value)
            if line is None or line >= until or line > self.now or key in self.sent:
                continue
            at = line + dt.timedelta(seconds=self.rng.randint(1, 59))
            if at > self.now:
                continue
            self.sent.add(key)
            self.events.append(
                self.event(
                    at,
                    kind.value,
                    case.state,
                    None,
                    data={"stage": case.stage, "deadline": case.stage_deadline.isoformat()},
                )
            )
            self.marks.append(
                SlaMark(
                    subdistrict_id=case.subdistrict_id,
                    case=case,
                    clock=case.clock,
                    stage=case.stage,
                    kind=kind,
                    deadline=case.stage_deadline,
                    created_at=at,
                )
            )

    def event(
        self, at: dt.datetime, action: str, to_state: str, actor: User | None, **values: Any
    ) -> CaseEvent:
        values.setdefault("organisation_id", self.case.lead_organisation_id)
        return CaseEvent(
            subdistrict_id=self.case.subdistrict_id,
            case=self.case,
            at=at,
            actor=actor,
            action=action,
            from_state=self.case.state if action not in ("submit",) else "",
            to_state=to_state,
            **values,
        )

    def act(self, at: dt.datetime, action: str, actor: User | None, **values: Any) -> None:
        """Append one transition at ``at``, or stop the story if that is in the future."""
        self.chase(at)
        if at > self.now:
            raise Cut
        workflow.check(self.case.state, action)
        to_state = workflow.target_state(self.case.state, action)
        self.events.append(self.event(at, action, to_state, actor, **values))
        self.case.state = to_state
        self.t = at

    def due(
        self,
        *,
        late: bool | None = None,
        share: tuple[float, float] = (0.05, 0.9),
        slip: float = 1.0,
    ) -> dt.datetime:
        """When the work of the running clock gets done: mostly in time, sometimes late, now and
        then long after (a stalled case). The triage and callback desks slip less often than
        the organisations doing the work (``slip`` scales the organisation's habit)."""
        case = self.case
        start, deadline = case.stage_started_at, case.stage_deadline
        assert start is not None and deadline is not None  # noqa: S101 - a clock runs
        if late is None:
            late = self.rng.random() < self.habits.late * slip
        budget = self.cal.working_seconds_between(start, deadline) / 3600
        if late:
            stalled = self.rng.random() < 0.15
            fraction = self.rng.uniform(3, 20) if stalled else 1 + self.rng.expovariate(2.5)
        else:
            low, high = share
            fraction = low + (high - low) * self.rng.random() ** 1.4
        at = self.cal.add_working_hours(start, max(budget, 0.25) * fraction)
        if at <= self.t:
            at = self.soon(0.2, 1.0)
        return at

    def soon(self, low: float, high: float) -> dt.datetime:
        """A little working time after the last event (hours)."""
        return self.cal.add_working_hours(self.t, self.rng.uniform(low, high)) + dt.timedelta(
            seconds=self.rng.randint(0, 59)
        )

    # the story -------------------------------------------------------------------------

    def play(self, duplicate_of: Story | None) -> None:
        case = self.case
        intake = self.intake
        self.events.append(
            self.event(
                intake.received_at,
                "submit",
                State.RECEIVED,
                intake.submitted_by,
                organisation_id=None,
                data={
                    "channel": intake.channel,
                    "routing": {
                        "organisation": case.routed_organisation_id,
                        "assignee": case.routed_assignee_id,
                        "rule": case.routing_rule_id,
                        "reason": case.routing_reason,
                    },
                },
            )
        )
        self.start_clock(Stage.REGISTER, intake.received_at)
        try:
            if duplicate_of is not None:
                self.merge(duplicate_of)
            else:
                self.handle()
        except Cut:
            pass
        self.chase(self.now)

    def dispatcher(self) -> User | None:
        return self.office.users.get(DISPATCHER)

    def leader(self) -> User | None:
        return self.office.users.get("leader") or self.office.users.get("operator")

    def handler(self) -> User | None:
        return self.office.actor_for(self.case.lead_organisation_id, self.case.assignee)

    def verifier(self) -> User | None:
        grid_user = self.office.users.get("grid")
        if grid_user is not None and self.case.grid_id == self.office.users.get("grid_of"):
            return grid_user
        return self.dispatcher()

    def handle(self) -> None:
        rng, case = self.rng, self.case
        at = self.due(slip=DESK_SLIP)
        enquiry = case.category.kind == Category.Kind.ENQUIRY
        if rng.random() < (0.01 if enquiry else 0.04):
            reason = rng.choices(list(RejectReason.values), [3, 4, 3])[0]
            self.act(
                at,
                "reject",
                self.dispatcher(),
                reason=reason,
                note=REJECT_NOTES[reason],
                late=self.late(at),
            )
            self.stop_clock()
            self.final_at = at
            return
        self.act(at, "register", self.dispatcher(), late=self.late(at))
        self.start_clock(Stage.DISPATCH, at)

        right = case.routed_organisation
        if right is None:
            return
        wrong = None
        if rng.random() < 0.05:
            # A dispatcher's slip: another office that takes a lot of work (so one picked from
            # the cases routed lately).
            others = [o for o in self.office.routed[-200:] if o.pk != right.pk]
            wrong = rng.choice(others) if others else None
        self.office.routed.append(right)
        self.dispatch(wrong or right)
        if wrong is not None:
            at = self.due(late=False)
            reason = rng.choice(RETURN_REASONS).format(org=right.name)
            self.act(
                at, "return", self.handler(), reason=reason[:200], note=reason, late=self.late(at)
            )
            case.lead_organisation = None
            case.assignee = None
            self.start_clock(Stage.DISPATCH, at)
            self.dispatch(right)
        self.habits = self.office.habits_of(case.lead_organisation_id)
        self.work()

    def dispatch(self, organisation: Organisation) -> None:
        case = self.case
        at = self.due(slip=DESK_SLIP)
        assignee = case.routed_assignee if organisation == case.routed_organisation else None
        self.act(
            at,
            "dispatch",
            self.dispatcher(),
            late=self.late(at),
            organisation_id=organisation.pk,
            data={"assignee": assignee.pk if assignee else None},
        )
        case.lead_organisation = organisation
        case.assignee = assignee
        case.dispatched_at = at
        self.start_clock(Stage.ACCEPT, at)

    def work(self) -> None:
        rng, case, spec = self.rng, self.case, self.intake.spec
        at = self.due()
        handler = self.handler()
        self.act(at, "accept", handler, late=self.late(at))
        case.accepted_at = at
        case.resolve_deadline = self.limit(Stage.RESOLVE).after(self.cal, at)
        if case.assignee is None and handler is not None:
            case.assignee = handler
        self.start_clock(Stage.FIRST_CONTACT, at)

        co_handler = None
        code, part = spec.co_handler
        partner = self.office.organisations.get(code)
        if partner is not None and partner.pk != case.lead_organisation_id and rng.random() < 0.3:
            co_handler = self.add_co_handler(partner, part)

        at = self.due()
        self.act(at, "start_handling", self.handler(), late=self.late(at))
        self.start_clock(Stage.RESOLVE, case.accepted_at, case.resolve_deadline)

        if rng.random() < 0.05:
            self.wait_for_reporter()
        slow = spec.code in ("INC-REPAIR", "SVC-LIFT", "INC-RENT")
        if rng.random() < (0.15 if slow else 0.035):
            self.extension()
        if rng.random() < (0.04 if slow else 0.006):
            self.long_term()
            return
        if co_handler is not None:
            self.complete_co_handling(co_handler)
        self.verification()

    def add_co_handler(self, partner: Organisation, part: str) -> CoHandler:
        at = self.soon(0.1, 1.5)
        self.act(at, "add_co_handler", self.handler(), note=part, data={"organisation": partner.pk})
        row = CoHandler(
            subdistrict_id=self.case.subdistrict_id,
            case=self.case,
            organisation=partner,
            part=part,
            added_at=at,
        )
        self.co_handlers.append(row)
        self.events[-1].data["co_handler"] = row  # numbered once the row is written
        return row

    def complete_co_handling(self, row: CoHandler) -> None:
        at = self.soon(2, 12)
        note = "已完成本单位负责部分。"
        self.act(
            at,
            "complete_co_handling",
            self.office.actor_for(row.organisation_id),
            note=note,
            organisation_id=row.organisation_id,
            data={"organisation": row.organisation_id, "co_handler": row},
        )
        row.state = CoHandler.Progress.DONE
        row.note = note
        row.done_at = at

    def wait_for_reporter(self) -> None:
        case = self.case
        at = self.soon(1, 6)
        self.act(at, "wait_for_reporter", self.handler(), note=self.rng.choice(WAIT_NOTES))
        case.paused_since = at
        back = self.cal.add_working_hours(at, self.rng.uniform(4, 30))
        paused = self.cal.working_seconds_between(at, back)
        self.act(
            back,
            "resume",
            self.handler(),
            note="报告人已补充信息。",
            data={"paused_seconds": round(paused)},
        )
        case.paused_seconds += round(paused)
        case.paused_since = None
        case.stage_deadline = shift(self.cal, case.stage_deadline, paused)
        case.reminder_at = shift(self.cal, case.reminder_at, paused)
        case.resolve_deadline = shift(self.cal, case.resolve_deadline, paused)

    def extension(self) -> None:
        rng, case = self.rng, self.case
        at = self.due(late=False, share=(0.4, 0.75))
        limit = self.limit(Stage.EXTENSION)
        amount = rng.randint(max(1, limit.amount // 2), limit.amount)
        reason = rng.choice(EXTENSION_REASONS)
        self.act(
            at,
            "request_extension",
            self.handler(),
            reason=reason,
            note=reason,
            data={"amount": amount, "unit": limit.unit},
        )
        decided = self.soon(0.5, 4)
        if rng.random() < 0.15:
            reason = "理由不充分，请按期办结。"
            self.act(decided, "deny_extension", self.leader(), reason=reason, note=reason)
            return
        base = case.resolve_deadline or decided
        if limit.unit == DAYS:
            deadline = self.cal.add_working_days(base, amount)
        else:
            deadline = self.cal.add_working_hours(base, amount)
        self.act(
            decided, "approve_extension", self.leader(), data={"amount": amount, "unit": limit.unit}
        )
        case.resolve_deadline = deadline
        self.start_clock(Stage.EXTENSION, decided, deadline)

    def long_term(self) -> None:
        case = self.case
        at = self.due(late=False, share=(0.6, 0.95))
        reason = self.rng.choice(LONG_TERM_REASONS)
        self.act(
            at,
            "register_long_term",
            self.handler(),
            reason=reason,
            note=reason,
            late=self.late(at),
        )
        self.stop_clock()
        # Some get their money or their plan months later and close.
        if self.rng.random() < 0.5:
            later = self.cal.add_working_days(at, self.rng.randint(20, 120))
            self.act(
                later, "close", self.dispatcher(), note="相关工程已完工。", late=case.handled_late
            )
            case.closed_at = later
            self.final_at = later

    def verification(self) -> None:
        rng, case = self.rng, self.case
        at = self.due()
        late = self.late(at)
        spec = self.intake.spec
        reply = rng.choice(spec.replies) if spec.replies else "已处理完毕。"
        self.act(at, "submit_for_verification", self.handler(), note=reply, late=late)
        case.handled_late = case.handled_late or bool(late)
        self.start_clock(Stage.VERIFY, at)
        at = self.due(slip=DESK_SLIP)
        if rng.random() < (0.08 if case.category.kind == Category.Kind.INCIDENT else 0.03):
            reason = rng.choice(REWORK_REASONS)
            self.act(at, "rework", self.verifier(), reason=reason, note=reason, late=self.late(at))
            case.resolve_deadline = self.limit(Stage.REWORK).after(self.cal, at)
            self.start_clock(Stage.REWORK, at, case.resolve_deadline)
            at = self.soon(0.2, 3)
            self.act(at, "start_handling", self.handler(), late=self.late(at))
            self.verification()
            return
        self.act(at, "verify", self.verifier(), note="现场核查，已处置到位。", late=self.late(at))
        self.start_clock(Stage.CALLBACK, at)
        self.callback()

    def callback(self) -> None:
        rng, case = self.rng, self.case
        at = self.due(slip=DESK_SLIP)
        content = self.habits.content - (0.25 if case.handled_late else 0)
        satisfaction = rng.choices(
            list(Satisfaction.values), [content * 0.75, content * 0.25, max(0.02, 1 - content)]
        )[0]
        chance: dict[str, float] = {
            Satisfaction.SATISFIED: 0.96,
            Satisfaction.BASICALLY_SATISFIED: 0.8,
        }
        resolved = rng.random() < chance.get(satisfaction, 0.2)
        self.act(
            at,
            "record_callback",
            self.dispatcher(),
            note=rng.choice(CALLBACK_NOTES[satisfaction]),
            late=self.late(at),
            outcome=satisfaction,
            data={"resolved": resolved},
        )
        case.satisfaction = satisfaction
        case.resolved = resolved
        self.stop_clock()
        if satisfaction == Satisfaction.DISSATISFIED and rng.random() < 0.7:
            at = self.soon(0.2, 3)
            reason = rng.choice(REOPEN_REASONS)
            self.act(at, "reopen", self.dispatcher(), reason=reason, note=reason)
            case.closed_at = None
            case.satisfaction = ""
            case.resolved = None
            case.resolve_deadline = self.limit(Stage.REOPEN).after(self.cal, at)
            self.start_clock(Stage.REOPEN, at, case.resolve_deadline)
            at = self.soon(0.2, 4)
            self.act(at, "start_handling", self.handler(), late=self.late(at))
            self.verification()
            return
        at = self.soon(0.1, 2)
        self.act(at, "close", self.dispatcher(), late=case.handled_late)
        case.closed_at = at
        self.final_at = at

    def merge(self, target: Story) -> None:
        """Someone reports again what ``target`` reports: staff merge it under that case."""
        case = self.case
        at = self.due(late=False)
        if target.final_at is not None and at >= target.final_at:
            at = case.received_at + (target.final_at - case.received_at) / 2
        self.act(at, "merge", self.dispatcher(), reason=RejectReason.DUPLICATE, late=self.late(at))
        self.merge_event = self.events[-1]
        self.stop_clock()
        self.merged_into = target
        self.final_at = at
        for reporter in self.reporters:
            target.reporters.append(
                CaseReporter(
                    subdistrict_id=case.subdistrict_id,
                    case=target.case,
                    user=reporter.user,
                    name=reporter.name,
                    phone_cipher=reporter.phone_cipher,
                    phone_hash=reporter.phone_hash,
                    tracking_token_hash=reporter.tracking_token_hash,
                    from_case=case,
                    added_at=at,
                )
            )
        target.absorbed.append((at, self, len(self.reporters)))

    # after the cases are numbered and written -------------------------------------------

    def number_merges(self) -> None:
        if self.merge_event is not None and self.merged_into is not None:
            self.merge_event.data = {"into": self.merged_into.case.number}
        for at, duplicate, moved in self.absorbed:
            self.events.append(
                CaseEvent(
                    subdistrict_id=self.case.subdistrict_id,
                    case=self.case,
                    at=at,
                    actor=self.dispatcher(),
                    action="absorb",
                    from_state=self.state_at(at),
                    to_state=self.state_at(at),
                    organisation_id=self.case.lead_organisation_id,
                    data={"duplicate": duplicate.case.number, "reporters_added": moved},
                )
            )

    def state_at(self, at: dt.datetime) -> str:
        state = State.RECEIVED.value
        for event in self.events:
            if event.at <= at and event.to_state:
                state = event.to_state
        return state

    def ratings(self) -> list[CaseEvent]:
        """Co-handler ids for their events; and reporters with an account rate most of their
        closed cases a day or two after closure."""
        for event in self.events:
            row = event.data.get("co_handler") if isinstance(event.data, dict) else None
            if isinstance(row, CoHandler):
                event.data["co_handler"] = row.pk
        case = self.case
        if case.state != State.CLOSED or case.closed_at is None:
            return []
        out = []
        for reporter in self.reporters:
            if reporter.user is None or self.rng.random() < 0.3:
                continue
            at = case.closed_at + dt.timedelta(hours=self.rng.uniform(2, 60))
            if at > self.now:
                continue
            out.append(
                CaseEvent(
                    subdistrict_id=case.subdistrict_id,
                    case=case,
                    at=at,
                    actor=reporter.user,
                    action="rate",
                    from_state=case.state,
                    to_state=case.state,
                    organisation_id=case.lead_organisation_id,
                    outcome=case.satisfaction or Satisfaction.SATISFIED,
                    note=self.rng.choice(RATING_COMMENTS),
                    data={"reporter": reporter.pk},
                )
            )
        return out
