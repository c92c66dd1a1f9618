"""A person known to several apps: her own web report, a hotline call she made, the
enterprise she is the contact of and a prospect she speaks for; a neighbour with a case of his
own; a sub-district administrator to answer her requests."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from linli.cases.intake import Contact
from linli.core.models import User
from linli.core.pii import encrypt, lookup_hash
from linli.core.roles import Role
from linli.enterprise.investment.models import Prospect
from tests.cases.conftest import now, office, report  # noqa: F401 - fixtures
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory

PHONE = "13912345678"
NAME = "Wang Fang"
EMAIL = "wang.fang@example.org"
REASON = "Request of 2026-09-29 at the service centre, identity checked"


@pytest.fixture
def person(office, report, now):  # noqa: F811 - fixtures
    """The resident, known by name and mobile: her own web report, a hotline call she made,
    the enterprise she is the contact of and a prospect she speaks for. The neighbour reports
    a case of his own."""
    resident: User = office.resident
    resident.display_name = NAME
    resident.email = EMAIL
    resident.phone_cipher = encrypt(PHONE)
    resident.phone_hash = lookup_hash(PHONE)
    resident.save()
    own = report(description="Batteries charged in the stairwell")
    called = report(
        actor=office.access(office.dispatcher),
        channel="hotline_12345",
        description="Caller: a bicycle blocks the fire exit",
        contact=Contact(name=NAME, phone=PHONE),
    )
    theirs = report(actor=office.access(office.neighbour), description="Noise at night")
    enterprise = EnterpriseFactory(
        subdistrict=office.subdistrict,
        contact_name=NAME,
        contact_phone_cipher=encrypt(PHONE),
        contact_phone_hash=lookup_hash(PHONE),
    )
    other_firm = EnterpriseFactory(
        subdistrict=office.subdistrict,
        contact_name="Zhao Lei",
        contact_phone_cipher=encrypt("13700001111"),
        contact_phone_hash=lookup_hash("13700001111"),
    )
    prospect = Prospect.objects.create(
        subdistrict=office.subdistrict,
        name="Future Robotics",
        source="visit",
        contact_name=NAME,
        contact_phone_cipher=encrypt(PHONE),
        contact_phone_hash=lookup_hash(PHONE),
    )
    admin = UserFactory()
    with scopes_disabled():
        MembershipFactory(user=admin, subdistrict=office.subdistrict, role=Role.SUBDISTRICT_ADMIN)
    return {
        "user": resident,
        "own": own,
        "called": called,
        "theirs": theirs,
        "enterprise": enterprise,
        "other_firm": other_firm,
        "prospect": prospect,
        "admin": office.access(admin),
    }
