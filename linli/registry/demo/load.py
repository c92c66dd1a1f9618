"""Load the demo sub-districts: ``load_demo(scale=1, reset=False)``.

Loading runs a list of steps (``STEPS``) for every demo home. A step is skipped when its rows
are already there, so loading twice adds nothing, and a database loaded before a later issue
added its step gets just that step on the next run. To add demo data for another app, write a
``load(ctx) -> rows written`` function next to that app's code and append a ``DemoStep`` here in
load order; take randomness only from ``ctx.rng("<step name>")`` so the data stays the same on
every run, whatever other steps do.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.test.utils import override_settings
from django_scopes import scopes_disabled

from linli.cases import demo as cases_demo
from linli.core.models import AuditEntry, Membership, Organisation, Subdistrict, TenantModel, User
from linli.core.roles import PUBLIC, STAFF
from linli.enterprise.inspections import demo as inspections_demo
from linli.enterprise.investment import demo as investment_demo
from linli.enterprise.park import demo as park_demo
from linli.enterprise.retention import demo as retention_demo
from linli.frontoffice.bookings import demo as bookings_demo
from linli.frontoffice.catalog import demo as catalog_demo
from linli.frontoffice.events import demo as events_demo
from linli.frontoffice.queue import demo as queue_demo
from linli.lifecircle import demo as lifecircle_demo
from linli.policies import demo as policies_demo
from linli.registry.demo import people
from linli.registry.demo.enterprises import enterprise_rows
from linli.registry.demo.geography import HUNDRED_MILLION, LATEST_YEAR, PlacePlan, plan_places
from linli.registry.demo.homes import DEMO_SEED, DemoHome, plan_homes
from linli.registry.demo.organisations import organisation_rows
from linli.registry.models import (
    Building,
    BuildingTaxYear,
    Enterprise,
    EnterpriseYear,
    Facility,
    Grid,
    Quarter,
)

DEMO_URL = "http://127.0.0.1:8000/"


class DemoConflict(Exception):
    """The database holds real data where the demo would write (a code or a username)."""


def demo_rng(seed: int, home: DemoHome, part: str) -> random.Random:
    # A string seed is hashed with SHA-512, so the stream does not depend on PYTHONHASHSEED;
    # one stream per home and part keeps each part's data independent of the others.
    return random.Random(f"{seed}:{home.code}:{part}")


@dataclass
class DemoContext:
    home: DemoHome
    subdistrict: Subdistrict
    places: PlacePlan
    seed: int

    def rng(self, part: str) -> random.Random:
        return demo_rng(self.seed, self.home, part)

    def ids(self, model: type[TenantModel], key: str = "code") -> dict[str, int]:
        rows = model.objects.filter(subdistrict=self.subdistrict).values_list(key, "id")
        return dict(rows)


@dataclass(frozen=True)
class DemoStep:
    name: str
    load: Callable[[DemoContext], int]
    loaded: Callable[[DemoContext], bool]


def present(model: type[TenantModel], **filters) -> Callable[[DemoContext], bool]:
    def check(ctx: DemoContext) -> bool:
        return model.objects.filter(subdistrict=ctx.subdistrict, **filters).exists()

    return check


def load_organisations(ctx: DemoContext) -> int:
    rows = organisation_rows(ctx.places, ctx.subdistrict)
    # Parents first: their ids are set by bulk_create and then picked up by the children.
    Organisation.objects.bulk_create([o for o in rows if o.parent is None])
    Organisation.objects.bulk_create([o for o in rows if o.parent is not None])
    return len(rows)


def load_grids_and_quarters(ctx: DemoContext) -> int:
    places, sd = ctx.places, ctx.subdistrict
    organisations = ctx.ids(Organisation)
    grids = Grid.objects.bulk_create(
        Grid(
            subdistrict=sd,
            code=g.code,
            name=g.name,
            polygon=places.frame.geojson(g.polygon),
            organisation_id=organisations[g.workstation_code],
        )
        for g in places.grids
    )
    grid_ids = {g.code: g.id for g in grids}
    quarters = Quarter.objects.bulk_create(
        Quarter(
            subdistrict=sd,
            code=q.code,
            name=q.name,
            address=q.address,
            polygon=places.frame.geojson(q.polygon),
            entrances=places.points(q.entrances),
            households=q.households,
            population=q.population,
            over_60=q.over_60,
            built_year=q.built_year,
            committee_id=organisations[q.committee_code],
            grid_id=grid_ids[q.grid_code],
        )
        for q in places.quarters
    )
    return len(grids) + len(quarters)


def load_buildings(ctx: DemoContext) -> int:
    places, sd = ctx.places, ctx.subdistrict
    organisations, grids = ctx.ids(Organisation), ctx.ids(Grid)
    buildings = Building.objects.bulk_create(
        Building(
            subdistrict=sd,
            code=b.code,
            name=b.name,
            kind=b.kind,
            address=b.address,
            lon=places.lonlat(b.x, b.y)[0],
            lat=places.lonlat(b.x, b.y)[1],
            floors=b.floors,
            floor_area_m2=b.floor_area_m2,
            vacant_area_m2=b.vacant_area_m2,
            rent_per_m2_day=b.rent_per_m2_day,
            subcentre_id=organisations.get(b.subcentre_code),
            grid_id=grids[b.grid_code],
        )
        for b in places.buildings
    )
    taxes = BuildingTaxYear.objects.bulk_create(
        BuildingTaxYear(subdistrict=sd, building=building, year=year, tax=amount)
        for building, b in zip(buildings, places.buildings, strict=True)
        for year, amount in b.tax.items()
    )
    return len(buildings) + len(taxes)


def _users(ctx: DemoContext, accounts: list[people.AccountPlan]) -> dict[str, User]:
    """Create the accounts, or take over demo accounts left by an earlier load."""
    existing = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in accounts])
    }
    users = {}
    for account in accounts:
        user = existing.get(account.username)
        if user is not None and not user.email.endswith("@" + people.DEMO_EMAIL_DOMAIN):
            raise DemoConflict(
                f"user {account.username!r} exists and is not a demo account; "
                "load the demo into another database"
            )
        if user is None:
            user = User(username=account.username, home_subdistrict=ctx.subdistrict)
        user.email = account.email
        user.display_name = account.display_name(ctx.seed)
        user.password = _password_hash()
        user.is_superuser = user.is_staff = account.superuser
        user.is_active = True
        user.save()
        users[account.username] = user
    return users


def _load_accounts(ctx: DemoContext, public: bool) -> int:
    accounts = [
        a
        for a in people.account_plans(ctx.home, ctx.places)
        if any(m.is_public == public for m in a.memberships)
    ]
    users = _users(ctx, accounts)
    organisations, buildings, grids = ctx.ids(Organisation), ctx.ids(Building), ctx.ids(Grid)
    rows = []
    for account in accounts:
        for m in account.memberships:
            enterprise_id = None
            if m.enterprise_in_building:
                enterprise_id = (
                    Enterprise.objects.filter(
                        subdistrict=ctx.subdistrict,
                        building__code=m.enterprise_in_building,
                        status=Enterprise.Status.ACTIVE,
                    )
                    .order_by("-headcount", "credit_code")
                    .values_list("id", flat=True)
                    .first()
                )
            rows.append(
                Membership(
                    subdistrict=ctx.subdistrict,
                    user=users[account.username],
                    role=m.role,
                    organisation_id=organisations.get(m.organisation),
                    building_id=buildings.get(m.building),
                    enterprise_id=enterprise_id,
                    grid_id=grids.get(m.grid),
                )
            )
    Membership.objects.bulk_create(rows)
    return len(rows)


def load_staff_accounts(ctx: DemoContext) -> int:
    return _load_accounts(ctx, public=False)


def load_public_accounts(ctx: DemoContext) -> int:
    return _load_accounts(ctx, public=True)


def load_enterprises(ctx: DemoContext) -> int:
    buildings = list(Building.objects.filter(subdistrict=ctx.subdistrict).order_by("code"))
    portfolio = people.butler_portfolios(ctx.home, ctx.places)
    butlers = {u.username: u for u in User.objects.filter(username__in=set(portfolio.values()))}
    enterprises, years = enterprise_rows(
        ctx.home,
        ctx.rng("enterprises"),
        ctx.subdistrict,
        buildings,
        {b.code: b for b in ctx.places.buildings},
        {code: butlers[name] for code, name in portfolio.items() if name in butlers},
    )
    Enterprise.objects.bulk_create(enterprises, batch_size=1000)
    EnterpriseYear.objects.bulk_create(years, batch_size=2000)
    return len(enterprises) + len(years)


def load_facilities(ctx: DemoContext) -> int:
    places, quarters = ctx.places, ctx.ids(Quarter)
    rows = Facility.objects.bulk_create(
        Facility(
            subdistrict=ctx.subdistrict,
            code=f.code,
            name=f.name,
            category=f.category,
            address=f.address,
            entrances=places.points(f.entrances),
            capacity=f.capacity,
            capacity_unit=f.capacity_unit,
            opening_hours=f.opening_hours,
            quarter_id=quarters.get(f.quarter_code),
        )
        for f in places.facilities
    )
    return len(rows)


STEPS: list[DemoStep] = [
    DemoStep("organisations", load_organisations, present(Organisation)),
    DemoStep("grids and quarters", load_grids_and_quarters, present(Grid)),
    DemoStep("buildings", load_buildings, present(Building)),
    DemoStep("staff accounts", load_staff_accounts, present(Membership, role__in=STAFF)),
    DemoStep("enterprises", load_enterprises, present(Enterprise)),
    DemoStep("facilities", load_facilities, present(Facility)),
    DemoStep("public accounts", load_public_accounts, present(Membership, role__in=PUBLIC)),
    DemoStep("walking network", lifecircle_demo.load, lifecircle_demo.loaded),
    DemoStep("cases", cases_demo.load, cases_demo.loaded),
    DemoStep("policy screening", policies_demo.load, policies_demo.loaded),
    DemoStep("butler visits", retention_demo.load, retention_demo.loaded),
    DemoStep("service catalog", catalog_demo.load, catalog_demo.loaded),
    DemoStep("investment pipeline", investment_demo.load, investment_demo.loaded),
    DemoStep("bookings", bookings_demo.load, bookings_demo.loaded),
    DemoStep("park assistant", park_demo.load, park_demo.loaded),
    DemoStep("joint inspections", inspections_demo.load, inspections_demo.loaded),
    DemoStep("queue", queue_demo.load, queue_demo.loaded),
    DemoStep("events", events_demo.load, events_demo.loaded),
]


@cache
def _password_hash() -> str:
    # Argon2 is slow on purpose; one hash serves every demo account.
    return make_password(people.DEMO_PASSWORD)


@dataclass
class HomeSummary:
    code: str
    name: str
    written: dict[str, int] = field(default_factory=dict)  # step → rows
    skipped: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    role: str
    subdistrict: str
    linked_to: str


@dataclass
class DemoSummary:
    homes: list[HomeSummary]
    accounts: list[AccountRow]
    password: str = people.DEMO_PASSWORD
    url: str = DEMO_URL
    seconds: float = 0.0

    @property
    def rows_written(self) -> int:
        return sum(sum(h.written.values()) for h in self.homes)


def _subdistrict(home: DemoHome, places: PlacePlan) -> Subdistrict:
    subdistrict = Subdistrict.objects.filter(code=home.code).first()
    if subdistrict is not None and not subdistrict.is_synthetic:
        raise DemoConflict(
            f"sub-district {home.code} exists and is not synthetic; the demo will not touch it"
        )
    centre = places.boundary.centroid
    fields = {
        "name": home.name,
        "name_en": home.name_en,
        "boundary": places.frame.geojson(places.boundary),
        "center_lon": places.lonlat(centre.x, centre.y)[0],
        "center_lat": places.lonlat(centre.x, centre.y)[1],
        "business_hours": [list(period) for period in home.business_hours],
        "is_synthetic": True,
    }
    if subdistrict is None:
        return Subdistrict.objects.create(code=home.code, **fields)
    for name, value in fields.items():
        setattr(subdistrict, name, value)
    subdistrict.save()
    return subdistrict


def _counts(subdistrict: Subdistrict) -> dict[str, int]:
    quarters = Quarter.objects.filter(subdistrict=subdistrict).aggregate(
        quarters=Count("id"), population=Sum("population")
    )
    return {
        "quarters": quarters["quarters"],
        "population": quarters["population"] or 0,
        "buildings": Building.objects.filter(subdistrict=subdistrict).count(),
        "hundred_million": BuildingTaxYear.objects.filter(
            subdistrict=subdistrict, year=LATEST_YEAR, tax__gte=HUNDRED_MILLION
        ).count(),
        "enterprises": Enterprise.objects.filter(subdistrict=subdistrict).count(),
        "facilities": Facility.objects.filter(subdistrict=subdistrict).count(),
    }


def _account_rows(homes: list[DemoHome], seed: int) -> list[AccountRow]:
    usernames: list[str] = []
    for home in homes:
        for account in people.account_plans(home, _places(home, seed)):
            if account.username not in usernames:
                usernames.append(account.username)
    usernames += [name for name in people.EXTRA_USERNAMES if name not in usernames]
    memberships = (
        Membership.objects.filter(user__username__in=usernames)
        .select_related("user", "subdistrict", "organisation", "building", "enterprise", "grid")
        .order_by("subdistrict__code", "id")
    )
    rows = []
    for membership in sorted(memberships, key=lambda m: usernames.index(m.user.username)):
        linked = [
            str(obj)
            for obj in (
                membership.organisation,
                membership.grid,
                membership.building,
                membership.enterprise,
            )
            if obj is not None
        ]
        rows.append(
            AccountRow(
                username=membership.user.username,
                display_name=membership.user.display_name,
                role=str(membership.get_role_display()),
                subdistrict=membership.subdistrict.name,
                linked_to=" · ".join(linked),
            )
        )
    return rows


@cache
def _places(home: DemoHome, seed: int) -> PlacePlan:
    return plan_places(home, demo_rng(seed, home, "places"))


def tenant_models() -> list[type[TenantModel]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and model._meta.managed and not model._meta.proxy
    ]


def wipe_demo_subdistricts() -> int:
    """Delete every row the synthetic sub-districts own; real sub-districts are not touched.

    Rows go with plain DELETE statements: the tenant tables refer to each other (organisations
    to their parents, with PROTECT), which the ORM's collector would refuse, while the database
    checks the deferred foreign keys once everything is gone. The audit log is kept, and so are
    the sub-district rows it refers to; demo user accounts are kept and reused.
    """
    ids = list(Subdistrict.objects.filter(is_synthetic=True).values_list("id", flat=True))
    if not ids:
        return 0
    deleted = 0
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    with transaction.atomic(), scopes_disabled(), connection.cursor() as cursor:
        for model in tenant_models():
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                if through is not None and through._meta.auto_created:
                    source = f"{m2m.m2m_field_name()}__subdistrict_id__in"
                    deleted += through._default_manager.filter(**{source: ids}).delete()[0]
        for model in tenant_models():
            table = quote(model._meta.db_table)
            column = quote(model._meta.get_field("subdistrict").column)
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", ids)  # noqa: S608
            deleted += max(cursor.rowcount, 0)
    return deleted


def _drop_unplanned(homes: list[DemoHome]) -> None:
    """Remove emptied synthetic sub-districts that this load does not plan (a smaller scale),
    unless the audit log still refers to them."""
    audited = AuditEntry.objects.filter(subdistrict__is_synthetic=True).values("subdistrict_id")
    Subdistrict.objects.filter(is_synthetic=True).exclude(
        Q(code__in=[h.code for h in homes]) | Q(id__in=audited)
    ).delete()


def load_demo(scale: int = 1, reset: bool = False, seed: int = DEMO_SEED) -> DemoSummary:
    """Load (or with ``reset``, wipe and reload) the demo homes; returns what was done."""
    started = time.perf_counter()
    homes = plan_homes(scale)
    summaries = []
    # Demo steps that go through the real verbs would mail and text the synthetic accounts;
    # their notices stay in the in-app inbox only.
    quiet = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LINLI_SMS_BACKEND="linli.core.sms.MemorySmsBackend",
    )
    with quiet, transaction.atomic(), scopes_disabled():
        if reset:
            wipe_demo_subdistricts()
            _drop_unplanned(homes)
        for home in homes:
            places = _places(home, seed)
            subdistrict = _subdistrict(home, places)
            ctx = DemoContext(home=home, subdistrict=subdistrict, places=places, seed=seed)
            summary = HomeSummary(code=home.code, name=home.name)
            for step in STEPS:
                if step.loaded(ctx):
                    summary.skipped.append(step.name)
                elif rows := step.load(ctx):
                    summary.written[step.name] = rows
            summary.counts = _counts(subdistrict)
            summaries.append(summary)
        accounts = _account_rows(homes, seed)
    return DemoSummary(homes=summaries, accounts=accounts, seconds=time.perf_counter() - started)
