"""PII scan: no meals page shows a resident's ID or mobile number, in full or masked, to any
role (the meals pages need neither), nor a hardship status to anyone who may not see
sensitive tags."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.http import HttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from linli.core.pii import mask_mobile, mask_resident_id
from linli.core.roles import ADMINS
from tests.core.matrix import populated_world
from tests.core.world import COLUMNS, World
from tests.meals.permission_rows import DINER_ID, DINER_MOBILE, ENDPOINTS


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


def reads(world: World) -> Iterator[str]:
    for row in ENDPOINTS:
        if row.method == "GET":
            yield row.url(world, "")
    diner = world.extra["meals"]["diner"]
    order = reverse("meals:order")
    yield f"{order}?q=Diner"
    yield f"{order}?person={diner.pk}"
    yield reverse("people:person", args=[diner.pk])  # with the meals timeline


def text_of(response: HttpResponse) -> str:
    """A page's text, or every cell of an Excel export."""
    if not response["Content-Type"].startswith("application/vnd.openxmlformats"):
        return response.content.decode()
    book = load_workbook(io.BytesIO(response.content))
    return " ".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )


@pytest.mark.parametrize("who", COLUMNS)
def test_no_meals_surface_shows_an_id_or_mobile(db, world: World, who: str) -> None:
    client = world.client(who)
    diner = world.extra["meals"]["diner"]
    for url in reads(world):
        text = text_of(client.get(url))
        assert DINER_ID not in text and DINER_MOBILE not in text, f"{who}: {url}"
        if not url.startswith(reverse("people:person", args=[diner.pk])):
            masked = (mask_resident_id(DINER_ID), mask_mobile(DINER_MOBILE))
            assert not any(m in text for m in masked), f"{who} sees a masked number in {url}"
        if who not in ADMINS:
            assert "yuan, subsidy" not in text, f"{who} sees a subsidy in {url}"
