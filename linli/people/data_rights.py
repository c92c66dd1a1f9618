"""Residents in personal-data rights (``core.data_rights``): a person record found by the
account linked to it or by the mobile number given."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import data_rights
from linli.core.data_rights import PHONE, Attribute, Holder, Person
from linli.people.models import Person as Resident


def resident_rows(person: Person) -> models.QuerySet[Any] | None:
    condition = person.matches(user="user", phone="mobile")
    return None if condition is None else Resident.objects.filter(condition)


data_rights.register(
    Holder(
        key="people.person",
        label=_("Resident record"),
        model=Resident,
        find=resident_rows,
        attributes=(
            Attribute("name", _("name")),
            Attribute("mobile", _("mobile number"), PHONE),
            # Encrypted like a mobile (cipher and hash), so read and blanked the same way; an ID
            # number is corrected only by re-registering, never typed over here.
            Attribute("resident_id", _("ID number"), PHONE, correctable=False),
            Attribute("registered_address", _("registered residence (hukou)")),
        ),
        facts=lambda p: {
            "status": str(p.get_status_display()),  # type: ignore[attr-defined]
            "dwelling": str(p.dwelling or ""),  # type: ignore[attr-defined]
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,  # type: ignore[attr-defined]
        },
        kept_because=_(
            "The record stays, without name, numbers or registered residence, because the "
            "history of the dwelling points to it."
        ),
    )
)
