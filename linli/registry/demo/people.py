"""Demo accounts: one for every role in the first home, a few in the others, a district operator
who can switch between all of them, and the butlers' portfolios."""

from __future__ import annotations

import random
from dataclasses import dataclass

from linli.core.roles import Role
from linli.registry.demo import organisations as org
from linli.registry.demo.geography import PlacePlan
from linli.registry.demo.homes import DemoHome
from linli.registry.demo.names import person_name

DEMO_PASSWORD = "linli-demo-2026"  # noqa: S105 - printed for everyone on purpose: demo only
# Accounts the demo may take over are recognised by this reserved domain (RFC 2606), so a real
# account that happens to be called "admin" is never touched.
DEMO_EMAIL_DOMAIN = "demo.linli.example"
OPERATOR = "operator"
FIRST_HOME_BUTLERS = 5


@dataclass(frozen=True)
class MembershipPlan:
    role: str
    organisation: str = ""  # organisation code
    building: str = ""  # building code
    enterprise_in_building: str = ""  # the building's largest active enterprise
    grid: str = ""  # grid code

    @property
    def is_public(self) -> bool:
        return self.role in (Role.BUILDING_MANAGER, Role.ENTERPRISE_MEMBER, Role.RESIDENT)


@dataclass(frozen=True)
class AccountPlan:
    username: str
    memberships: tuple[MembershipPlan, ...]
    superuser: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@{DEMO_EMAIL_DOMAIN}"

    def display_name(self, seed: int) -> str:
        # Seeded by the username alone, so a person keeps their name in every home.
        return person_name(random.Random(f"{seed}:person:{self.username}"))


def showcase_building(plan: PlacePlan) -> str:
    """The building the demo's building manager, enterprise and butler share: the first key
    building that hosts a sub-centre (or the first building in a home without one)."""
    hosts = [b.code for b in plan.buildings if b.subcentre_code]
    prime = [b.code for b in plan.buildings if b.is_hundred_million and b.subcentre_code]
    return (prime or hosts or [b.code for b in plan.buildings])[0]


def butler_usernames(home: DemoHome) -> list[str]:
    if home.ordinal == 0:
        return ["butler", *(f"butler{n}" for n in range(2, FIRST_HOME_BUTLERS + 1))]
    return [home.username("butler")]


# Accounts that later demo steps create (e.g. the cases step's dispatcher), listed with the rest.
EXTRA_USERNAMES: list[str] = []


def account_plans(home: DemoHome, plan: PlacePlan) -> list[AccountPlan]:
    leader = AccountPlan(OPERATOR, (MembershipPlan(Role.LEADER),))
    butlers = [
        AccountPlan(name, (MembershipPlan(Role.BUTLER, org.ENTERPRISE_CENTRE),))
        for name in butler_usernames(home)
    ]
    if home.ordinal != 0:
        accounts = [
            AccountPlan(
                home.username("admin"), (MembershipPlan(Role.SUBDISTRICT_ADMIN, org.OFFICE),)
            ),
            *butlers,
            leader,
        ]
        if home.ordinal == 1:
            handler = MembershipPlan(Role.HANDLER, org.COMMUNITY_MANAGEMENT)
            accounts.insert(1, AccountPlan(home.username("handler"), (handler,)))
        return accounts
    building = showcase_building(plan)
    committee = next(b.committee_code for b in plan.buildings if b.code == building)
    first_grid = plan.grids[0]
    first_quarter = plan.quarters[0]
    return [
        AccountPlan("admin", (MembershipPlan(Role.PLATFORM_ADMIN),), superuser=True),
        AccountPlan("subadmin", (MembershipPlan(Role.SUBDISTRICT_ADMIN, org.OFFICE),)),
        AccountPlan("leader", (MembershipPlan(Role.LEADER, org.OFFICE),)),
        AccountPlan("handler", (MembershipPlan(Role.HANDLER, org.COMMUNITY_MANAGEMENT),)),
        AccountPlan("window", (MembershipPlan(Role.WINDOW_STAFF, org.ENTERPRISE_CENTRE),)),
        AccountPlan(
            "grid",
            (MembershipPlan(Role.GRID_WORKER, first_grid.workstation_code, grid=first_grid.code),),
        ),
        butlers[0],
        AccountPlan("ambassador", (MembershipPlan(Role.AMBASSADOR, org.BUSINESS),)),
        AccountPlan(
            "building",
            (MembershipPlan(Role.BUILDING_MANAGER, committee, building=building),),
        ),
        AccountPlan(
            "enterprise",
            (MembershipPlan(Role.ENTERPRISE_MEMBER, enterprise_in_building=building),),
        ),
        AccountPlan("resident", (MembershipPlan(Role.RESIDENT, first_quarter.committee_code),)),
        leader,
        *butlers[1:],
    ]


def butler_portfolios(home: DemoHome, plan: PlacePlan) -> dict[str, str]:
    """Building code → butler username. Portfolios go by building, round-robin in code order,
    starting so that the demo butler looks after the showcase building."""
    names = butler_usernames(home)
    codes = [b.code for b in plan.buildings]
    start = codes.index(showcase_building(plan))
    return {code: names[(i - start) % len(names)] for i, code in enumerate(codes)}
