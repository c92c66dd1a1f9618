"""Figures read grouped by thousands in Chinese as in English (12,000, not 12000), on the
cockpit, the registry and an enterprise's profile; a number input keeps a plain value."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils import translation

from linli.core.roles import Role
from linli.registry.models import EnterpriseYear
from tests.factories import EnterpriseFactory

UNGROUPED = re.compile(r"(?<![\d.,-])\d{5,}(?![\d])")


def test_the_cockpit_groups_figures_in_chinese(towers, subdistrict, make_user, client_for):
    client = client_for(make_user(Role.LEADER, subdistrict))
    ranking = client.get(reverse("cockpit:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert '<td class="num">12,000</td>' in ranking
    assert '<td class="num">12000</td>' not in ranking
    a, _b = towers
    building = client.get(reverse("cockpit:building", args=[a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "<strong>12,000</strong>" in building.text
    assert "10,000" in building.text and ">10000<" not in building.text


def test_the_registry_and_the_profile_group_figures_in_chinese(
    subdistrict, in_scope, make_user, client_for
):
    enterprise = EnterpriseFactory(
        subdistrict=subdistrict, headcount=12345, floor_area_m2=Decimal("11634.5")
    )
    EnterpriseYear.objects.create(
        subdistrict=subdistrict,
        enterprise=enterprise,
        year=2025,
        revenue=Decimal("28370.15"),
        tax=Decimal("31926"),
        headcount=12345,
    )
    client = client_for(make_user(Role.SUBDISTRICT_ADMIN, subdistrict))
    pages = {
        "registry": reverse("registry:detail", args=["enterprise", enterprise.pk]),
        "profile": reverse("retention:profile", args=[enterprise.pk]),
    }
    for name, url in pages.items():
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200, name
        text = re.sub(r"<[^>]+>", " ", page.text.split("<main", 1)[1])
        assert "12,345" in text and "28,370.15" in text and "31,926" in text, name
        assert not UNGROUPED.findall(text.replace(enterprise.credit_code, "")), name


def test_a_number_input_keeps_a_plain_value_in_chinese() -> None:
    """A browser rejects "12,345" in <input type="number">: inputs are never grouped."""

    class Area(forms.Form):
        area = forms.DecimalField()
        people = forms.IntegerField()

    with translation.override("zh-hans"):
        html = str(Area(initial={"area": Decimal("11634.5"), "people": 29863}))
    assert 'value="11634.5"' in html and 'value="29863"' in html
