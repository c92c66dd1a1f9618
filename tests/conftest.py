"""Shared fixtures: sub-districts, people in every role, and an active tenant scope."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from tests.factories import MembershipFactory, SubdistrictFactory, UserFactory

PASSWORD = "correct-horse-battery"  # noqa: S105


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    has_chromium = shutil.which("chromium") or os.path.exists("/usr/bin/chromium")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (CI does)"
                )
            )
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(
                pytest.mark.skip(reason="needs Chromium: apt-get install chromium (CI does)")
            )


@pytest.fixture(autouse=True)
def _english_by_default(settings) -> None:
    """Tests read messages in English unless they ask for Chinese explicitly."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Argon2 costs ~0.1 s a hash; only the tests about hashing itself switch it back."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture
def subdistrict(db):
    return SubdistrictFactory(code="310106013", name="Demo Street")


@pytest.fixture
def other_subdistrict(db):
    return SubdistrictFactory(code="310106014", name="Other Street")


@pytest.fixture
def in_scope(subdistrict) -> Iterator[None]:
    with scope(subdistrict=subdistrict):
        yield


@pytest.fixture
def make_user(db):
    """make_user(role, subdistrict, **links) -> a user holding that role there."""

    def make(role: str, subdistrict, username: str | None = None, **links):
        user = UserFactory(username=username) if username else UserFactory()
        with scopes_disabled():
            MembershipFactory(user=user, subdistrict=subdistrict, role=role, **links)
        return user

    return make


@pytest.fixture
def client_for():
    """client_for(user) -> a logged-in test client."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
