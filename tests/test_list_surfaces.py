"""For every list and every role: the page, the API and the Excel export show the same rows
for the same filters (see ``tests/core/lists.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.core.lists import (
    DENIED,
    Surfaces,
    _params,
    api_keys,
    contributed_lists,
    export_keys,
    page_keys,
)
from tests.core.matrix import populated_world
from tests.core.world import COLUMNS, World

LISTS = contributed_lists()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with populated_world(django_db_blocker) as built:
        yield built


def test_lists_are_declared() -> None:
    names = {surfaces.name for surfaces in LISTS}
    assert {"enterprises", "buildings", "facilities"} <= names


@pytest.mark.parametrize("surfaces", LISTS, ids=lambda s: s.name)
def test_page_api_and_export_show_the_same_rows(world: World, surfaces: Surfaces, db) -> None:
    wrong = []
    for who in COLUMNS:
        if who in surfaces.skip:
            continue
        client = world.client(who)
        for filters in surfaces.filters:
            params = _params(world, filters)
            seen = {
                "page": page_keys(client, surfaces.page(world), params),
                "api": api_keys(client, surfaces.api(world), params, surfaces.key),
            }
            if surfaces.export is not None:
                seen["export"] = export_keys(
                    client, surfaces.export(world), params, surfaces.export_column
                )
            if len({frozenset(v) if v != DENIED else DENIED for v in seen.values()}) > 1:
                wrong.append(f"{who} {params}: {seen}")
    assert not wrong, "\n".join(wrong)
