"""Building blocks of the permission matrix (tests/registry/test_permissions.py).

An ``Endpoint`` is one row: a URL name, a method, how to build the URL (and body) from the
shared ``World``, and the status each column expects. Columns are the 11 roles, ``anonymous``
and ``other`` (an administrator of sub-district B acting on A's records).

Other apps add their rows without touching the registry's test: a module
``tests/<app label>/permission_rows.py`` defining ``ENDPOINTS: list[Endpoint]`` and, if its
rows need records of their own, ``populate(world: World) -> None`` that creates them (in A and
B, keeping them in ``world.extra``). They are picked up by ``contributed_rows()``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import reverse
from django_scopes import scopes_disabled

from linli.core.roles import ADMINS, EVERYONE, STAFF, Role
from tests.core.world import ANONYMOUS, OTHER, ROLES, World, module_world

__all__ = [
    "ADMINS",
    "EVERYONE",
    "STAFF",
    "Data",
    "Endpoint",
    "Url",
    "contributed_rows",
    "everyone",
    "fixed",
    "statuses",
]

BM = Role.BUILDING_MANAGER
EM = Role.ENTERPRISE_MEMBER

Url = Callable[[World, str], str]
Data = Callable[[World, str], Any]


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL pattern name, as reverse() knows it
    method: str
    url: Url
    expect: dict[str, int]
    kind: str = ""  # the registry kind, for URLs that exist once per kind
    data: Data | None = None
    json: bool = False  # send ``data`` as a JSON body (else as a form)
    files: Data | None = None  # multipart files, merged with ``data``

    @property
    def id(self) -> str:
        return f"{self.name}[{self.kind}]" if self.kind else self.name


def statuses(
    allowed: Iterable[str] = EVERYONE,
    ok: int = 200,
    *,
    denied: int = 403,
    anonymous: int = 302,
    other: int | None = None,
) -> dict[str, int]:
    """Expected status per column: ``ok`` for the allowed roles, ``denied`` for the rest;
    ``other`` (B's administrator) gets ``ok`` unless told otherwise."""
    allowed = set(allowed)
    table = {role: ok if role in allowed else denied for role in ROLES}
    table[ANONYMOUS] = anonymous
    table[OTHER] = ok if other is None else other
    return table


def everyone(status: int, *, anonymous: int | None = None, other: int | None = None) -> dict:
    """The same status for every column (public pages)."""
    return statuses(
        EVERYONE,
        status,
        anonymous=status if anonymous is None else anonymous,
        other=status if other is None else other,
    )


def fixed(name: str, **kwargs: Any) -> Url:
    return lambda world, who: reverse(name, kwargs=kwargs or None)


def contributed_rows() -> tuple[list[Endpoint], list[Callable[[World], None]]]:
    """Rows and world populators from ``tests/<app>/permission_rows.py`` of each linli app."""
    rows: list[Endpoint] = []
    populators: list[Callable[[World], None]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("linli."):
            continue
        try:
            module = importlib.import_module(f"tests.{config.label}.permission_rows")
        except ModuleNotFoundError as exc:
            if exc.name in (f"tests.{config.label}", f"tests.{config.label}.permission_rows"):
                continue  # the app contributes no rows
            raise
        rows += list(module.ENDPOINTS)
        if hasattr(module, "populate"):
            populators.append(module.populate)
    return rows, populators


@contextmanager
def populated_world(django_db_blocker: Any) -> Iterator[World]:
    """The permission world (``module_world``) with every app's records added to it."""
    _, populators = contributed_rows()
    with module_world(django_db_blocker) as built:
        for populate in populators:
            with scopes_disabled():
                populate(built)
        yield built
