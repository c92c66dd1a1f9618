"""What comes into the demo office in a year: where each case happens, when and by which channel
it arrives, what the reporter writes and who reports it (``Reporting``, a part of ``Office``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shapely.geometry import Point, shape

from linli.cases.demo.catalogue import CATEGORIES, OWN_CASES, PHRASES, CategorySpec
from linli.cases.models import Category, Channel
from linli.core.calendar import WorkCalendar, local_zone
from linli.core.models import User
from linli.registry.demo.context import DemoContext
from linli.registry.demo.homes import FIRST_HOME
from linli.registry.demo.names import mobile_number, person_name
from linli.registry.models import Building, Enterprise, Quarter

if TYPE_CHECKING:
    from linli.cases.demo.story import Story

RECENT_DAYS = 365
ON_BEHALF = {Channel.HOTLINE_12345, Channel.PHONE, Channel.WALK_IN}
DISPATCHER = "dispatcher"


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


class Reporting:
    """The office's intake: the year of reports, before any is handled."""

    ctx: DemoContext
    rng: random.Random
    calendar: WorkCalendar
    now: dt.datetime
    quarters: list[Quarter]
    buildings: list[Building]
    enterprises: list[Enterprise]
    grids: list[tuple[Any, int]]  # (prepared polygon, grid id)
    boundary: Any
    users: dict[str, Any]
    categories: dict[str, Category]

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

    def hot_quarters(self, spec: CategorySpec) -> list[float]:
        # Older quarters charge more batteries indoors, rent out more beds and lack lifts.
        weights = []
        for q in self.quarters:
            weight = max(q.population, 100) / 1000
            if (q.built_year or 2000) < 1995:
                weight *= spec.old_quarters
            weights.append(weight)
        return weights

    # the year's reports ----------------------------------------------------------------

    def plan_intake(self) -> list[Intake]:
        share = self.ctx.home.population / FIRST_HOME.population
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
        busy = spec.busy_months
        if busy is not None and day.month in busy.months:
            weight *= busy.factor
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
            quarter = rng.choices(self.quarters, self.hot_quarters(spec))[0]
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
            "shop": rng.choice(PHRASES.shops),
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
                extra[f.key] = rng.choice(PHRASES.licences)
            elif f.key == "policy":
                extra[f.key] = rng.choice(PHRASES.policies)
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
                intake.name = PHRASES.grid_worker.format(name=person_name(rng))
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
        for wanted in OWN_CASES:
            username, count, codes = wanted.username, wanted.count, wanted.categories
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


def _title(spec: CategorySpec, place: Place) -> str:
    where = place.enterprise.name if place.enterprise is not None else place.name
    return f"{spec.name}·{where}"[:200]
