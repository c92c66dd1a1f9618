"""The one read path: every tenant model has its policy, and the helpers that compose them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Q

from linli.core import visibility
from linli.core.access import Access
from linli.core.models import TenantModel
from linli.registry.models import Enterprise
from tests.factories import BuildingFactory, EnterpriseFactory


def test_every_tenant_model_has_a_visibility_policy() -> None:
    registered = visibility.registered()
    missing = [
        m._meta.label
        for m in apps.get_models()
        if issubclass(m, TenantModel) and m not in registered
    ]
    assert missing == []


def test_through_reuses_an_audience_on_the_rows_that_point_to_it() -> None:
    assert visibility.through(True, "enterprise") is True
    assert visibility.through(False, "enterprise") is False
    condition = visibility.through(Q(pk__in=[1]) | ~Q(butler_id=2), "enterprise")
    assert str(condition) == str(Q(enterprise__pk__in=[1]) | ~Q(enterprise__butler_id=2))


def test_either_keeps_any_row_one_of_them_allows() -> None:
    assert visibility.either(False, False) is False
    assert visibility.either(Q(a=1), True) is True
    assert str(visibility.either(Q(a=1), False, Q(b=2))) == str(Q(a=1) | Q(b=2))


@pytest.mark.django_db
def test_one_row_is_visible_exactly_when_the_list_shows_it(subdistrict, make_user, in_scope):
    butler = make_user("butler", subdistrict)
    building = BuildingFactory(subdistrict=subdistrict)
    mine = EnterpriseFactory(subdistrict=subdistrict, building=building, butler=butler)
    other = EnterpriseFactory(subdistrict=subdistrict, building=building)
    access = Access.for_user(butler, subdistrict)
    assert list(Enterprise.objects.visible_to(access)) == [mine]
    assert visibility.allows(access, mine) and not visibility.allows(access, other)
    assert Enterprise.objects.visible_to(Access.system(subdistrict)).count() == 2


def test_a_model_without_a_policy_cannot_be_read_by_accident() -> None:
    from linli.core.models import Subdistrict

    with pytest.raises(visibility.NoPolicy):
        visibility.policy_of(Subdistrict)
