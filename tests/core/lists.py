"""The same list on every surface: a page, its API endpoint and its Excel export return the same
rows for the same person and the same filters (one read path, one filter definition).

An app declares its lists in ``tests/<app>/list_rows.py`` as ``LISTS = [Surfaces(...)]``; the
one parametrised test in ``tests/test_list_surfaces.py`` runs each of them for every role of the
permission world (``tests/core/world.py``), with the world populated by the apps'
``permission_rows.populate``.

How a row is recognised on each surface:
- page: each row carries ``data-key="<key>"`` (the page is followed through its pages);
- API: each item's ``key`` field (``items`` of a page object, or a plain list; followed
  through ``page``);
- Excel: the column headed ``export_column`` on the first sheet.
A surface the person may not use counts as "no rows" only if every surface refuses them.
"""

from __future__ import annotations

import importlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.test import Client
from openpyxl import load_workbook

from tests.core.world import World

Url = Callable[[World], str]
DENIED = "denied"
KEY = re.compile(r'data-key="([^"]+)"')


@dataclass(frozen=True)
class Surfaces:
    name: str
    page: Url
    api: Url
    export: Url | None = None
    key: str = "id"
    export_column: str = "id"
    # Query parameter sets to try, each on all three surfaces.
    filters: tuple[dict[str, Any] | Callable[[World], dict[str, Any]], ...] = ({},)
    # Roles not to try (for a list that only staff could ever reach, say).
    skip: frozenset[str] = field(default_factory=frozenset)


def _params(world: World, params: Any) -> dict[str, Any]:
    return params(world) if callable(params) else dict(params)


def page_keys(client: Client, url: str, params: dict[str, Any]) -> set[str] | str:
    found: set[str] = set()
    for number in range(1, 200):
        response = client.get(url, {**params, "page": number})
        if response.status_code != 200:
            return DENIED if number == 1 else found
        keys = set(KEY.findall(response.content.decode()))
        if not keys - found:
            return found
        found |= keys
    raise AssertionError(f"{url}: more than 200 pages")


def api_keys(client: Client, url: str, params: dict[str, Any], key: str) -> set[str] | str:
    found: set[str] = set()
    for number in range(1, 200):
        response = client.get(url, {**params, "page": number, "page_size": 200})
        if response.status_code != 200:
            return DENIED if number == 1 else found
        body = response.json()
        items = body["items"] if isinstance(body, dict) else body
        keys = {str(item[key]) for item in items}
        if not keys - found:
            return found
        found |= keys
        if isinstance(body, list):
            return found
    raise AssertionError(f"{url}: more than 200 pages")


def table_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The table of a sheet: the rows after the lines that describe the export (its filters,
    when computed), which end with an empty row; the whole sheet when it has none."""
    for i, row in enumerate(rows):
        if all(value is None for value in row):
            return rows[i + 1 :]
    return rows


def export_keys(client: Client, url: str, params: dict[str, Any], column: str) -> set[str] | str:
    response = client.get(url, params)
    if response.status_code != 200:
        return DENIED
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = table_rows(list(sheet.iter_rows(values_only=True)))
    if not rows:
        return set()
    index = list(rows[0]).index(column)
    return {str(row[index]) for row in rows[1:] if row[index] is not None}


def contributed_lists() -> list[Surfaces]:
    lists: list[Surfaces] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("linli."):
            continue
        try:
            module = importlib.import_module(f"tests.{config.label}.list_rows")
        except ModuleNotFoundError as exc:
            if exc.name in (f"tests.{config.label}", f"tests.{config.label}.list_rows"):
                continue
            raise
        lists += list(module.LISTS)
    return lists
