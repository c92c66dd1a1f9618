"""The policies API: library, eligible list, an enterprise's groups, applying, screening."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django_scopes import scope

from linli.core.roles import Role
from linli.policies.models import Application
from tests.factories import EnterpriseFactory
from tests.policies.support import load, screen, three_policies

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(subdistrict, make_user, tmp_path):
    load(three_policies(tmp_path))
    butler = make_user(Role.BUTLER, subdistrict)
    firm = EnterpriseFactory(
        subdistrict=subdistrict,
        name="Api Tech Ltd",
        headcount=20,
        tags=["high_tech"],
        butler=butler,
    )
    member = make_user(Role.ENTERPRISE_MEMBER, subdistrict, enterprise=firm)
    screen(subdistrict)
    return firm, member, butler


def body(response):
    return json.loads(response.content)


def test_the_library_in_plain_language(client_for, setup):
    _, member, _ = setup
    items = body(client_for(member).get(reverse("api:list_policies")))
    by_id = {p["policy_id"]: p for p in items}
    assert set(by_id) == {"test-eligible", "test-maybe", "test-near"}
    eligible = by_id["test-eligible"]
    assert eligible["mode"] == "apply" and eligible["in_force"] is True
    assert eligible["source_clause"] == "第三条"
    assert eligible["conditions"]["kind"] == "all"
    assert [c["label"] for c in eligible["conditions"]["children"]] == [
        "Recognised high-tech enterprise",
        "At least 10 employees",
    ]
    assert eligible["amount"] == "100,000 (yuan)"
    detail = body(client_for(member).get(reverse("api:get_policy", args=["test-eligible"])))
    assert [v["version"] for v in detail["versions"]] == [1]
    assert detail["versions"][0]["rule_hash"] == detail["rule_hash"]
    missing = client_for(member).get(reverse("api:get_policy", args=["no-such-policy"]))
    assert missing.status_code == 404 and body(missing)["code"] == "not_found"


def test_labels_follow_accept_language(client_for, setup):
    _, member, _ = setup
    items = body(
        client_for(member).get(reverse("api:list_policies"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    )
    titles = {p["title"] for p in items}
    assert "测试政策（示例）" in titles


def test_an_enterprise_s_three_groups(client_for, setup):
    firm, member, _ = setup
    data = body(client_for(member).get(reverse("api:get_enterprise_policies", args=[firm.pk])))
    assert data["enterprise"] == "Api Tech Ltd"
    assert [d["policy_id"] for d in data["eligible"]] == ["test-eligible"]
    assert data["eligible"][0]["amount"] == "100000.00"
    assert len(data["eligible"][0]["rule_hash"]) == 64
    assert data["maybe"][0]["missing_fields"] == [
        {"name": "tax_credit_grade", "label": "Tax credit grade"}
    ]
    failed = data["near_miss"][0]["failed_condition"]
    assert failed["field"] == "headcount" and failed["label"] == "At least 500 employees"


def test_the_eligible_list_is_paged(client_for, setup, subdistrict, make_user):
    for n in range(3):
        EnterpriseFactory(subdistrict=subdistrict, headcount=11 + n, tags=["high_tech"])
    screen(subdistrict)
    handler = make_user(Role.HANDLER, subdistrict)
    url = reverse("api:list_policy_eligible", args=["test-eligible"])
    page = body(client_for(handler).get(url, {"page": 2, "page_size": 3}))
    assert page["count"] == 4 and page["page"] == 2 and len(page["items"]) == 1
    # A butler sees the enterprises of their portfolio only.
    _, _, butler = setup
    mine = body(client_for(butler).get(url))
    assert [i["enterprise"] for i in mine["items"]] == ["Api Tech Ltd"]


def test_applying_through_the_api(client_for, setup):
    firm, member, _ = setup
    url = reverse("api:apply_for_policy", args=[firm.pk])
    client = client_for(member)
    response = client.post(url, {"policy_id": "test-eligible"}, content_type="application/json")
    assert response.status_code == 201
    data = body(response)
    with scope(subdistrict=firm.subdistrict):
        application = Application.objects.get()
    assert data["case_number"] == application.case_number
    assert data["rule_hash"] == application.rule_hash
    again = client.post(url, {"policy_id": "test-eligible"}, content_type="application/json")
    assert again.status_code == 400
    assert "already open" in body(again)["message"]
    notify_only = client.post(url, {"policy_id": "test-near"}, content_type="application/json")
    assert notify_only.status_code == 400


def test_screening_is_triggered_and_listed(client_for, setup, subdistrict, make_user):
    admin = make_user(Role.SUBDISTRICT_ADMIN, subdistrict)
    client = client_for(admin)
    response = client.post(reverse("api:trigger_screening"), content_type="application/json")
    assert response.status_code == 202
    assert body(response)["status"] == "queued"
    runs = body(client.get(reverse("api:list_screenings")))
    assert runs[0]["enterprises"] == 1 and runs[0]["eligible"] == 1


def test_apply_is_offered_exactly_where_the_verb_accepts_it(
    client_for, setup, subdistrict, make_user
):
    """Page and API offer "Apply" from the verb's own check: every offer succeeds when posted,
    and whatever is not offered is refused."""
    firm, member, butler = setup
    leader = make_user(Role.LEADER, subdistrict)
    policies = ("test-eligible", "test-maybe", "test-near")
    offered_to = {}
    for user in (leader, member, butler):
        client = client_for(user)
        data = body(client.get(reverse("api:get_enterprise_policies", args=[firm.pk])))
        offered = {
            d["policy_id"]
            for group in ("eligible", "maybe", "near_miss")
            for d in data[group]
            if d["can_apply"]
        }
        page = client.get(reverse("policies:enterprise", args=[firm.pk])).content.decode()
        for policy in policies:
            button = reverse("policies:apply", args=[firm.pk, policy])
            assert (button in page) == (policy in offered), (user, policy)
            response = client.post(
                reverse("api:apply_for_policy", args=[firm.pk]),
                {"policy_id": policy},
                content_type="application/json",
            )
            assert (response.status_code == 201) == (policy in offered), (user, policy)
        offered_to[user] = offered
    # The leader may not apply; the member applies for both; then nothing is left for the butler.
    assert offered_to == {leader: set(), member: {"test-eligible", "test-maybe"}, butler: set()}
