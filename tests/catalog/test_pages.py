"""The catalog pages and API as people use them: browse, read a guide, search live, apply
online through the cases intake form, and nothing of another sub-district."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.cases.models import Case, Channel
from linli.core.access import Access
from linli.core.roles import Role
from linli.frontoffice.catalog.models import Affairs, ServiceItem
from linli.frontoffice.catalog.services import create_item
from tests.catalog.conftest import item_fields
from tests.factories import OrganisationFactory


@pytest.fixture
def licence(make_item, centre) -> ServiceItem:
    return make_item(
        code="BL-CHANGE",
        name="营业执照变更登记",
        name_en="Business licence: changes",
        keywords="改名称 迁址",
        by_online=True,
        by_terminal=True,
        terminal_place="自助服务区·营业执照自助打印机",
        category=centre.licences,
        subcentres=[centre.subcentre_1],
    )


@pytest.fixture
def enterprise_user(make_user, centre):
    return make_user(Role.ENTERPRISE_MEMBER, centre.subdistrict)


def test_home_groups_items_by_affairs_and_filters_self_service(
    client_for, enterprise_user, licence, make_item
):
    make_item(code="ROOM", name="会议室预约", affairs=Affairs.BUSINESS)
    client = client_for(enterprise_user)
    page = client.get(reverse("catalog:home")).content.decode()
    government, business = page.index('id="government"'), page.index('id="business"')
    assert government < page.index("Business licence: changes") < business
    assert business < page.index("会议室预约")
    terminal = client.get(reverse("catalog:home") + "?channel=terminal").content.decode()
    assert "Business licence: changes" in terminal and "会议室预约" not in terminal


def test_the_guide_shows_everything_an_applicant_needs(client_for, enterprise_user, licence):
    page = client_for(enterprise_user).get(reverse("catalog:detail", args=["BL-CHANGE"]))
    text = page.content.decode()
    for expected in (
        "本街道企业。",  # conditions
        "经办人身份证件",  # materials
        "窗口递交材料",  # steps
        "5 working days",  # legal
        "2 working days",  # promised
        "免费",
        "市场监管所",
        "1号窗口",
        "企业服务中心甲大厦分中心",
        "Self-service",
        "自助服务区·营业执照自助打印机",
        "Apply online",
    ):
        assert expected in text, expected
    assert "Enter at the window" not in text  # walk-in entry is the window staff's


def form_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(\w+)"[^>]*?value="([^"]*)"', html))


def test_applying_online_opens_a_case_of_the_items_category_through_the_intake_form(
    client_for, enterprise_user, licence
):
    client = client_for(enterprise_user)
    guide = client.get(reverse("catalog:detail", args=["BL-CHANGE"])).content.decode()
    apply_url = re.search(r'href="([^"]+)">Apply online<', guide).group(1).replace("&amp;", "&")
    assert apply_url == reverse("cases:report") + "?category=APP-LIC"
    form = client.get(apply_url).content.decode()
    assert re.search(r'<option value="APP-LIC"[^>]*selected', form)
    response = client.post(
        reverse("cases:report"),
        {"category": "APP-LIC", "description": "公司迁址到本街道，需要变更营业执照住所。"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get()
    assert case.category == licence.category and case.channel == Channel.WEB
    assert case.reporters.get().user == enterprise_user


def test_a_bad_application_comes_back_with_field_errors(client_for, enterprise_user, licence):
    response = client_for(enterprise_user).post(
        reverse("cases:report"), {"category": "APP-LIC", "description": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "description" in response.context["form"].errors
    with scopes_disabled():
        assert not Case.objects.exists()


def sent_choices(html: str) -> dict[str, str]:
    """What a browser sends for each drop-down left as it is: the selected option, else the
    first."""
    sent = {}
    for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', html, re.S):
        options = re.findall(r'<option value="([^"]*)"([^>]*)>', body)
        chosen = [value for value, attrs in options if "selected" in attrs]
        sent[name] = chosen[0] if chosen else options[0][0]
    return sent


def test_window_staff_enter_the_same_form_as_a_walk_in(client_for, make_user, centre, licence):
    staff = make_user(Role.WINDOW_STAFF, centre.subdistrict)
    client = client_for(staff)
    guide = client.get(reverse("catalog:detail", args=["BL-CHANGE"])).content.decode()
    window_url = re.search(r'href="([^"]+)">Enter at the window<', guide).group(1)
    form = client.get(window_url.replace("&amp;", "&")).content.decode()
    assert re.search(r'<option value="walk_in"[^>]*selected>Walk-in at the window<', form)
    chosen = sent_choices(form)
    # Staff only type what the visitor says: the channel and category come from the link.
    assert chosen["channel"] == Channel.WALK_IN and chosen["category"] == "APP-LIC"
    response = client.post(
        reverse("cases:intake"),
        {
            **chosen,
            "description": "企业来窗口咨询营业执照变更。",
            "contact_name": "王先生",
            "contact_phone": "13812345678",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get()
    assert case.channel == Channel.WALK_IN and case.category == licence.category


def test_search_page_answers_htmx_with_the_results_only(client_for, enterprise_user, licence):
    client = client_for(enterprise_user)
    full = client.get(reverse("catalog:search"), {"q": "yyzz"})
    assert "<html" in full.content.decode()
    assert "Business licence: changes" in full.content.decode()
    partial = client.get(reverse("catalog:search"), {"q": "yyzz"}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and 'id="results"' in body and "Business licence: changes" in body
    none = client.get(reverse("catalog:search"), {"q": "公积金"}, HTTP_HX_REQUEST="true")
    assert "Nothing found" in none.content.decode()


def test_api_search_and_guide(client_for, enterprise_user, licence, make_item):
    make_item(code="START", name="企业开办", keywords="营业执照")
    client = client_for(enterprise_user)
    hits = client.get(reverse("api:search_catalog"), {"q": "营业执照"}).json()
    assert [(h["code"], h["matched_in"]) for h in hits] == [
        ("BL-CHANGE", "name"),
        ("START", "keywords"),
    ]
    assert hits[0]["category"] == "APP-LIC" and hits[1]["category"] is None
    guide = client.get(reverse("api:get_catalog_item", args=["BL-CHANGE"])).json()
    assert guide["subcentres"][0]["code"] == "FZX1"
    assert guide["terminal_place"] == "自助服务区·营业执照自助打印机"
    listed = client.get(reverse("api:list_catalog_items"), {"channel": "terminal"}).json()
    assert [i["code"] for i in listed] == ["BL-CHANGE"]


def test_bad_filters_name_the_field_on_the_api_and_the_page(client_for, enterprise_user, centre):
    client = client_for(enterprise_user)
    bad = {"affairs": "sports", "channel": "fax"}
    response = client.get(reverse("api:list_catalog_items"), bad)
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"affairs", "channel"}
    assert 'id="filter-errors"' in client.get(reverse("catalog:home"), bad).content.decode()


def test_the_page_and_the_api_filter_alike(client_for, enterprise_user, make_item, centre):
    make_item(code="GOV", name="营业执照设立登记", by_terminal=True, terminal_place="自助区")
    make_item(code="BIZ", name="会议室预约", affairs=Affairs.BUSINESS)
    client = client_for(enterprise_user)
    for params, wanted in (
        ({"affairs": "business"}, {"BIZ"}),
        ({"channel": "terminal"}, {"GOV"}),
        ({"affairs": "business", "channel": "terminal"}, set()),
        ({}, {"GOV", "BIZ"}),
    ):
        page = client.get(reverse("catalog:home"), params).content.decode()
        api = client.get(reverse("api:list_catalog_items"), params).json()
        assert set(re.findall(r'data-key="([^"]+)"', page)) == wanted, params
        assert {item["code"] for item in api} == wanted, params


def test_an_overlong_search_is_refused_not_cut(client_for, enterprise_user, make_item, centre):
    make_item(code="GOV", name="营业执照设立登记")
    client = client_for(enterprise_user)
    long = "营业" + "x" * 99
    response = client.get(reverse("api:search_catalog"), {"q": long})
    assert response.status_code == 422 and "q" in response.json()["fields"]
    page = client.get(reverse("catalog:search"), {"q": long}).content.decode()
    assert 'id="search-errors"' in page and 'data-key="GOV"' not in page
    fits = client.get(reverse("api:search_catalog"), {"q": "营业"}).json()
    assert [hit["code"] for hit in fits] == ["GOV"]


def test_another_sub_districts_item_is_not_found(
    client_for, enterprise_user, centre, other_subdistrict
):
    with scope(subdistrict=other_subdistrict):
        department = OrganisationFactory(subdistrict=other_subdistrict)
        create_item(
            actor=Access.system(other_subdistrict),
            **item_fields(centre, code="B-ONLY", name="乙街道事项", department=department),
        )
    client = client_for(enterprise_user)
    assert client.get(reverse("catalog:detail", args=["B-ONLY"])).status_code == 404
    assert client.get(reverse("api:get_catalog_item", args=["B-ONLY"])).status_code == 404
    assert client.get(reverse("api:search_catalog"), {"q": "乙街道"}).json() == []


def test_the_catalog_page_costs_the_same_queries_for_many_items(
    client_for, enterprise_user, make_item, centre
):
    client = client_for(enterprise_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("catalog:home")).status_code == 200
        return len(captured)

    make_item(code="A", category=centre.licences, by_online=True)
    queries()  # the first request of a session does some work of its own
    few = queries()
    for n in range(10):
        make_item(code=f"MORE-{n}", category=centre.licences, by_online=True, department=centre.tax)
    assert queries() == few
