"""A small, complete world for permission and tenancy tests.

Two sub-districts, A and B, each with one record of every registry kind (plus an unreferenced
"spare" one in A that may be deleted), and in A one person for every role, linked to what that
role is about: the handler to a department, the grid worker to a grid, the building manager to
the building, the enterprise member to the enterprise, the butler owning the enterprise. "other"
is an administrator of B, who must never see anything of A.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import models, transaction
from django.test import Client, override_settings
from django_scopes import scopes_disabled

from linli.core.messaging import notify
from linli.core.models import Subdistrict, User
from linli.core.pii import encrypt, lookup_hash
from linli.core.roles import Role
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    FacilityFactory,
    GridFactory,
    MembershipFactory,
    OrganisationFactory,
    QuarterFactory,
    SubdistrictFactory,
    UserFactory,
)

ROLES: tuple[str, ...] = tuple(role.value for role in Role)
ANONYMOUS = "anonymous"
OTHER = "other"  # an administrator of sub-district B acting on A's records
COLUMNS: tuple[str, ...] = (*ROLES, ANONYMOUS, OTHER)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The enterprise contact mobiles stored (encrypted) in A and B.
PHONE_A = "13812345678"
PHONE_B = "13987654321"


@pytest.fixture
def fast_passwords(settings) -> None:
    """Argon2 costs ~0.1 s a hash; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@dataclass
class Place:
    """One sub-district and one record of each registry kind in it."""

    subdistrict: Subdistrict
    records: dict[str, models.Model]
    spare: dict[str, models.Model] = field(default_factory=dict)


@dataclass
class World:
    a: Place
    b: Place
    users: dict[str, User]  # role (or OTHER) -> person
    notifications: dict[str, int]  # role (or OTHER) -> pk of one notification of theirs
    sessions: dict[str, str] = field(default_factory=dict)  # role (or OTHER) -> session key
    extra: dict[str, Any] = field(default_factory=dict)  # records other apps' rows need

    def client(self, who: str) -> Client:
        """A client signed in as ``who`` (reusing one session per person: signing in costs)."""
        client = Client()
        if who == ANONYMOUS:
            return client
        if who not in self.sessions:
            client.force_login(self.users[who])
            self.sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[who]
        return client


def _records(subdistrict: Subdistrict, tag: str, phone: str) -> dict[str, models.Model]:
    org = OrganisationFactory(subdistrict=subdistrict, name=f"Department {tag}")
    grid = GridFactory(subdistrict=subdistrict, organisation=org, name=f"Grid {tag}")
    quarter = QuarterFactory(subdistrict=subdistrict, grid=grid, name=f"Quarter {tag}")
    building = BuildingFactory(subdistrict=subdistrict, grid=grid, name=f"Tower {tag}")
    enterprise = EnterpriseFactory(
        subdistrict=subdistrict,
        building=building,
        name=f"Enterprise {tag} Ltd",
        contact_name=f"Contact {tag}",
        contact_phone_cipher=encrypt(phone),
        contact_phone_hash=lookup_hash(phone),
        tags=["high_tech"],
    )
    facility = FacilityFactory(subdistrict=subdistrict, quarter=quarter, name=f"Facility {tag}")
    return {
        "organisation": org,
        "grid": grid,
        "quarter": quarter,
        "building": building,
        "enterprise": enterprise,
        "facility": facility,
    }


def _spare(subdistrict: Subdistrict) -> dict[str, models.Model]:
    """Records nothing refers to, so that deleting them succeeds."""
    return {
        "organisation": OrganisationFactory(subdistrict=subdistrict, name="Spare department"),
        "grid": GridFactory(subdistrict=subdistrict, name="Spare grid"),
        "quarter": QuarterFactory(subdistrict=subdistrict, name="Spare quarter"),
        "building": BuildingFactory(subdistrict=subdistrict, name="Spare tower"),
        "enterprise": EnterpriseFactory(subdistrict=subdistrict, name="Spare Ltd"),
        "facility": FacilityFactory(subdistrict=subdistrict, name="Spare facility"),
    }


LINKS = {
    Role.HANDLER: "organisation",
    Role.GRID_WORKER: "grid",
    Role.BUILDING_MANAGER: "building",
    Role.ENTERPRISE_MEMBER: "enterprise",
}


def build_world() -> World:
    with scopes_disabled(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        sub_a = SubdistrictFactory(code="310106013", name="Street A")
        sub_b = SubdistrictFactory(code="310106014", name="Street B")
        a = Place(sub_a, _records(sub_a, "A", PHONE_A), _spare(sub_a))
        b = Place(sub_b, _records(sub_b, "B", PHONE_B))
        users: dict[str, User] = {}
        for role in ROLES:
            user = UserFactory(username=role, home_subdistrict=sub_a)
            links = {}
            if role in LINKS:
                links[LINKS[role]] = a.records[LINKS[role]]
            MembershipFactory(user=user, subdistrict=sub_a, role=role, **links)
            users[role] = user
        other = UserFactory(username="other-admin", home_subdistrict=sub_b)
        MembershipFactory(user=other, subdistrict=sub_b, role=Role.SUBDISTRICT_ADMIN)
        users[OTHER] = other
        enterprise = a.records["enterprise"]
        type(enterprise).objects.filter(pk=enterprise.pk).update(butler=users[Role.BUTLER])
        enterprise.refresh_from_db()
        notifications = {}
        for role in ROLES:
            (n,) = notify([users[role]], sub_a, title=f"Hello {role}")
            notifications[role] = n.pk
        # "other" tries to mark a notification of A's people as read.
        notifications[OTHER] = notifications[Role.RESIDENT]
        notify([other], sub_b, title="Hello B")
    return World(a=a, b=b, users=users, notifications=notifications)


@contextmanager
def module_world(django_db_blocker: Any) -> Iterator[World]:
    """Build the world once for a module; every test runs in a savepoint inside it (pytest-
    django's ``db`` fixture), and the whole world is rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        for who in world.users:
            world.client(who)
        yield world
        transaction.set_rollback(True)


def api_json(response: Any) -> Any:
    return json.loads(response.content or b"null")
