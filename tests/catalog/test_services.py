"""Saving an item: complete guides only, errors by field, nothing half-written, audited; and
what the Park Assistant asks (``items_at_subcentre``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from linli.core.access import Access
from linli.core.models import AuditEntry
from linli.core.roles import Role
from linli.frontoffice.catalog.models import ServiceItem
from linli.frontoffice.catalog.queries import items_at_subcentre
from linli.frontoffice.catalog.services import create_item, update_item
from tests.catalog.conftest import item_fields
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def refused(make_item, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as invalid:
        make_item(**overrides)
    assert not ServiceItem.objects.exists()
    return invalid.value.message_dict


def test_an_incomplete_guide_is_refused_field_by_field(make_item):
    errors = refused(make_item, conditions=" ", materials=[], steps=["  "], fee="")
    assert set(errors) >= {"conditions", "materials", "steps", "fee"}


def test_the_promise_cannot_be_longer_than_the_law(make_item):
    errors = refused(make_item, legal_days=3, promised_days=5)
    assert errors["promised_days"] == [
        "The promised time limit cannot be longer than the legal one (3 days)."
    ]


def test_channels_must_be_usable(make_item, centre):
    assert "by_window" in refused(make_item, by_window=False)
    assert refused(make_item, by_terminal=True)["terminal_place"] == [
        "Say which self-service terminal does it."
    ]
    assert "category" in refused(make_item, by_online=True)
    # A category with sub-categories takes no cases, so nobody could apply under it.
    assert "category" in refused(make_item, by_online=True, category=centre.appeals)


def test_an_item_is_served_somewhere_and_only_sub_centres_serve(make_item, centre):
    assert "centre_place" in refused(make_item, centre_place="")
    assert "subcentres" in refused(make_item, subcentres=[centre.tax])
    assert "department" in refused(make_item, department=centre.subcentre_1)
    item = make_item(centre_place="", subcentres=[centre.subcentre_1])
    assert list(item.subcentres.all()) == [centre.subcentre_1]


def test_codes_are_unique_within_the_sub_district(make_item):
    make_item(code="A")
    with pytest.raises(ValidationError) as invalid:
        make_item(code="A")
    assert "__all__" in invalid.value.message_dict


def test_saving_is_audited_and_a_refused_update_changes_nothing(make_item, admin_access, centre):
    item = make_item(code="A", subcentres=[centre.subcentre_1])
    update_item(item, actor=admin_access, name="新名称", subcentres=[centre.subcentre_2])
    entry = AuditEntry.objects.filter(action="catalog.item.update").get()
    assert entry.before == {"name": "示例事项", "subcentres": [centre.subcentre_1.pk]}
    assert entry.after == {"name": "新名称", "subcentres": [centre.subcentre_2.pk]}
    assert "search_name" not in entry.after
    with pytest.raises(ValidationError):
        update_item(item, actor=admin_access, promised_days=99)
    item.refresh_from_db()
    assert item.promised_days == 2 and item.name == "新名称"


def test_only_editors_save_items(centre):
    resident = UserFactory()
    MembershipFactory(user=resident, subdistrict=centre.subdistrict, role=Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        create_item(actor=Access.for_user(resident, centre.subdistrict), **item_fields(centre))
    window = UserFactory()
    MembershipFactory(user=window, subdistrict=centre.subdistrict, role=Role.WINDOW_STAFF)
    create_item(actor=Access.for_user(window, centre.subdistrict), **item_fields(centre))
    assert ServiceItem.objects.count() == 1


def test_items_at_a_subcentre(make_item, centre, other_subdistrict):
    make_item(code="BOTH", subcentres=[centre.subcentre_1, centre.subcentre_2])
    make_item(code="ONE", subcentres=[centre.subcentre_1])
    make_item(code="CENTRE")
    make_item(code="HIDDEN", subcentres=[centre.subcentre_1], active=False)
    assert [i.code for i in items_at_subcentre(centre.subcentre_1)] == ["BOTH", "ONE"]
    assert [i.code for i in items_at_subcentre(centre.subcentre_2)] == ["BOTH"]
    elsewhere = OrganisationFactory(subdistrict=other_subdistrict, kind="subcentre")
    with scope(subdistrict=other_subdistrict):
        assert list(items_at_subcentre(elsewhere)) == []
