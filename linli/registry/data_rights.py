"""The registry's part in personal-data rights (``core.data_rights``): the contact person of
an enterprise, found by the mobile number the sub-district was given."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import data_rights
from linli.core.data_rights import PHONE, Attribute, Holder, Person
from linli.registry.models import Enterprise


def contact_rows(person: Person) -> models.QuerySet[Any] | None:
    condition = person.matches(phone="contact_phone")
    return None if condition is None else Enterprise.objects.filter(condition)


data_rights.register(
    Holder(
        key="registry.enterprise_contact",
        label=_("Contact person of an enterprise"),
        model=Enterprise,
        find=contact_rows,
        attributes=(
            Attribute("contact_name", _("contact person")),
            Attribute("contact_phone", _("mobile number"), PHONE),
        ),
        facts=lambda e: {"enterprise": str(e)},
        kept_because=_("The enterprise stays in the registry without its contact person."),
    )
)
