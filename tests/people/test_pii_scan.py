"""PII scan: no page or API answer of any role shows a resident's ID or mobile number in full;
those who may read a person see them masked. The one way to the full value is the audited
unmask endpoint."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core.models import AuditEntry
from linli.core.pii import mask_mobile, mask_resident_id
from linli.core.roles import Role
from tests.core.matrix import populated_world
from tests.core.world import COLUMNS, World
from tests.people.permission_rows import ENDPOINTS, NUMBERS


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


def reads(world: World) -> Iterator[tuple[str, dict[str, str] | None]]:
    """Every page and API read of the app, and the searches that find by the full numbers
    (posted on the page, so that the numbers stay out of its address)."""
    for row in ENDPOINTS:
        if row.method == "GET":
            yield row.url(world, ""), None
    number, mobile = NUMBERS["in_grid"]
    api = reverse("api:people_persons")
    for search in ({"resident_id": number}, {"mobile": mobile}, {"address": "5号楼"}):
        yield reverse("people:search"), search
        yield api + "?" + urlencode(search), None
    # The forms that pick a person by a whole ID number show what they find masked.
    kept = world.extra["people"]["in_grid"]
    other = NUMBERS["elsewhere"][0]
    yield reverse("people:merge", kwargs={"pk": kept.pk}), {"find": "1", "find_id": other}
    dwelling = reverse("people:move_here", kwargs={"pk": kept.dwelling_id})
    yield dwelling, {"find": "1", "find_id": number}


@pytest.mark.parametrize("who", COLUMNS)
def test_no_surface_shows_a_full_id_or_mobile(db, world: World, who: str) -> None:
    client = world.client(who)
    shown_masked = False
    for url, posted in reads(world):
        response = client.get(url) if posted is None else client.post(url, posted)
        text = response.content.decode()
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
        for number, mobile in NUMBERS.values():
            assert number not in text, f"{who} sees a full ID number in {url}"
            assert mobile not in text, f"{who} sees a full mobile number in {url}"
            shown_masked |= mask_resident_id(number) in text and mask_mobile(mobile) in text
    # Those who read persons of A see the numbers masked; B's administrator sees none of A.
    reader = who in (Role.PLATFORM_ADMIN, Role.SUBDISTRICT_ADMIN, Role.GRID_WORKER, Role.RESIDENT)
    assert shown_masked == reader


def test_unmasking_shows_the_number_and_is_audited(db, world: World) -> None:
    person = world.extra["people"]["in_grid"]
    client = world.client(Role.GRID_WORKER)
    url = reverse("people:unmask", kwargs={"pk": person.pk, "kind": "phone"})
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.content.decode() == NUMBERS["in_grid"][1]
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="core.personal_data.unmask", object_id=str(person.pk))
    assert entry.actor == world.users[Role.GRID_WORKER] and entry.note == "person.phone"
    assert NUMBERS["in_grid"][1] not in json.dumps([entry.before, entry.after, entry.note])
