"""Personal data: validation, masking, encryption at rest, keyed look-up and audited unmasking."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from linli.core.access import Access
from linli.core.models import AuditEntry
from linli.core.personal_data import REGISTER
from linli.core.pii import (
    decrypt,
    encrypt,
    lookup_hash,
    mask_mobile,
    mask_resident_id,
    resident_id_check_digit,
    validate_mobile,
    validate_resident_id,
)
from linli.core.roles import Role
from linli.registry.models import Enterprise
from linli.registry.rules import can_view
from linli.registry.services import save_record
from tests.core.world import PHONE_A, ROLES, World, api_json, module_world
from tests.factories import credit_code


def resident_id(first17: str) -> str:
    return first17 + resident_id_check_digit(first17)


# --- GB 11643 resident ID numbers -------------------------------------------------------------


@pytest.mark.parametrize("first17", ["11010519491231002", "31010119900307123", "44030420000229456"])
def test_valid_resident_ids_pass(first17) -> None:
    number = resident_id(first17)
    assert validate_resident_id(number) == number
    assert validate_resident_id(f" {number[:6]} {number[6:]} ") == number


def test_the_check_digit_follows_iso_7064() -> None:
    # The example printed in GB 11643-1999 itself.
    assert resident_id_check_digit("11010519491231002") == "X"


def test_a_lowercase_x_is_accepted_and_normalised() -> None:
    number = resident_id("11010519491231002")
    assert number.endswith("X")
    assert validate_resident_id(number.lower()) == number


def test_a_wrong_check_digit_is_refused() -> None:
    number = resident_id("31010119900307123")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(wrong)
    assert exc.value.code == "check_digit"


@pytest.mark.parametrize("birth", ["19900230", "19901301", "20230229", "19900000"])
def test_an_impossible_birth_date_is_refused(birth) -> None:
    number = resident_id(f"310101{birth}123")
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(number)
    assert exc.value.code == "birth_date"


@pytest.mark.parametrize(
    "value", ["", "3101011990030712", "3101011990030712345", "31010119900307123Y", "ABC"]
)
def test_malformed_resident_ids_are_refused(value) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(value)
    assert exc.value.code == "format"


# --- Mobile numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("199 0000 1111", "19900001111"),
    ],
)
def test_valid_mobiles_are_normalised(value, normal) -> None:
    assert validate_mobile(value) == normal


@pytest.mark.parametrize(
    "value", ["12812345678", "1381234567", "138123456789", "23812345678", "021-62471234", "x"]
)
def test_invalid_mobiles_are_refused(value) -> None:
    with pytest.raises(ValidationError):
        validate_mobile(value)


# --- Masking ------------------------------------------------------------------------------------


def test_masks() -> None:
    assert mask_resident_id("310101199003071234") == "3101**********1234"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("") == mask_resident_id("") == ""


# --- Encryption and look-up hash ----------------------------------------------------------------


def test_encryption_round_trip_and_no_plaintext_in_the_token() -> None:
    token = encrypt(PHONE_A)
    assert token != PHONE_A and PHONE_A not in token
    assert decrypt(token) == PHONE_A
    assert encrypt(PHONE_A) != token  # random IV: equal values do not give equal tokens
    assert encrypt("") == decrypt("") == ""


def test_a_token_cannot_be_read_with_another_key(settings) -> None:
    token = encrypt(PHONE_A)
    settings.FIELD_ENCRYPTION_KEY = "another-key-of-at-least-thirty-two-characters"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        decrypt(token)


def test_the_lookup_hash_is_stable_and_keyed(settings) -> None:
    first = lookup_hash(PHONE_A)
    assert first == lookup_hash(PHONE_A)
    assert first != lookup_hash("13812345679")
    assert PHONE_A not in first
    settings.FIELD_ENCRYPTION_KEY = "another-key-of-at-least-thirty-two-characters"
    assert lookup_hash(PHONE_A) != first


def test_the_database_holds_no_plaintext_phone(subdistrict, make_user) -> None:
    admin = make_user("subdistrict_admin", subdistrict)
    actor = Access.for_user(admin, subdistrict)
    data = {
        "credit_code": credit_code(4242),
        "name": "Cipher Ltd",
        "industry_code": "I6510",
        "registered_capital": "10",
        "founded_on": "2020-01-01",
        "headcount": "3",
        "status": "active",
        "contact_phone": "+86 138 1234 5678",
    }
    with scopes_disabled():
        record = save_record(actor, "enterprise", data)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM registry_enterprise WHERE id = %s", [record.pk])
            row = cursor.fetchone()
        assert not any(PHONE_A in str(value) for value in row)
        record.refresh_from_db()
        assert record.contact_phone == PHONE_A
        assert Enterprise.objects.get(contact_phone_hash=lookup_hash(PHONE_A)) == record
        # Nor does the audit trail of that write.
        entry = AuditEntry.objects.get(
            action="registry.enterprise.create", object_id=str(record.pk)
        )
        assert PHONE_A not in json.dumps(entry.after)


def test_the_enterprise_contact_is_in_the_register() -> None:
    field = REGISTER["enterprise.phone"]
    assert field.model is Enterprise
    assert field.kind == "phone"
    assert str(field.purpose) and str(field.retention)


# --- Unmasking ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with module_world(django_db_blocker) as built:
        yield built


@pytest.fixture
def world(db, shared_world) -> World:
    return shared_world


def unmask_url(enterprise) -> str:
    return reverse("unmask", kwargs={"model": "enterprise", "kind": "phone", "pk": enterprise.pk})


def unmask_entries(world: World) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="core.personal_data.unmask"))


MAY_UNMASK_ANY = {Role.PLATFORM_ADMIN, Role.SUBDISTRICT_ADMIN, Role.HANDLER, Role.WINDOW_STAFF}


@pytest.mark.parametrize("role", sorted(MAY_UNMASK_ANY | {Role.BUTLER, Role.ENTERPRISE_MEMBER}))
def test_allowed_roles_unmask_and_each_unmasking_is_audited(world, role) -> None:
    enterprise = world.a.records["enterprise"]
    client = world.client(role)

    response = client.post(unmask_url(enterprise))
    again = client.post(unmask_url(enterprise), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.json() == {"value": PHONE_A}
    assert again.text == PHONE_A  # htmx swaps the plain value into the page
    entries = unmask_entries(world)
    assert len(entries) == 2
    entry = entries[0]
    assert entry.actor == world.users[role]
    assert entry.subdistrict == world.a.subdistrict
    assert (entry.object_type, entry.object_id) == ("registry.enterprise", str(enterprise.pk))
    assert entry.note == "enterprise.phone"
    assert PHONE_A not in f"{entry.before}{entry.after}{entry.note}"


@pytest.mark.parametrize(
    "role",
    sorted(set(ROLES) - MAY_UNMASK_ANY - {Role.BUTLER, Role.ENTERPRISE_MEMBER}),
)
def test_other_roles_may_not_unmask_and_nothing_is_audited(world, role) -> None:
    response = world.client(role).post(unmask_url(world.a.records["enterprise"]))

    assert response.status_code == 403
    assert PHONE_A not in response.text
    assert unmask_entries(world) == []


@pytest.mark.parametrize("role", [Role.BUTLER, Role.ENTERPRISE_MEMBER])
def test_butlers_and_members_unmask_only_their_own_enterprise(world, role) -> None:
    with scopes_disabled():
        Enterprise.objects.filter(pk=world.a.spare["enterprise"].pk).update(
            contact_phone_cipher=encrypt("13900000000")
        )
    response = world.client(role).post(unmask_url(world.a.spare["enterprise"]))

    assert response.status_code == 403
    assert "13900000000" not in response.text
    assert unmask_entries(world) == []


def test_unmask_needs_post_and_a_registered_field(world) -> None:
    client = world.client(Role.SUBDISTRICT_ADMIN)
    enterprise = world.a.records["enterprise"]
    assert client.get(unmask_url(enterprise)).status_code == 405
    bogus = reverse("unmask", kwargs={"model": "enterprise", "kind": "ssn", "pk": enterprise.pk})
    assert client.post(bogus).status_code == 404
    other = world.b.records["enterprise"]
    assert client.post(unmask_url(other)).status_code == 404
    assert unmask_entries(world) == []


# --- The scan: no full phone number in any page or response, for any role ----------------------


def enterprise_responses(world: World, role: str) -> Iterator[tuple[str, bytes]]:
    client = world.client(role)
    enterprise = world.a.records["enterprise"]
    urls = ["/", reverse("inbox"), reverse("audit_log")]
    if can_view(Access.for_user(world.users[role], world.a.subdistrict), "enterprise"):
        urls += [
            reverse("registry:list", kwargs={"kind": "enterprise"}),
            reverse("registry:detail", kwargs={"kind": "enterprise", "pk": enterprise.pk}),
            reverse("registry:edit", kwargs={"kind": "enterprise", "pk": enterprise.pk}),
            reverse("registry:export", kwargs={"kind": "enterprise"}) + "?format=csv",
            reverse("api:list_enterprises"),
            reverse("api:get_enterprise", kwargs={"pk": enterprise.pk}),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403), url
        yield url, response.content
    xlsx = client.get(reverse("registry:export", kwargs={"kind": "enterprise"}) + "?format=xlsx")
    if xlsx.status_code == 200:
        book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
        cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
        yield "export.xlsx", "\n".join(cells).encode()


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_response_shows_a_full_phone_number(world, role) -> None:
    seen_masked = False
    for url, content in enterprise_responses(world, role):
        text = content.decode("utf-8", errors="replace")
        assert PHONE_A not in text, f"{role} sees the full contact mobile in {url}"
        seen_masked |= "138****5678" in text
    # Those who read the enterprise see that a contact exists, masked.
    reader = can_view(Access.for_user(world.users[role], world.a.subdistrict), "enterprise")
    assert seen_masked == reader


def test_the_api_shows_the_contact_masked(world) -> None:
    client = world.client(Role.SUBDISTRICT_ADMIN)
    enterprise = world.a.records["enterprise"]
    body = api_json(client.get(reverse("api:get_enterprise", kwargs={"pk": enterprise.pk})))
    assert body["contact_phone"] == "138****5678"


def test_exports_carry_no_contact_mobile_column(world) -> None:
    """Exports leave the audited unmask view behind, so they carry no phone at all."""
    client = world.client(Role.SUBDISTRICT_ADMIN)
    csv = client.get(reverse("registry:export", kwargs={"kind": "enterprise"}) + "?format=csv")
    header = csv.content.decode("utf-8-sig").splitlines()[0]
    assert "phone" not in header
    assert "138****5678" not in csv.content.decode("utf-8-sig")
