"""Tenant isolation: no query without a scope; nothing of sub-district B is visible from A."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django_scopes import ScopeError, scope, scopes_disabled

from linli.core.models import AuditEntry, Subdistrict, TenantModel
from linli.core.roles import Role
from linli.registry.kinds import KINDS
from tests.core.world import World, api_json, module_world
from tests.factories import EnterpriseFactory, MembershipFactory, SubdistrictFactory, UserFactory

# Models that carry a sub-district but are deliberately not scoped, and why.
UNSCOPED = {
    AuditEntry: "the audit log also holds sign-ins that belong to no sub-district; its views "
    "filter by the current sub-district explicitly",
}


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with module_world(django_db_blocker) as built:
        yield built


@pytest.fixture
def world(db, shared_world) -> World:
    """The module's world; whatever a test writes is rolled back after it."""
    return shared_world


def tenant_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, TenantModel)]


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label)
def test_a_query_without_a_scope_raises(db, model) -> None:
    with pytest.raises(ScopeError):
        list(model.objects.all())


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label)
def test_a_query_in_a_scope_sees_only_that_subdistrict(world, model) -> None:
    with scope(subdistrict=world.a.subdistrict):
        ids = set(model.objects.values_list("subdistrict_id", flat=True))
    assert ids <= {world.a.subdistrict.pk}


def test_every_model_with_a_subdistrict_is_scoped() -> None:
    offenders = [
        m._meta.label
        for m in apps.get_models()
        if m is not Subdistrict
        and any(
            f.is_relation and f.related_model is Subdistrict and f.name == "subdistrict"
            for f in m._meta.get_fields()
        )
        and not issubclass(m, TenantModel)
        and m not in UNSCOPED
    ]
    assert not offenders, f"tenant-owned models without a scoped manager: {offenders}"


def _admin_of_a(world: World) -> Client:
    return world.client(Role.SUBDISTRICT_ADMIN)


@pytest.mark.parametrize("kind", KINDS)
def test_pages_of_another_subdistricts_record_are_404(world, kind) -> None:
    client = _admin_of_a(world)
    theirs = world.b.records[kind]
    for name, method in [
        ("registry:detail", "get"),
        ("registry:edit", "get"),
        ("registry:edit", "post"),
        ("registry:delete", "post"),
    ]:
        response = getattr(client, method)(reverse(name, kwargs={"kind": kind, "pk": theirs.pk}))
        assert response.status_code == 404, (name, method)
    with scopes_disabled():
        assert type(theirs).objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_api_of_another_subdistricts_record_is_404(world, kind) -> None:
    client = _admin_of_a(world)
    theirs = world.b.records[kind]
    url = reverse(f"api:get_{kind}", kwargs={"pk": theirs.pk})

    assert client.get(url).status_code == 404
    response = client.patch(url, json.dumps({"name": "Hijacked"}), content_type="application/json")
    assert response.status_code == 404
    assert api_json(response)["code"] == "not_found"
    assert client.delete(url).status_code == 404
    with scopes_disabled():
        theirs.refresh_from_db()
    assert theirs.name != "Hijacked"


@pytest.mark.parametrize("kind", KINDS)
def test_lists_exports_and_api_lists_never_show_another_subdistricts_rows(world, kind) -> None:
    client = _admin_of_a(world)
    ours, theirs = world.a.records[kind], world.b.records[kind]

    page = client.get(reverse("registry:list", kwargs={"kind": kind})).text
    export = client.get(reverse("registry:export", kwargs={"kind": kind}) + "?format=csv")
    api = api_json(client.get(reverse(f"api:list_{KINDS[kind].plural}") + "?page_size=200"))

    assert ours.name in page and theirs.name not in page
    csv = export.content.decode("utf-8-sig")
    assert ours.name in csv and theirs.name not in csv
    names = {item["name"] for item in api["items"]}
    assert ours.name in names and theirs.name not in names
    # Searching for B's record by its exact name finds nothing either.
    found = client.get(reverse("registry:list", kwargs={"kind": kind}), {"q": theirs.name})
    assert found.context["page"].paginator.count == 0


def test_a_form_cannot_point_at_another_subdistricts_record(world) -> None:
    client = _admin_of_a(world)
    payload = {
        "code": "XB",
        "name": "Cross-tenant tower",
        "address": "1 Road",
        "lon": 121.45,
        "lat": 31.23,
        "floor_area_m2": "100",
        "grid": world.b.records["grid"].pk,
    }
    response = client.post(
        reverse("api:create_building"), json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400
    assert "grid" in api_json(response)["fields"]

    page = client.post(reverse("registry:create", kwargs={"kind": "building"}), payload)
    assert page.status_code == 200
    assert "Select a valid choice" in page.text


def test_the_butler_choice_lists_only_this_subdistricts_staff(world) -> None:
    client = _admin_of_a(world)
    page = client.get(reverse("registry:create", kwargs={"kind": "enterprise"})).text
    assert ">butler<" in page
    assert "other-admin" not in page  # B's administrator
    assert ">resident<" not in page  # not staff


@pytest.fixture
def operator(world):
    """A district operator: administrator in A, leader in B."""
    with scopes_disabled():
        user = UserFactory(username="operator", home_subdistrict=world.a.subdistrict)
        MembershipFactory(user=user, subdistrict=world.a.subdistrict, role="subdistrict_admin")
        MembershipFactory(user=user, subdistrict=world.b.subdistrict, role="leader")
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_switches_between_their_subdistricts(world, operator) -> None:
    enterprises = reverse("registry:list", kwargs={"kind": "enterprise"})
    ours, theirs = world.a.records["enterprise"], world.b.records["enterprise"]
    page = operator.get(enterprises).text
    assert ours.name in page and theirs.name not in page
    assert 'name="subdistrict"' in operator.get("/").text  # the switcher is shown

    response = operator.post(reverse("switch_subdistrict"), {"subdistrict": world.b.subdistrict.pk})

    assert response.status_code == 302
    page = operator.get(enterprises).text
    assert theirs.name in page and ours.name not in page
    detail = reverse("registry:detail", kwargs={"kind": "enterprise", "pk": ours.pk})
    assert operator.get(detail).status_code == 404
    # A leader in B: reads, does not edit.
    assert (
        operator.get(reverse("registry:create", kwargs={"kind": "enterprise"})).status_code == 403
    )


def test_switching_from_a_record_page_lands_on_its_list(world, operator) -> None:
    detail = reverse("registry:detail", kwargs={"kind": "building", "pk": 1})
    response = operator.post(
        reverse("switch_subdistrict"), {"subdistrict": world.b.subdistrict.pk, "next": detail}
    )
    assert response["Location"] == reverse("registry:list", kwargs={"kind": "building"})

    response = operator.post(
        reverse("switch_subdistrict"), {"subdistrict": world.a.subdistrict.pk, "next": "/inbox/"}
    )
    assert response["Location"] == "/inbox/"

    response = operator.post(
        reverse("switch_subdistrict"),
        {"subdistrict": world.a.subdistrict.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_switching_to_a_subdistrict_without_membership_is_404(world, operator) -> None:
    stranger = SubdistrictFactory(code="310106099", name="Street C")

    response = operator.post(reverse("switch_subdistrict"), {"subdistrict": stranger.pk})

    assert response.status_code == 404
    page = operator.get(reverse("registry:list", kwargs={"kind": "enterprise"})).text
    assert world.a.records["enterprise"].name in page  # still in A
    assert operator.post(reverse("switch_subdistrict"), {"subdistrict": "x"}).status_code == 404


def test_a_platform_admin_may_switch_to_every_subdistrict(world) -> None:
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    for place in (world.a, world.b):
        assert (
            client.post(
                reverse("switch_subdistrict"), {"subdistrict": place.subdistrict.pk}
            ).status_code
            == 302
        )
        page = client.get(reverse("registry:list", kwargs={"kind": "grid"})).text
        assert place.records["grid"].name in page


def test_a_user_without_membership_sees_no_tenant_data(world) -> None:
    with scopes_disabled():
        EnterpriseFactory(subdistrict=world.a.subdistrict, name="Hidden Ltd")
    loner = UserFactory(username="loner")
    client = Client()
    client.force_login(loner)

    assert "not a member of any sub-district" in client.get("/").text
    assert client.get(reverse("registry:list", kwargs={"kind": "facility"})).status_code == 403
    assert client.get(reverse("api:list_facilities")).status_code == 403
