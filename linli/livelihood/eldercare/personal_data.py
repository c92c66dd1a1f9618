"""Elders' emergency contacts in the personal-data register (PIPL)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linli.core.personal_data import PersonalField, register
from linli.livelihood.eldercare.models import EmergencyContact
from linli.livelihood.eldercare.rules import may_unmask_contact

register(
    PersonalField(
        key="emergency_contact.phone",
        model=EmergencyContact,
        cipher_field="phone_cipher",
        kind="phone",
        purpose=_("Reaching an elder's family or neighbour in an emergency."),
        retention=_("While the elder's file is kept; purged with the elder's personal data."),
        may_unmask=may_unmask_contact,
    )
)
