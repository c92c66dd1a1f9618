"""A small Enterprise Service Center: departments, two sub-centres, case categories to apply
under, and ``make_item`` to write a complete guide through the catalog verb."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from linli.cases.models import Category
from linli.core.access import Access
from linli.core.models import Organisation
from linli.frontoffice.catalog.models import Affairs, ServiceItem
from linli.frontoffice.catalog.services import create_item
from tests.factories import OrganisationFactory


@dataclass
class Centre:
    subdistrict: Any
    market: Organisation
    tax: Organisation
    subcentre_1: Organisation
    subcentre_2: Organisation
    licences: Category  # a leaf enterprise-appeal category
    appeals: Category  # its parent: takes no cases itself


@pytest.fixture
def centre(subdistrict, in_scope) -> Centre:
    sub = subdistrict
    appeals = Category.objects.create(
        subdistrict=sub, code="APP", name="企业诉求", kind=Category.Kind.ENTERPRISE_APPEAL
    )
    licences = Category.objects.create(
        subdistrict=sub,
        code="APP-LIC",
        name="证照办理",
        name_en="Licences",
        kind=Category.Kind.ENTERPRISE_APPEAL,
        parent=appeals,
    )
    kind = Organisation.Kind
    return Centre(
        subdistrict=sub,
        market=OrganisationFactory(subdistrict=sub, code="SCJG", name="市场监管所"),
        tax=OrganisationFactory(subdistrict=sub, code="SWS", name="税务所"),
        subcentre_1=OrganisationFactory(
            subdistrict=sub, code="FZX1", name="企业服务中心甲大厦分中心", kind=kind.SUBCENTRE
        ),
        subcentre_2=OrganisationFactory(
            subdistrict=sub, code="FZX2", name="企业服务中心乙大厦分中心", kind=kind.SUBCENTRE
        ),
        licences=licences,
        appeals=appeals,
    )


def item_fields(centre: Centre, **overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": "ITEM",
        "name": "示例事项",
        "affairs": Affairs.GOVERNMENT,
        "conditions": "本街道企业。",
        "materials": ["申请表", "经办人身份证件"],
        "steps": ["窗口递交材料", "领取结果"],
        "legal_days": 5,
        "promised_days": 2,
        "fee": "免费",
        "by_window": True,
        "department": centre.market,
        "centre_place": "1号窗口",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def admin_access(centre) -> Access:
    return Access.system(centre.subdistrict)


@pytest.fixture
def make_item(centre, admin_access):
    def make(subcentres=(), **overrides: Any) -> ServiceItem:
        return create_item(
            actor=admin_access, subcentres=subcentres, **item_fields(centre, **overrides)
        )

    return make
