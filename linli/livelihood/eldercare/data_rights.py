"""Elderly care's part in personal-data rights (``core.data_rights``): an elder's emergency
contact, found by the mobile number they were recorded with."""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import data_rights
from linli.core.data_rights import PHONE, Attribute, Holder, Person
from linli.livelihood.eldercare.models import EmergencyContact


def contact_rows(person: Person) -> models.QuerySet[Any] | None:
    condition = person.matches(phone="phone")
    return None if condition is None else EmergencyContact.objects.filter(condition)


data_rights.register(
    Holder(
        key="eldercare.emergency_contact",
        label=_("Emergency contact of an elder"),
        model=EmergencyContact,
        find=contact_rows,
        attributes=(
            Attribute("name", _("name")),
            Attribute("phone", _("mobile number"), PHONE),
        ),
        facts=lambda c: {"relation": cast(EmergencyContact, c).relation},
        kept_because=_("The elder's file keeps that a contact was recorded, without their data."),
    )
)
