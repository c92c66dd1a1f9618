"""Registry pages: list search, filters, pagination and query budget; create, edit, delete."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from linli.core.models import AuditEntry
from linli.core.pii import encrypt
from linli.registry.models import Building, BuildingTaxYear, Enterprise
from linli.registry.views import PAGE_SIZE
from tests.core.world import fast_passwords  # noqa: F401
from tests.factories import (
    BuildingFactory,
    EnterpriseFactory,
    FacilityFactory,
    GridFactory,
    OrganisationFactory,
    QuarterFactory,
    UserFactory,
    credit_code,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def admin(subdistrict, make_user):
    return make_user("subdistrict_admin", subdistrict, username="admin-a")


@pytest.fixture
def client(admin, client_for):
    return client_for(admin)


def list_url(kind: str) -> str:
    return reverse("registry:list", kwargs={"kind": kind})


def names(response) -> list[str]:
    return [str(obj) for obj, _key, _cells in response.context["rows"]]


# --- Lists --------------------------------------------------------------------------------------


def test_search_matches_name_and_code(client, subdistrict) -> None:
    EnterpriseFactory(subdistrict=subdistrict, name="Jing'an Robotics Ltd")
    wanted = EnterpriseFactory(subdistrict=subdistrict, name="Suzhou Creek Logistics Ltd")

    assert names(client.get(list_url("enterprise"), {"q": "creek"})) == [wanted.name]
    by_code = client.get(list_url("enterprise"), {"q": wanted.credit_code.lower()})
    assert names(by_code) == [wanted.name]
    assert names(client.get(list_url("enterprise"), {"q": "nothing like it"})) == []
    assert "Nothing found." in client.get(list_url("enterprise"), {"q": "zzz"}).text


def test_filters_narrow_the_list(client, subdistrict) -> None:
    tower = BuildingFactory(subdistrict=subdistrict, name="Jade Tower")
    inside = EnterpriseFactory(subdistrict=subdistrict, building=tower, name="Inside Ltd")
    moving = EnterpriseFactory(
        subdistrict=subdistrict, name="Moving Ltd", status=Enterprise.Status.MOVING_OUT
    )
    software = EnterpriseFactory(subdistrict=subdistrict, name="Code Ltd", industry_code="I6510")
    EnterpriseFactory(subdistrict=subdistrict, name="Law Ltd", industry_code="L7221")

    assert names(client.get(list_url("enterprise"), {"building": tower.pk})) == [inside.name]
    assert names(client.get(list_url("enterprise"), {"status": "moving_out"})) == [moving.name]
    prefix = names(client.get(list_url("enterprise"), {"industry_code": "i65"}))
    assert software.name in prefix and "Law Ltd" not in prefix
    page = client.get(list_url("enterprise"))
    assert f'<option value="{tower.pk}"' in page.text  # the building filter offers it


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "0", "-15915020945285959680"])
def test_a_filter_value_that_is_no_record_is_an_error_on_every_surface(
    client, subdistrict, value
) -> None:
    EnterpriseFactory(subdistrict=subdistrict, name="Any Ltd")

    page = client.get(list_url("enterprise"), {"building": value})
    assert page.status_code == 200
    assert names(page) == []  # no rows under a filter that means nothing
    assert 'role="alert"' in page.text

    api = client.get(reverse("api:list_enterprises"), {"building": value})
    assert api.status_code == 422
    assert list(api.json()["fields"]) == ["building"]

    export = client.get(
        reverse("registry:export", kwargs={"kind": "enterprise"}), {"building": value}
    )
    assert export.status_code == 400
    assert "building" in export.content.decode()


def test_a_page_number_far_beyond_the_list_is_refused_not_a_server_error(client) -> None:
    response = client.get(reverse("api:list_quarters"), {"page": "10000000000000000001"})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["page"]


def test_pagination_keeps_the_search(client, subdistrict) -> None:
    for n in range(60):
        FacilityFactory(subdistrict=subdistrict, name=f"Station {n:02d}")
    FacilityFactory(subdistrict=subdistrict, name="Other place")

    first = client.get(list_url("facility"), {"q": "station"})
    last = client.get(list_url("facility"), {"q": "station", "page": 3})

    assert first.context["page"].paginator.count == 60
    assert len(first.context["rows"]) == PAGE_SIZE
    assert len(last.context["rows"]) == 60 - 2 * PAGE_SIZE
    assert "q=station&amp;page=2" in first.text
    assert client.get(list_url("facility"), {"page": "999"}).status_code == 200
    assert client.get(list_url("facility"), {"page": "x"}).status_code == 200


def test_htmx_gets_only_the_table(client, subdistrict) -> None:
    FacilityFactory(subdistrict=subdistrict, name="Only the table")
    response = client.get(list_url("facility"), HTTP_HX_REQUEST="true")
    assert "Only the table" in response.text
    assert "<html" not in response.text


def test_an_unknown_kind_is_404(client) -> None:
    assert client.get(list_url("spaceship")).status_code == 404
    assert (
        client.get(reverse("registry:detail", kwargs={"kind": "user", "pk": 1})).status_code == 404
    )


def sixty_of_each(subdistrict) -> None:
    org = OrganisationFactory(subdistrict=subdistrict)
    grid = GridFactory(subdistrict=subdistrict, organisation=org)
    quarter = QuarterFactory(subdistrict=subdistrict, committee=org, grid=grid)
    building = BuildingFactory(subdistrict=subdistrict, grid=grid, subcentre=org)
    butler = UserFactory()
    for _ in range(60):
        OrganisationFactory(subdistrict=subdistrict, parent=org)
        GridFactory(subdistrict=subdistrict, organisation=org)
        QuarterFactory(subdistrict=subdistrict, committee=org, grid=grid)
        BuildingFactory(subdistrict=subdistrict, grid=grid, subcentre=org)
        EnterpriseFactory(subdistrict=subdistrict, building=building, butler=butler)
        FacilityFactory(subdistrict=subdistrict, quarter=quarter)


# Session, user, memberships, sub-districts, unread count, row count, rows (with their related
# records joined) and filter choices: a fixed number however many rows a page shows (8-10 now).
QUERY_BUDGET = 12


@pytest.mark.parametrize(
    "kind", ["organisation", "grid", "quarter", "building", "enterprise", "facility"]
)
def test_list_pages_keep_to_a_query_budget(
    client, subdistrict, kind, django_assert_max_num_queries
) -> None:
    sixty_of_each(subdistrict)
    client.get(list_url(kind))  # warm the session
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(list_url(kind))
    assert len(response.context["rows"]) == PAGE_SIZE


# --- Create, edit, delete -----------------------------------------------------------------------


def enterprise_form(**changes) -> dict:
    return {
        "credit_code": credit_code(123456),
        "name": "Form Ltd",
        "industry_code": "I6510",
        "registered_capital": "300",
        "founded_on": "2020-05-04",
        "headcount": "8",
        "status": "active",
        **changes,
    }


def test_create_with_a_bad_credit_code_shows_the_error_and_writes_nothing(client) -> None:
    good = credit_code(123456)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")

    response = client.post(
        reverse("registry:create", kwargs={"kind": "enterprise"}),
        enterprise_form(credit_code=wrong),
    )

    assert response.status_code == 200
    assert f"expected {good[17]}" in response.text
    assert 'class="field has-error"' in response.text
    assert 'value="Form Ltd"' in response.text  # what was typed is kept
    with scopes_disabled():
        assert not Enterprise.objects.exists()
    assert not AuditEntry.objects.filter(action__endswith=".create").exists()


def test_create_lowercase_credit_code_is_normalised(client, subdistrict) -> None:
    response = client.post(
        reverse("registry:create", kwargs={"kind": "enterprise"}),
        enterprise_form(credit_code=credit_code(123456).lower(), contact_phone="138 1234 5678"),
    )
    assert response.status_code == 302
    with scope(subdistrict=subdistrict):
        created = Enterprise.objects.get()
    assert created.credit_code == credit_code(123456)
    assert created.contact_phone == "13812345678"
    assert response["Location"] == reverse(
        "registry:detail", kwargs={"kind": "enterprise", "pk": created.pk}
    )


def test_edit_changes_the_record(client, subdistrict) -> None:
    enterprise = EnterpriseFactory(subdistrict=subdistrict, name="Old Name Ltd")
    url = reverse("registry:edit", kwargs={"kind": "enterprise", "pk": enterprise.pk})
    form = client.get(url)
    assert 'value="Old Name Ltd"' in form.text

    response = client.post(
        url, enterprise_form(credit_code=enterprise.credit_code, name="New Name Ltd"), follow=True
    )

    assert response.status_code == 200
    assert "New Name Ltd" in response.text and "Saved." in response.text
    with scopes_disabled():
        enterprise.refresh_from_db()
    assert enterprise.name == "New Name Ltd"


def test_edit_keeps_the_contact_phone_when_left_empty(client, subdistrict) -> None:
    enterprise = EnterpriseFactory(
        subdistrict=subdistrict, contact_phone_cipher=encrypt("13812345678")
    )
    url = reverse("registry:edit", kwargs={"kind": "enterprise", "pk": enterprise.pk})
    client.post(url, enterprise_form(credit_code=enterprise.credit_code))
    with scopes_disabled():
        enterprise.refresh_from_db()
    assert enterprise.contact_phone == "13812345678"


def test_deleting_a_record_in_use_explains_why(client, subdistrict) -> None:
    tower = BuildingFactory(subdistrict=subdistrict, name="Busy Tower")
    EnterpriseFactory(subdistrict=subdistrict, building=tower, name="Tenant Ltd")

    response = client.post(
        reverse("registry:delete", kwargs={"kind": "building", "pk": tower.pk}), follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "registry:detail", kwargs={"kind": "building", "pk": tower.pk}
    )
    assert "cannot be deleted" in response.text and "Tenant Ltd" in response.text
    with scopes_disabled():
        assert Building.objects.filter(pk=tower.pk).exists()


def test_deleting_a_free_record(client, subdistrict) -> None:
    tower = BuildingFactory(subdistrict=subdistrict, name="Empty Tower")
    response = client.post(
        reverse("registry:delete", kwargs={"kind": "building", "pk": tower.pk}), follow=True
    )
    assert response.redirect_chain[-1][0] == list_url("building")
    assert "Deleted." in response.text
    with scopes_disabled():
        assert not Building.objects.filter(pk=tower.pk).exists()


# --- Detail pages -------------------------------------------------------------------------------


def test_building_detail_shows_tax_by_year(client, subdistrict) -> None:
    tower = BuildingFactory(subdistrict=subdistrict)
    with scopes_disabled():
        BuildingTaxYear.objects.create(
            subdistrict=subdistrict, building=tower, year=2025, tax=Decimal("12500")
        )
        BuildingTaxYear.objects.create(
            subdistrict=subdistrict, building=tower, year=2024, tax=Decimal("9000")
        )
    EnterpriseFactory(subdistrict=subdistrict, building=tower)

    page = client.get(reverse("registry:detail", kwargs={"kind": "building", "pk": tower.pk}))

    assert page.context["tax_years"][0].is_hundred_million
    assert not page.context["tax_years"][1].is_hundred_million
    assert "1 enterprise in this building" in page.text
    assert "12,500.00" in page.text


def test_the_detail_shows_words_not_raw_data(client, subdistrict) -> None:
    enterprise = EnterpriseFactory(
        subdistrict=subdistrict, industry_code="J6760", tags=["small_micro"]
    )
    url = reverse("registry:detail", kwargs={"kind": "enterprise", "pk": enterprise.pk})
    page = client.get(url).text
    assert "Finance · J6760" in page
    assert "['" not in page and "small_micro" not in page
    facility = FacilityFactory(subdistrict=subdistrict, entrances=[[121.45, 31.24]])
    url = reverse("registry:detail", kwargs={"kind": "facility", "pk": facility.pk})
    page = client.get(url).text
    assert "1 entrance" in page and "[[121.45" not in page
    tower = BuildingFactory(subdistrict=subdistrict, lon=121.452647, lat=31.233796)
    url = reverse("registry:detail", kwargs={"kind": "building", "pk": tower.pk})
    page = client.get(url).text
    assert "121.4526" in page and "31.2338" in page and "121.452647" not in page


def test_enterprise_detail_offers_unmasking_only_to_who_may(
    subdistrict, make_user, client_for
) -> None:
    enterprise = EnterpriseFactory(
        subdistrict=subdistrict, contact_phone_cipher=encrypt("13812345678")
    )
    url = reverse("registry:detail", kwargs={"kind": "enterprise", "pk": enterprise.pk})

    handler = client_for(make_user("handler", subdistrict)).get(url).text
    leader = client_for(make_user("leader", subdistrict)).get(url).text

    assert "138****5678" in handler and "138****5678" in leader
    assert "Show in full" in handler
    assert "Show in full" not in leader


def test_a_duplicate_code_is_reported_at_its_field(client, subdistrict, other_subdistrict) -> None:
    existing = FacilityFactory(subdistrict=subdistrict, code="F-DUP")
    FacilityFactory(subdistrict=other_subdistrict, code="F-TWIN")
    url = reverse("registry:create", kwargs={"kind": "facility"})
    data = {"name": "Second", "category": "park", "entrances": "[[121.45, 31.24]]"}

    clash = client.post(url, {**data, "code": existing.code})
    elsewhere = client.post(url, {**data, "code": "F-TWIN"})  # B's code is free in A

    assert clash.status_code == 200
    assert clash.context["form"].errors == {
        "code": ["This Code is already used in this sub-district."]
    }
    assert elsewhere.status_code == 302


def test_filter_choices_offer_only_what_the_role_may_see(subdistrict, make_user, client_for):
    mine = BuildingFactory(subdistrict=subdistrict, name="My Tower")
    BuildingFactory(subdistrict=subdistrict, name="Their Tower")
    manager = client_for(make_user("building_manager", subdistrict, building=mine))
    staff = client_for(make_user("leader", subdistrict))

    offered = manager.get(list_url("enterprise")).context["filters"][0]["choices"]

    assert offered == [(str(mine.pk), "My Tower")]
    assert len(staff.get(list_url("enterprise")).context["filters"][0]["choices"]) == 2
