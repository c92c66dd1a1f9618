"""Staff edit items in the admin: the verb's checks show on the form, saving goes through the
verb (search texts, sub-centres and the audit row), and items are never deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from linli.core.models import AuditEntry
from linli.core.roles import Role
from linli.frontoffice.catalog.models import ServiceItem
from linli.frontoffice.catalog.search import search


@pytest.fixture
def admin_client(make_user, client_for, centre):
    user = make_user(Role.WINDOW_STAFF, centre.subdistrict)
    user.is_staff = True
    user.save()
    return client_for(user)


def form(centre, **overrides):
    data = {
        "code": "BL-NEW",
        "name": "营业执照设立登记",
        "affairs": "government",
        "conditions": "本街道新设立的企业。",
        "materials": "公司登记申请书\n公司章程\n",
        "steps": "网上申请\n窗口领照",
        "legal_days": "3",
        "promised_days": "1",
        "fee": "免费",
        "by_window": "on",
        "department": str(centre.market.pk),
        "centre_place": "1号窗口",
        "subcentres": [str(centre.subcentre_1.pk)],
        "position": "0",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_the_admin_shows_the_verbs_checks_on_the_form(admin_client, centre):
    response = admin_client.post(
        reverse("admin:catalog_serviceitem_add"),
        form(centre, promised_days="9", by_terminal="on", subcentres=[str(centre.market.pk)]),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "promised_days" in errors and "terminal_place" in errors
    assert "subcentres" in errors  # a department is not offered as a sub-centre
    assert not ServiceItem.objects.exists()


def test_saving_in_the_admin_goes_through_the_verb(admin_client, centre):
    response = admin_client.post(reverse("admin:catalog_serviceitem_add"), form(centre))
    assert response.status_code == 302
    item = ServiceItem.objects.get()
    assert item.materials == ["公司登记申请书", "公司章程"]
    assert list(item.subcentres.all()) == [centre.subcentre_1]
    assert list(search(ServiceItem.objects.all(), "yyzz")) == [item]
    assert AuditEntry.objects.filter(action="catalog.item.create").count() == 1
    change = reverse("admin:catalog_serviceitem_change", args=[item.pk])
    assert "公司章程" in admin_client.get(change).content.decode()
    delete = reverse("admin:catalog_serviceitem_delete", args=[item.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ServiceItem.objects.exists()
