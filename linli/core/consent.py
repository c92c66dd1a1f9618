"""Purposes that need a person's consent, and whether they still have it.

An app registers each purpose it processes personal data for on consent (in its
``data_rights.py``); the processing asks ``withdrawn_user_ids`` (or sends through
``core.messaging.contact_after_commit``) before it runs, so a withdrawal stops it. A person
sees and changes their answers on the "My data" page (``core.services.set_consent``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django_scopes import scopes_disabled

from linli.core.models import Consent, Subdistrict, User


@dataclass(frozen=True)
class Purpose:
    """``given_by_default``: the answer of a person who has not said otherwise, for a purpose
    whose consent is given by the act that starts it (leaving a contact to be told about one's
    own case); withdrawing it is always possible."""

    key: str
    label: str | Promise
    description: str | Promise
    given_by_default: bool = False


PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> None:
    PURPOSES[purpose.key] = purpose


def purposes() -> list[Purpose]:
    return sorted(PURPOSES.values(), key=lambda p: p.key)


def answers(subdistrict_id: int, purpose: Purpose, user_ids: Iterable[int]) -> dict[int, bool]:
    """Each person's stored answer for ``purpose`` (those who never answered are left out)."""
    ids = set(user_ids)
    if not ids:
        return {}
    with scopes_disabled():
        rows = Consent.objects.filter(
            subdistrict_id=subdistrict_id, purpose=purpose.key, user_id__in=ids
        ).values_list("user_id", "given")
        return dict(rows)


def withdrawn_user_ids(subdistrict_id: int, key: str, user_ids: Iterable[int]) -> set[int]:
    """Of ``user_ids``, those who have not (or no longer) consented to ``key`` here."""
    purpose = PURPOSES[key]
    ids = set(user_ids)
    stored = answers(subdistrict_id, purpose, ids)
    return {i for i in ids if not stored.get(i, purpose.given_by_default)}


def state_of(user: User, subdistrict: Subdistrict) -> list[tuple[Purpose, bool, Consent | None]]:
    """Every purpose with the person's answer here (the default when they never gave one)."""
    with scopes_disabled():
        rows = {c.purpose: c for c in Consent.objects.filter(user=user, subdistrict=subdistrict)}
    return [
        (p, rows[p.key].given if p.key in rows else p.given_by_default, rows.get(p.key))
        for p in purposes()
    ]
