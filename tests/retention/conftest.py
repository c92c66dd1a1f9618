"""A street with a dispatch centre, three departments, two butlers and their portfolios, a
leader, a building manager and an enterprise member, and two enterprise-appeal categories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from linli.cases.models import Category
from linli.core import clock
from linli.core.access import Access
from linli.core.models import Organisation
from linli.core.pii import encrypt, lookup_hash
from linli.registry.models import Enterprise
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

PHONES = {"jade": "13812345678", "harbour": "13987654321", "orphan": "13700001111"}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Street:
    subdistrict: Any
    centre: Organisation
    depts: list[Organisation]
    tower: Any
    harbour: Any
    jade: Enterprise  # butler wang's, in the tower
    harbour_co: Enterprise  # butler zhou's, in the harbour centre
    orphan: Enterprise  # no butler, in the harbour centre
    wang: Any
    zhou: Any
    leader: Any
    admin: Any
    dispatcher: Any
    manager: Any  # of the tower
    member: Any  # of jade
    resident: Any
    licence: Category
    finance: Category
    incident: Category

    def access(self, user) -> Access:
        return Access.for_user(user, self.subdistrict)

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def street(subdistrict, in_scope) -> Street:
    def member(username: str, role: str, **links):
        user = UserFactory(username=username, display_name=username.title())
        with scopes_disabled():
            MembershipFactory(user=user, subdistrict=subdistrict, role=role, **links)
        return user

    def enterprise(name: str, building, butler, key: str, **extra) -> Enterprise:
        return EnterpriseFactory(
            subdistrict=subdistrict,
            name=name,
            building=building,
            butler=butler,
            contact_name=f"Contact of {name}",
            contact_phone_cipher=encrypt(PHONES[key]),
            contact_phone_hash=lookup_hash(PHONES[key]),
            **extra,
        )

    centre = OrganisationFactory(
        subdistrict=subdistrict, kind=Organisation.Kind.DISPATCH_CENTRE, code="DC", name="Centre"
    )
    depts = [
        OrganisationFactory(subdistrict=subdistrict, code=code, name=name)
        for code, name in (
            ("ECO", "Economic office"),
            ("HR", "Human resources office"),
            ("LAW", "Legal service office"),
        )
    ]
    tower = BuildingFactory(subdistrict=subdistrict, code="B01", name="Jade Tower")
    harbour = BuildingFactory(subdistrict=subdistrict, code="B02", name="Harbour Centre")
    wang = member("wang", "butler", organisation=depts[0])
    zhou = member("zhou", "butler")
    jade = enterprise("Jade Software Ltd", tower, wang, "jade", tags=["key"], industry_code="I6510")
    harbour_co = enterprise("Harbour Trading Ltd", harbour, zhou, "harbour", industry_code="F5191")
    orphan = enterprise("Orphan Studio Ltd", harbour, None, "orphan", industry_code="I6420")
    licence = Category.objects.create(
        subdistrict=subdistrict,
        code="APP-LIC",
        name="Licence guidance",
        kind=Category.Kind.ENTERPRISE_APPEAL,
    )
    finance = Category.objects.create(
        subdistrict=subdistrict,
        code="APP-FIN",
        name="Financing",
        kind=Category.Kind.ENTERPRISE_APPEAL,
    )
    incident = Category.objects.create(
        subdistrict=subdistrict, code="INC", name="Incidents", kind=Category.Kind.INCIDENT
    )
    return Street(
        subdistrict=subdistrict,
        centre=centre,
        depts=depts,
        tower=tower,
        harbour=harbour,
        jade=jade,
        harbour_co=harbour_co,
        orphan=orphan,
        wang=wang,
        zhou=zhou,
        leader=member("leader", "leader"),
        admin=member("admin", "subdistrict_admin"),
        dispatcher=member("dispatch", "handler", organisation=centre),
        manager=member("manager", "building_manager", building=tower),
        member=member("member", "enterprise_member", enterprise=jade),
        resident=member("resident", "resident"),
        licence=licence,
        finance=finance,
        incident=incident,
    )


def days_ago(n: int) -> dt.date:

    return clock.today() - dt.timedelta(days=n)
