"""The registry's demo steps: organisations, grids and quarters, buildings, the demo accounts,
enterprises and facilities of a home, from its place plan."""

from __future__ import annotations

from linli.core.demo import DemoStep, demo_account, present
from linli.core.models import Membership, Organisation, User
from linli.core.roles import PUBLIC, STAFF
from linli.registry.demo import people
from linli.registry.demo.context import DemoContext
from linli.registry.demo.enterprises import enterprise_rows
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
    users = {}
    for account in accounts:
        user = demo_account(account.username, ctx.subdistrict)
        user.display_name = account.display_name(ctx.seed)
        user.is_superuser = user.is_staff = account.superuser
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


STEPS: tuple[DemoStep[DemoContext], ...] = (
    DemoStep("organisations", load_organisations, present(Organisation)),
    DemoStep(
        "grids and quarters",
        load_grids_and_quarters,
        present(Grid),
        after=("registry.organisations",),
    ),
    DemoStep(
        "buildings",
        load_buildings,
        present(Building),
        after=("registry.organisations", "registry.grids and quarters"),
    ),
    DemoStep(
        "staff accounts",
        load_staff_accounts,
        present(Membership, role__in=STAFF),
        after=("registry.organisations", "registry.grids and quarters", "registry.buildings"),
    ),
    DemoStep(
        "enterprises",
        load_enterprises,
        present(Enterprise),
        after=("registry.buildings", "registry.staff accounts"),
    ),
    DemoStep(
        "facilities",
        load_facilities,
        present(Facility),
        after=("registry.grids and quarters",),
    ),
    DemoStep(
        "public accounts",
        load_public_accounts,
        present(Membership, role__in=PUBLIC),
        after=("registry.organisations", "registry.buildings", "registry.enterprises"),
    ),
)
