"""What every app's demo steps build on: the step type, the per-step random stream, the check that
a step's rows are there, the demo accounts' shared plumbing and the reader of demo data files.

An app takes part in the demo with a ``demo`` module (or package) next to its models that
declares ``STEPS``, a tuple of ``DemoStep``. ``linli.demo`` finds them through the installed
apps and runs them in the order their ``after`` names give; nothing here knows any app.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import yaml
from django.contrib.auth.hashers import make_password
from django_scopes import scope

from linli.core.models import Subdistrict, TenantModel, User

DEMO_PASSWORD = "linli-demo-2026"  # noqa: S105 - printed for everyone on purpose: demo only
# Accounts the demo may take over are recognised by this reserved domain (RFC 2606), so a real
# account that happens to be called "admin" is never touched.
DEMO_EMAIL_DOMAIN = "demo.linli.example"


class DemoConflict(Exception):
    """The database holds real data where the demo would write (a code or a username)."""


class _Home(Protocol):
    @property
    def code(self) -> str: ...


class _Scoped(Protocol):
    @property
    def subdistrict(self) -> Subdistrict: ...


Context = TypeVar("Context")


@dataclass(frozen=True)
class DemoStep(Generic[Context]):
    """One part of the demo of one sub-district.

    ``load(ctx)`` writes the rows and returns how many; ``loaded(ctx)`` says whether they are
    there already, so loading twice adds nothing and a database loaded before the step existed
    gets just this step. ``after`` names the steps that load first, as ``"<app label>.<step
    name>"``. ``accounts`` are the usernames of accounts the step creates that the summary of a
    load lists next to the planned ones.
    """

    name: str
    load: Callable[[Context], int]
    loaded: Callable[[Context], bool]
    after: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()


def demo_rng(seed: int, home: _Home, part: str) -> random.Random:
    """The random stream of one part of one home's demo.

    A string seed is hashed with SHA-512, so the stream does not depend on PYTHONHASHSEED; one
    stream per home and part keeps each part's data independent of the others. A step takes its
    randomness only from here (``ctx.rng("<part>")``), so its data is the same on every load,
    whatever other steps do.
    """
    return random.Random(f"{seed}:{home.code}:{part}")  # noqa: S311 - not a secret


def present(model: type[TenantModel], **filters: Any) -> Callable[[_Scoped], bool]:
    """A ``loaded`` check: the sub-district has a row of ``model`` (matching ``filters``)."""

    def check(ctx: _Scoped) -> bool:
        return model.objects.filter(subdistrict=ctx.subdistrict, **filters).exists()

    return check


_InHome = TypeVar("_InHome", bound=_Scoped)


def in_home(load: Callable[[_InHome], int]) -> Callable[[_InHome], int]:
    """A loader that reads only its own home: the demo loads every home with scopes disabled,
    so a query that forgets ``subdistrict=`` would pick rows of another home; inside this
    scope such a query sees this home alone."""

    def scoped(ctx: _InHome) -> int:
        with scope(subdistrict=ctx.subdistrict):
            return load(ctx)

    return scoped


@cache
def password_hash() -> str:
    # Argon2 is slow on purpose; one hash serves every demo account.
    return make_password(DEMO_PASSWORD)


def demo_account(username: str, subdistrict: Subdistrict) -> User:
    """The demo account ``username`` (unsaved): a new one, or one an earlier load left, with the
    demo e-mail address and password. Refuses to take over an account that is not the demo's."""
    user = User.objects.filter(username=username).first()
    if user is not None and not user.email.endswith("@" + DEMO_EMAIL_DOMAIN):
        raise DemoConflict(
            f"user {username!r} exists and is not a demo account; "
            "load the demo into another database"
        )
    if user is None:
        user = User(username=username, home_subdistrict=subdistrict)
    user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
    user.password = password_hash()
    user.is_active = True
    return user


def read_yaml(path: Path) -> Any:
    """A demo data file: YAML read with the safe loader (plain lists, dicts, text, numbers)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=loader)  # noqa: S506 - a safe loader


def read_csv(path: Path) -> list[dict[str, str]]:
    """A tabular demo data file: one dict per row, keyed by the header."""
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))
