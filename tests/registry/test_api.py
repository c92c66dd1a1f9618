"""The registry API: session and token auth, one error shape, languages, CRUD for every kind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core import clock
from linli.core.models import ApiToken
from linli.core.roles import Role
from linli.core.tokens import issue_token
from linli.registry.kinds import KINDS
from linli.registry.models import Enterprise
from tests.core.world import World, api_json, fast_passwords, module_world  # noqa: F401
from tests.factories import MembershipFactory, UserFactory, credit_code

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with module_world(django_db_blocker) as built:
        yield built


@pytest.fixture
def world(db, shared_world) -> World:
    return shared_world


def send(client: Client, method: str, url: str, body: Any = None, **extra: Any):
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json", **extra)


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = api_json(response)
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    return body


def enterprise_payload(world: World, n: int = 1, **changes: Any) -> dict[str, Any]:
    return {
        "credit_code": credit_code(880000 + n),
        "name": f"API Enterprise {n} Ltd",
        "industry_code": "M7320",
        "registered_capital": "250.50",
        "founded_on": "2019-06-01",
        "headcount": 12,
        "building": world.a.records["building"].pk,
        "tags": ["high_tech", "small_micro"],
        "contact_phone": "13700001111",
        **changes,
    }


# --- Authentication -----------------------------------------------------------------------------


def test_session_auth_needs_the_csrf_token_for_writes(world) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.SUBDISTRICT_ADMIN])
    url = reverse("api:create_enterprise")

    assert client.get(reverse("api:list_enterprises")).status_code == 200
    refused = send(client, "post", url, enterprise_payload(world))
    body = assert_error_shape(refused, 403, "forbidden")
    assert "CSRF" in body["message"]

    client.get(reverse("home"))  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = send(client, "post", url, enterprise_payload(world), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_bearer_tokens_authenticate_without_csrf(world) -> None:
    _, key = issue_token(world.users[Role.SUBDISTRICT_ADMIN], world.a.subdistrict, "script")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")

    listed = client.get(reverse("api:list_enterprises"))
    created = send(client, "post", reverse("api:create_enterprise"), enterprise_payload(world))

    assert listed.status_code == 200
    assert created.status_code == 201
    with scopes_disabled():
        token = ApiToken.objects.get(name="script")
        assert token.last_used_at is not None
        assert key not in token.key_hash  # only the hash is kept


def test_a_token_acts_in_its_own_subdistrict_only(world) -> None:
    """An operator with roles in A and B: a token issued for B sees B, whatever the session."""
    with scopes_disabled():
        operator = UserFactory(username="operator")
        MembershipFactory(user=operator, subdistrict=world.a.subdistrict, role="subdistrict_admin")
        MembershipFactory(user=operator, subdistrict=world.b.subdistrict, role="leader")
    _, key = issue_token(operator, world.b.subdistrict, "b-only")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.force_login(operator)  # the session would be in A (first allowed)

    names = {i["name"] for i in api_json(client.get(reverse("api:list_enterprises")))["items"]}
    ours = world.a.records["enterprise"]

    assert names == {world.b.records["enterprise"].name}
    assert client.get(reverse("api:get_enterprise", kwargs={"pk": ours.pk})).status_code == 404
    # A leader in B may read but not write.
    assert_error_shape(
        send(client, "post", reverse("api:create_enterprise"), enterprise_payload(world)),
        403,
        "forbidden",
    )


@pytest.mark.parametrize("how", ["revoked", "unknown", "inactive user", "no prefix"])
def test_bad_tokens_are_401(world, how) -> None:
    user = world.users[Role.SUBDISTRICT_ADMIN]
    token, key = issue_token(user, world.a.subdistrict, "old")
    with scopes_disabled():
        if how == "revoked":
            ApiToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
        elif how == "unknown":
            key = key[:-4] + "AAAA"
        elif how == "inactive user":
            type(user).objects.filter(pk=user.pk).update(is_active=False)
        else:
            key = key[3:]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    body = assert_error_shape(client.get(reverse("api:list_facilities")), 401, "unauthenticated")
    assert body["fields"] == {}


def test_a_token_does_not_open_pages_or_the_admin(world) -> None:
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    _, key = issue_token(root, world.a.subdistrict, "root token")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    assert client.get(reverse("api:list_facilities")).status_code == 200
    page = client.get(reverse("registry:list", kwargs={"kind": "facility"}))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    assert client.get("/admin/").status_code == 302


# --- One error shape ----------------------------------------------------------------------------


def test_every_4xx_has_the_error_shape(world) -> None:
    admin = world.client(Role.SUBDISTRICT_ADMIN)
    resident = world.client(Role.RESIDENT)
    url = reverse("api:create_enterprise")

    assert_error_shape(Client().get(reverse("api:list_enterprises")), 401, "unauthenticated")
    assert_error_shape(send(resident, "post", url, enterprise_payload(world)), 403, "forbidden")
    assert_error_shape(resident.get(reverse("api:list_enterprises")), 403, "forbidden")
    assert_error_shape(
        admin.get(reverse("api:get_enterprise", kwargs={"pk": 999999})), 404, "not_found"
    )
    assert_error_shape(admin.get("/api/v1/registry/no-such-thing"), 404, "not_found")
    not_allowed = assert_error_shape(
        send(admin, "put", reverse("api:list_enterprises"), {}), 405, "method_not_allowed"
    )
    assert not_allowed["message"]
    assert_error_shape(
        admin.post(url, "{not json", content_type="application/json"), 400, "invalid"
    )
    assert_error_shape(
        admin.get(reverse("api:get_enterprise", kwargs={"pk": 1}).replace("/1", "/abc")),
        422,
        "invalid",
    )


def test_a_bad_credit_code_is_a_field_error(world) -> None:
    payload = enterprise_payload(world)
    good = payload["credit_code"]
    payload["credit_code"] = good[:17] + ("0" if good[17] != "0" else "1")

    response = send(
        world.client(Role.SUBDISTRICT_ADMIN), "post", reverse("api:create_enterprise"), payload
    )

    body = assert_error_shape(response, 400, "invalid")
    assert list(body["fields"]) == ["credit_code"]
    assert f"expected {good[17]}" in body["fields"]["credit_code"][0]
    with scopes_disabled():
        assert not Enterprise.objects.filter(name=payload["name"]).exists()


def test_an_unknown_foreign_key_is_a_field_error(world) -> None:
    payload = enterprise_payload(world, building=999999)
    response = send(
        world.client(Role.SUBDISTRICT_ADMIN), "post", reverse("api:create_enterprise"), payload
    )
    body = assert_error_shape(response, 400, "invalid")
    assert "building" in body["fields"]
    assert "valid choice" in body["fields"]["building"][0]


def test_missing_and_mistyped_fields_are_named(world) -> None:
    response = send(
        world.client(Role.SUBDISTRICT_ADMIN),
        "post",
        reverse("api:create_enterprise"),
        {"name": "Only a name", "headcount": "many"},
    )
    body = assert_error_shape(response, 422, "invalid")
    assert {"credit_code", "industry_code", "registered_capital", "founded_on", "headcount"} <= set(
        body["fields"]
    )
    assert body["fields"]["credit_code"] == ["This field is required."]


def test_a_duplicate_credit_code_is_refused(world) -> None:
    existing = world.a.records["enterprise"]
    payload = enterprise_payload(world, credit_code=existing.credit_code)
    response = send(
        world.client(Role.SUBDISTRICT_ADMIN), "post", reverse("api:create_enterprise"), payload
    )
    body = assert_error_shape(response, 400, "invalid")
    assert body["fields"] == {
        "credit_code": ["This Unified Social Credit Code is already used in this sub-district."]
    }


def test_a_protected_delete_is_refused_with_a_message(world) -> None:
    building = world.a.records["building"]
    response = world.client(Role.SUBDISTRICT_ADMIN).delete(
        reverse("api:delete_building", kwargs={"pk": building.pk})
    )
    body = assert_error_shape(response, 400, "invalid")
    assert world.a.records["enterprise"].name in body["message"]
    with scopes_disabled():
        assert type(building).objects.filter(pk=building.pk).exists()


# --- Languages ----------------------------------------------------------------------------------


def test_errors_come_in_chinese_when_asked(world) -> None:
    client = world.client(Role.SUBDISTRICT_ADMIN)
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

    fk = send(
        client,
        "post",
        reverse("api:create_enterprise"),
        enterprise_payload(world, building=999999),
        **zh,
    )
    missing = send(client, "post", reverse("api:create_enterprise"), {"name": "x"}, **zh)

    assert "选择一个有效的选项" in api_json(fk)["fields"]["building"][0]
    assert api_json(missing)["fields"]["credit_code"] == ["这个字段是必填项。"]
    # Our own messages: only the shape is checked until the catalogue is written.
    assert_error_shape(Client().get(reverse("api:list_facilities"), **zh), 401, "unauthenticated")


# --- CRUD round trip for every kind -------------------------------------------------------------


def payloads(world: World) -> dict[str, tuple[dict, dict]]:
    """Per kind: a full create payload and a partial change (one of them a foreign key)."""
    a = world.a.records
    return {
        "organisation": (
            {
                "kind": "committee",
                "code": "RT-ORG",
                "name": "Round-trip committee",
                "parent": a["organisation"].pk,
                "phone": "021-62470000",
                "address": "8 Changde Road",
            },
            {"name": "Renamed committee", "parent": None},
        ),
        "grid": (
            {
                "code": "RT-G",
                "name": "Round-trip grid",
                "polygon": {
                    "type": "Polygon",
                    "coordinates": [
                        [[121.45, 31.23], [121.46, 31.23], [121.46, 31.24], [121.45, 31.23]]
                    ],
                },
                "organisation": a["organisation"].pk,
            },
            {"organisation": None},
        ),
        "quarter": (
            {
                "code": "RT-Q",
                "name": "Round-trip quarter",
                "address": "100 Xikang Road",
                "entrances": [[121.451, 31.232], [121.452, 31.233]],
                "households": 320,
                "population": 800,
                "over_60": 250,
                "built_year": 1995,
                "committee": a["organisation"].pk,
                "grid": a["grid"].pk,
            },
            {"population": 810, "grid_id": None},
        ),
        "building": (
            {
                "code": "RT-B",
                "name": "Round-trip tower",
                "kind": "park",
                "address": "1 Jiangning Road",
                "lon": 121.455,
                "lat": 31.236,
                "floors": 20,
                "floor_area_m2": "35000.5",
                "vacant_area_m2": "1200.0",
                "rent_per_m2_day": "8.50",
                "grid": a["grid"].pk,
            },
            {"floors": 22, "grid": None},
        ),
        "enterprise": (
            {**enterprise_payload(world, 2), "butler": world.users[Role.BUTLER].pk},
            {"headcount": 15, "building_id": world.a.spare["building"].pk},
        ),
        "facility": (
            {
                "code": "RT-F",
                "name": "Round-trip health station",
                "category": "health_station",
                "address": "2 Xinzha Road",
                "entrances": [[121.453, 31.235]],
                "capacity": 30,
                "capacity_unit": "beds",
                "opening_hours": "08:00-17:00",
                "quarter": a["quarter"].pk,
            },
            {"capacity": 35, "quarter": None},
        ),
    }


def normalised(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


@pytest.mark.parametrize("kind", KINDS)
def test_crud_round_trip(world, kind) -> None:
    client = world.client(Role.SUBDISTRICT_ADMIN)
    plural = KINDS[kind].plural
    create, change = payloads(world)[kind]

    created = send(client, "post", reverse(f"api:create_{kind}"), create)
    assert created.status_code == 201, created.content
    body = api_json(created)
    pk = body["id"]
    expected = {k: v for k, v in create.items() if k != "contact_phone"}
    assert {k: normalised(body[k]) for k in expected} == {
        k: normalised(v) for k, v in expected.items()
    }

    url = reverse(f"api:get_{kind}", kwargs={"pk": pk})
    assert api_json(client.get(url)) == body
    listed = api_json(client.get(reverse(f"api:list_{plural}"), {"q": create["name"]}))
    assert [item["id"] for item in listed["items"]] == [pk]

    patched = send(client, "patch", url, change)
    assert patched.status_code == 200, patched.content
    after = api_json(patched)
    for key, value in change.items():
        assert normalised(after[key.removesuffix("_id")]) == normalised(value), key
    untouched = set(body) - {k.removesuffix("_id") for k in change}
    assert {k: after[k] for k in untouched} == {k: body[k] for k in untouched}

    assert client.delete(url).status_code == 204
    assert_error_shape(client.get(url), 404, "not_found")


def test_enterprise_contact_is_written_encrypted_and_read_masked(world) -> None:
    client = world.client(Role.SUBDISTRICT_ADMIN)
    body = api_json(
        send(client, "post", reverse("api:create_enterprise"), enterprise_payload(world, 3))
    )
    assert body["contact_phone"] == "137****1111"
    with scopes_disabled():
        assert Enterprise.objects.get(pk=body["id"]).contact_phone == "13700001111"
    bad = send(
        client,
        "patch",
        reverse("api:update_enterprise", kwargs={"pk": body["id"]}),
        {"contact_phone": "123"},
    )
    assert "contact_phone" in assert_error_shape(bad, 400, "invalid")["fields"]


def test_lists_page_and_filter(world) -> None:
    client = world.client(Role.SUBDISTRICT_ADMIN)
    url = reverse("api:list_facilities")

    first = api_json(client.get(url, {"page_size": 1}))
    second = api_json(client.get(url, {"page_size": 1, "page": 2}))
    beyond = api_json(client.get(url, {"page_size": 1, "page": 99}))

    assert first["count"] == second["count"] == 2
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert beyond["items"] == []
    parks = api_json(client.get(url, {"category": "park"}))
    assert parks["count"] == 0
    by_quarter = api_json(client.get(url, {"quarter": world.a.records["quarter"].pk}))
    assert [i["id"] for i in by_quarter["items"]] == [world.a.records["facility"].pk]
