"""The register of personal fields (PIPL): purpose, retention and who may unmask each.

Apps register their fields at start-up. The unmask view, the masking template filter and the
retention purge all read this one register, so a new personal field cannot be added without
saying why it is kept, for how long and who may see it in full.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise

from linli.core.access import Access


@dataclass(frozen=True)
class PersonalField:
    key: str
    model: type[models.Model]
    cipher_field: str
    kind: str  # "phone" or "resident_id": decides the mask
    purpose: str | Promise
    retention: str | Promise
    may_unmask: Callable[[Access, models.Model], bool]


REGISTER: dict[str, PersonalField] = {}


def register(field: PersonalField) -> None:
    REGISTER[field.key] = field
