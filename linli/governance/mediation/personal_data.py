"""Parties' phone numbers in the personal-data register (PIPL)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.access import Access
from linli.core.personal_data import PersonalField, register
from linli.governance.mediation.models import Party


def never(access: Access, party: models.Model) -> bool:
    """No page unmasks a party's phone (see rules.py)."""
    return False


register(
    PersonalField(
        key="mediation.party.phone",
        model=Party,
        cipher_field="phone_cipher",
        kind="phone",
        purpose=_("Reaching the parties of a dispute for sessions and the follow-up visit."),
        retention=_("As long as the mediation file is kept."),
        may_unmask=never,
    )
)
