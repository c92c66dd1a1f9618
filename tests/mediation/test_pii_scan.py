"""PII scan: no mediation page, PDF or export of any role shows a party's phone in full; those
who see the case see it masked."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from linli.core.pii import mask_mobile
from linli.core.roles import ADMINS, Role
from tests.core.matrix import populated_world
from tests.core.world import COLUMNS, World
from tests.mediation.permission_rows import ENDPOINTS, PHONES
from tests.mediation.test_lifecycle import pdf_text


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


def text_of(response) -> str:
    kind = response.get("Content-Type", "")
    if "spreadsheet" in kind:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    if "pdf" in kind:
        return pdf_text(response.content)
    if kind.startswith("image/"):
        return ""
    return response.content.decode()


@pytest.mark.parametrize("who", COLUMNS)
def test_no_surface_shows_a_full_phone(db, world: World, who: str) -> None:
    client = world.client(who)
    shown_masked = False
    for row in ENDPOINTS:
        if row.method != "GET":
            continue
        url = row.url(world, who)
        text = text_of(client.get(url))
        for phone in PHONES:
            assert phone not in text, f"{who} sees a full phone in {url}"
            shown_masked |= mask_mobile(phone) in text
    assert shown_masked == (who in ADMINS | {Role.HANDLER})
