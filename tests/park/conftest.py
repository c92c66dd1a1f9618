"""A small park: two buildings, their managers, enterprises and members."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django_scopes import scopes_disabled

from linli.cases.models import Category
from linli.core.roles import Role
from linli.registry.models import Enterprise
from tests.factories import BuildingFactory, EnterpriseFactory


@pytest.fixture
def park(subdistrict, make_user):
    jade = BuildingFactory(subdistrict=subdistrict, name="Jade Tower")
    pearl = BuildingFactory(subdistrict=subdistrict, name="Pearl Plaza")
    alpha = EnterpriseFactory(subdistrict=subdistrict, building=jade, name="Alpha Ltd")
    beta = EnterpriseFactory(subdistrict=subdistrict, building=jade, name="Beta Ltd")
    gone = EnterpriseFactory(
        subdistrict=subdistrict, building=jade, name="Gone Ltd", status=Enterprise.Status.CLOSED
    )
    pearl_firm = EnterpriseFactory(subdistrict=subdistrict, building=pearl, name="Pearl Firm Ltd")
    with scopes_disabled():
        category = Category.objects.create(
            subdistrict=subdistrict,
            code="BLD-LIFT",
            name="Lift out of order",
            kind=Category.Kind.ENTERPRISE_APPEAL,
        )
    return SimpleNamespace(
        jade=jade,
        pearl=pearl,
        alpha=alpha,
        beta=beta,
        gone=gone,
        pearl_firm=pearl_firm,
        category=category,
        manager=make_user(Role.BUILDING_MANAGER, subdistrict, username="jade-mgr", building=jade),
        pearl_manager=make_user(
            Role.BUILDING_MANAGER, subdistrict, username="pearl-mgr", building=pearl
        ),
        alice=make_user(Role.ENTERPRISE_MEMBER, subdistrict, username="alice", enterprise=alpha),
        bob=make_user(Role.ENTERPRISE_MEMBER, subdistrict, username="bob", enterprise=beta),
        pearl_member=make_user(
            Role.ENTERPRISE_MEMBER, subdistrict, username="pia", enterprise=pearl_firm
        ),
    )
