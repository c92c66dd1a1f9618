"""Demo accounts (``accounts.yaml``): one for every role in the first home, a few in the others, a
district operator who can switch between all of them, and the butlers' portfolios."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linli.core.demo import DEMO_EMAIL_DOMAIN, read_yaml
from linli.core.roles import Role
from linli.registry.demo.homes import DemoHome
from linli.registry.demo.names import display_name
from linli.registry.demo.places import PlacePlan

_ACCOUNTS = read_yaml(Path(__file__).with_name("accounts.yaml"))


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
        return display_name(seed, self.username)


def showcase_building(plan: PlacePlan) -> str:
    """The building the demo's building manager, enterprise and butler share: the first key
    building that hosts a sub-centre (or the first building in a home without one)."""
    hosts = [b.code for b in plan.buildings if b.subcentre_code]
    prime = [b.code for b in plan.buildings if b.is_hundred_million and b.subcentre_code]
    return (prime or hosts or [b.code for b in plan.buildings])[0]


def _membership(entry: dict[str, Any], plan: PlacePlan) -> MembershipPlan:
    """The membership of one entry of accounts.yaml in the home of ``plan``."""
    role, at = entry["role"], entry.get("at")
    if at is None:
        return MembershipPlan(role, entry.get("organisation", ""))
    if at == "first_grid":
        grid = plan.grids[0]
        return MembershipPlan(role, grid.workstation_code, grid=grid.code)
    if at == "first_quarter":
        return MembershipPlan(role, plan.quarters[0].committee_code)
    building = showcase_building(plan)
    if at == "showcase_building":
        committee = next(b.committee_code for b in plan.buildings if b.code == building)
        return MembershipPlan(role, committee, building=building)
    if at == "showcase_enterprise":
        return MembershipPlan(role, enterprise_in_building=building)
    raise ValueError(f"accounts.yaml: unknown place {at!r}")


def account_plans(home: DemoHome, plan: PlacePlan) -> list[AccountPlan]:
    if home.ordinal == 0:
        entries = _ACCOUNTS["first"]
    else:
        entries = _ACCOUNTS["second"] if home.ordinal == 1 else _ACCOUNTS["copies"]
    return [
        AccountPlan(
            entry["username"] if entry.get("shared") else home.username(entry["username"]),
            (_membership(entry, plan),),
            superuser=entry.get("superuser", False),
        )
        for entry in entries
    ]


def butler_usernames(home: DemoHome, plan: PlacePlan) -> list[str]:
    return [
        account.username
        for account in account_plans(home, plan)
        if any(m.role == Role.BUTLER for m in account.memberships)
    ]


def butler_portfolios(home: DemoHome, plan: PlacePlan) -> dict[str, str]:
    """Building code → butler username. Portfolios go by building, round-robin in code order,
    starting so that the demo butler looks after the showcase building."""
    names = butler_usernames(home, plan)
    codes = [b.code for b in plan.buildings]
    start = codes.index(showcase_building(plan))
    return {code: names[(i - start) % len(names)] for i, code in enumerate(codes)}
