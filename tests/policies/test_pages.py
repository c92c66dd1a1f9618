"""The policy pages: the library in plain language, a policy's eligible enterprises and their
Excel export, an enterprise's three groups, applying, the butler's unclaimed benefits."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from linli.core.roles import Role
from linli.policies.models import Application, Decision, PolicyVersion
from tests.factories import BuildingFactory, EnterpriseFactory
from tests.policies.support import ELIGIBLE, load, policy_text, screen, three_policies, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(tmp_path):
    return load(three_policies(tmp_path))


@pytest.fixture
def firm(subdistrict, make_user):
    """A 20-person high-tech firm: eligible for one policy, maybe for one, near the third."""
    butler = make_user(Role.BUTLER, subdistrict, username="butler")
    return EnterpriseFactory(
        subdistrict=subdistrict,
        name="Crafted Tech Ltd",
        headcount=20,
        tags=["high_tech"],
        butler=butler,
        building=BuildingFactory(subdistrict=subdistrict, name="Jade Tower"),
    )


@pytest.fixture
def member(subdistrict, firm, make_user):
    return make_user(Role.ENTERPRISE_MEMBER, subdistrict, username="member", enterprise=firm)


@pytest.fixture
def screened(subdistrict, firm, library):
    return screen(subdistrict)


def text_of(response) -> str:
    return response.content.decode()


def test_the_library_shows_each_rule_in_plain_language(client_for, member, screened):
    response = client_for(member).get(reverse("policies:library"))
    page = text_of(response)
    assert response.status_code == 200
    assert "Test high-tech award (example)" in page
    assert "Recognised high-tech enterprise" in page  # the condition's own label
    assert "At least 10 employees" in page
    assert "Headcount: at least 10 people" in page  # what the rule tests, field and threshold
    assert "All of these:" in page
    assert "100,000" in page  # the amount, described
    assert "测试文件〔2026〕1号 第三条" in page  # source document and clause
    assert "2020-01-01" in page and "no end date" in page
    assert "Apply to receive" in page
    assert "Example only" in page


def test_the_library_speaks_chinese(client_for, member, screened):
    response = client_for(member).get(reverse("policies:library"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = text_of(response)
    assert "员工不少于10人" in page and "员工人数：不低于 10人" in page
    assert "测试政策（示例）" in page


def test_the_amount_formula_is_described_with_field_names(client_for, member, screened):
    page = text_of(client_for(member).get(reverse("policies:detail", args=["test-maybe"])))
    assert "the smaller of (Registered capital × 100, 60,000) (yuan)" in page


def test_the_enterprise_page_shows_three_groups(client_for, member, firm, screened):
    response = client_for(member).get(reverse("policies:enterprise", args=[firm.pk]))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert [v.decision.policy_id for v in overview.eligible] == ["test-eligible"]
    assert [v.decision.policy_id for v in overview.maybe] == ["test-maybe"]
    assert [v.decision.policy_id for v in overview.near_miss] == ["test-near"]
    assert overview.eligible[0].amount == "100,000"
    assert overview.maybe[0].missing == ["Tax credit grade"]
    assert overview.near_miss[0].failed == "At least 500 employees"
    assert "20" in overview.near_miss[0].failed_reason
    page = text_of(response)
    assert "Missing data: Tax credit grade" in page
    assert "The one condition not met:" in page and "At least 500 employees" in page
    # Each condition's reason, with today's data.
    results = [r for r, *_ in overview.eligible[0].reasons]
    assert results == ["pass", "pass"]
    assert not overview.eligible[0].stale


def test_a_member_sees_only_their_own_enterprise(client_for, member, firm, subdistrict, screened):
    other = EnterpriseFactory(subdistrict=subdistrict)
    client = client_for(member)
    assert client.get(reverse("policies:enterprise", args=[other.pk])).status_code == 404
    assert client.get(reverse("policies:mine")).url == reverse(
        "policies:enterprise", args=[firm.pk]
    )


def test_another_sub_district_gets_404(client_for, make_user, other_subdistrict, firm, screened):
    stranger = make_user(Role.SUBDISTRICT_ADMIN, other_subdistrict)
    client = client_for(stranger)
    assert client.get(reverse("policies:enterprise", args=[firm.pk])).status_code == 404
    api = client.get(reverse("api:get_enterprise_policies", args=[firm.pk]))
    assert api.status_code == 404
    # Their list of eligible enterprises is their own sub-district's: empty.
    page = client.get(reverse("policies:detail", args=["test-eligible"]))
    assert "Crafted Tech Ltd" not in text_of(page)


def test_applying_opens_a_case_with_the_snapshot(client_for, member, firm, screened):
    from linli.cases.models import Case, Category

    client = client_for(member)
    url = reverse("policies:apply", args=[firm.pk, "test-eligible"])
    unconfirmed = client.post(url, follow=True)
    assert "Tick the box to confirm" in text_of(unconfirmed)
    with scope(subdistrict=firm.subdistrict):
        assert not Application.objects.exists()
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    with scope(subdistrict=firm.subdistrict):
        application = Application.objects.select_related("case", "case__category").get()
        case = application.case
        assert Case.objects.count() == 1
    assert case.enterprise_id == firm.pk and case.reporter == member
    assert case.category.kind == Category.Kind.ENTERPRISE_APPEAL
    assert case.extra["policy"] == "Test high-tech award (example) (version 1)"
    assert case.extra["rule_hash"] == application.rule_hash == application.snapshot["rule_hash"]
    assert "Recognised high-tech enterprise" in case.description
    assert application.snapshot["status"] == "eligible"
    assert application.amount == Decimal("100000.00")
    assert application.case_number == case.number
    assert f"case {case.number}" in text_of(response)

    again = client.post(url, {"confirm": "1"}, follow=True)
    assert "already open as case" in text_of(again)
    with scope(subdistrict=firm.subdistrict):
        assert Application.objects.count() == 1


def test_applications_join_an_existing_policy_category(client_for, member, firm, screened):
    from linli.cases.models import Category, CategoryField

    with scopes_disabled():
        existing = Category.objects.create(
            subdistrict=firm.subdistrict,
            code="APP-POLICY",
            name="政策申报",
            kind=Category.Kind.ENTERPRISE_APPEAL,
        )
        CategoryField.objects.create(
            subdistrict=firm.subdistrict,
            category=existing,
            key="policy",
            label="政策名称",
            required=True,
        )
        CategoryField.objects.create(
            subdistrict=firm.subdistrict,
            category=existing,
            key="amount",
            label="万元",
            type=CategoryField.Type.NUMBER,
        )
    client_for(member).post(
        reverse("policies:apply", args=[firm.pk, "test-eligible"]), {"confirm": "1"}
    )
    with scope(subdistrict=firm.subdistrict):
        case = Application.objects.select_related("case").get().case
    assert case.category_id == existing.pk
    # Only the policy: that category's amount counts in 10,000 yuan, the snapshot has ours.
    assert case.extra == {"policy": "Test high-tech award (example)"}


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_an_application_case_reads_in_plain_language(
    client_for, member, firm, screened, make_user, subdistrict, lang
):
    """Issue 14: no machine key (``id@v1``), symbols or raw values on the case pages."""
    from linli.cases.views.case import extra_rows

    client = client_for(member)
    url = reverse("policies:apply", args=[firm.pk, "test-maybe"])
    client.post(url, {"confirm": "1"}, HTTP_ACCEPT_LANGUAGE=lang)
    with scope(subdistrict=firm.subdistrict):
        case = Application.objects.select_related("case", "case__category").get().case
        rows = extra_rows(case)
    missing = "暂无数据" if lang == "zh-hans" else "no data yet"
    assert missing in case.description and "@v" not in case.description
    for text in [case.description, *(str(value) for _, value in rows)]:
        assert "@v" not in text
        assert not re.search(r"[∈∉≥≤≠]|未知|unknown|\d\.\d{3,}", text), text
    staff = client_for(make_user(Role.SUBDISTRICT_ADMIN, subdistrict))
    for who in (client, staff):
        response = who.get(reverse("cases:detail", args=[case.number]), HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 200
        page = text_of(response)
        assert "@v" not in page and "test-maybe" not in page
        assert "问题类别" not in page  # a policy application is not a "problem"


def test_a_near_miss_cannot_be_applied_for(client_for, member, firm, screened):
    response = client_for(member).post(
        reverse("policies:apply", args=[firm.pk, "test-near"]), {"confirm": "1"}, follow=True
    )
    assert "does not qualify" in text_of(response)
    with scope(subdistrict=firm.subdistrict):
        assert not Application.objects.exists()


def test_the_butler_sees_unclaimed_benefits_of_their_portfolio(
    client_for, subdistrict, firm, member, library, make_user
):
    bigger = EnterpriseFactory(
        subdistrict=subdistrict,
        name="Bigger Tech Ltd",
        headcount=40,
        tags=["high_tech"],
        registered_capital=Decimal("550"),
        butler=firm.butler,
    )
    EnterpriseFactory(
        subdistrict=subdistrict, name="Not Mine Ltd", headcount=40, tags=["high_tech"]
    )
    from linli.core.access import Access
    from linli.policies.services import record_fact

    with scope(subdistrict=subdistrict):
        record_fact(bigger, "tax_credit_grade", "A", actor=Access.system(subdistrict), source="t")
    screen(subdistrict)
    client = client_for(firm.butler)
    rows = client.get(reverse("policies:unclaimed")).context["rows"]
    listed = [(d.enterprise.name, d.policy_id, amount) for d, amount in rows]
    assert listed == [
        ("Bigger Tech Ltd", "test-eligible", "100,000"),
        ("Crafted Tech Ltd", "test-eligible", "100,000"),
        ("Bigger Tech Ltd", "test-maybe", "55,000"),
    ]
    client_for(member).post(
        reverse("policies:apply", args=[firm.pk, "test-eligible"]), {"confirm": "1"}
    )
    rows = client.get(reverse("policies:unclaimed")).context["rows"]
    assert ("Crafted Tech Ltd", "test-eligible") not in [
        (d.enterprise.name, d.policy_id) for d, _ in rows
    ]


def test_the_excel_export_lists_the_eligible_enterprises(
    client_for, subdistrict, firm, library, make_user
):
    EnterpriseFactory(
        subdistrict=subdistrict, name="Second Tech Ltd", headcount=12, tags=["high_tech"]
    )
    EnterpriseFactory(subdistrict=subdistrict, name="Not Tech Ltd", headcount=12, tags=[])
    screen(subdistrict)
    leader = make_user(Role.LEADER, subdistrict)
    response = client_for(leader).get(reverse("policies:export", args=["test-eligible"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="test-eligible-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Enterprise", "Unified Social Credit Code", "Building", "Amount")
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {"Crafted Tech Ltd", "Second Tech Ltd"}
    assert body["Crafted Tech Ltd"][2] == "Jade Tower"
    assert body["Crafted Tech Ltd"][3] == 100000
    with scope(subdistrict=subdistrict):
        decision = Decision.objects.filter(policy_id="test-eligible").first()
    assert body["Crafted Tech Ltd"][6] == decision.rule_hash
    assert body["Crafted Tech Ltd"][7] == decision.evaluated_on.isoformat()


def test_screen_now_queues_a_task(client_for, subdistrict, make_user, library):
    from django_tasks_db.models import DBTaskResult

    leader = make_user(Role.LEADER, subdistrict)
    response = client_for(leader).post(reverse("policies:screen"), follow=True)
    assert "Screening queued" in text_of(response)
    assert DBTaskResult.objects.filter(task_path__endswith="screen_subdistrict").count() == 1


def test_the_menu_offers_the_policy_pages(client_for, member, firm):
    page = text_of(client_for(member).get(reverse("home")))
    assert reverse("policies:library") in page and reverse("policies:mine") in page
    butler_page = text_of(client_for(firm.butler).get(reverse("home")))
    assert reverse("policies:unclaimed") in butler_page


# --- query budgets ----------------------------------------------------------------------

QUERY_BUDGET = 14


@pytest.fixture
def many(subdistrict, firm, tmp_path, make_user):
    """Sixty eligible enterprises, each with its own building, and a few more policies."""
    for n in range(60):
        EnterpriseFactory(
            subdistrict=subdistrict,
            headcount=10 + n,
            tags=["high_tech"],
            butler=firm.butler,
            building=BuildingFactory(subdistrict=subdistrict),
        )
    three_policies(tmp_path)
    for n in range(5):
        write(tmp_path, f"extra{n}.v1.yaml", policy_text(f"test-extra-{n}", ELIGIBLE))
    load(tmp_path)
    screen(subdistrict)
    return make_user(Role.SUBDISTRICT_ADMIN, subdistrict)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("policies:library", []),
        ("policies:detail", ["test-eligible"]),
        ("policies:unclaimed", []),
        ("api:list_policies", []),
        ("api:list_policy_eligible", ["test-eligible"]),
    ],
)
def test_list_pages_keep_to_a_query_budget(
    client_for, many, name, args, django_assert_max_num_queries
):
    client = client_for(many)
    url = reverse(name, args=args)
    client.get(url)  # warm the session and the engine's caches
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(url)
    assert response.status_code == 200


def test_the_enterprise_page_keeps_to_a_query_budget(
    client_for, many, firm, django_assert_max_num_queries
):
    client = client_for(many)
    url = reverse("policies:enterprise", args=[firm.pk])
    client.get(url)
    with django_assert_max_num_queries(QUERY_BUDGET + 6):
        response = client.get(url)
    assert len(response.context["overview"].eligible) == 6


def test_stale_decisions_are_flagged(client_for, member, firm, screened):
    with scopes_disabled():
        type(firm).objects.filter(pk=firm.pk).update(headcount=5, tags=[])
    overview = (
        client_for(member).get(reverse("policies:enterprise", args=[firm.pk])).context["overview"]
    )
    assert overview.eligible[0].stale
    assert overview.evaluated_on == dt.date(2026, 3, 2)


def test_policy_rows_follow_their_enterprise(subdistrict, firm, member, screened, make_user):
    """Decisions (and grants, applications, facts) are read by the enterprise's full audience:
    its members, its butler, whole-area staff; never a building manager, another butler or a
    resident."""
    from django.apps import apps

    from linli.core import visibility
    from linli.core.access import Access

    for model in apps.get_app_config("policies").get_models():
        if model is not PolicyVersion:  # the library is global, not a sub-district's
            visibility.policy_of(model)
    other = EnterpriseFactory(subdistrict=subdistrict, headcount=20, tags=["high_tech"])
    screen(subdistrict)

    def seen(user) -> set:
        access = Access.for_user(user, subdistrict)
        with scope(subdistrict=subdistrict):
            return set(Decision.objects.visible_to(access).values_list("enterprise_id", flat=True))

    both = {firm.pk, other.pk}
    assert seen(make_user(Role.HANDLER, subdistrict)) == both
    assert seen(make_user(Role.LEADER, subdistrict)) == both
    assert seen(firm.butler) == {firm.pk}
    assert seen(member) == {firm.pk}
    assert seen(make_user(Role.BUTLER, subdistrict)) == set()
    manager = make_user(Role.BUILDING_MANAGER, subdistrict, building=firm.building)
    assert seen(manager) == set()
    assert seen(make_user(Role.RESIDENT, subdistrict)) == set()


def test_applying_on_missing_data_warns_first(client_for, member, firm, screened):
    page = text_of(client_for(member).get(reverse("policies:enterprise", args=[firm.pk])))
    maybe = page[page.index(reverse("policies:apply", args=[firm.pk, "test-maybe"])) :]
    eligible = page[page.index(reverse("policies:apply", args=[firm.pk, "test-eligible"])) :]
    warning = "Some data is still missing"
    assert warning in maybe.split("</form>")[0]
    assert warning not in eligible.split("</form>")[0]
    assert 'name="confirm"' in eligible.split("</form>")[0]
