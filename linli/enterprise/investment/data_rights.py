"""Investment's part in personal-data rights (``core.data_rights``): the contact person of a
prospective enterprise, found by the mobile number the ambassador was given."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import data_rights
from linli.core.data_rights import PHONE, Attribute, Holder, Person
from linli.enterprise.investment.models import Prospect


def contact_rows(person: Person) -> models.QuerySet[Any] | None:
    condition = person.matches(phone="contact_phone")
    return None if condition is None else Prospect.objects.filter(condition)


data_rights.register(
    Holder(
        key="investment.prospect_contact",
        label=_("Contact person of a prospective enterprise"),
        model=Prospect,
        find=contact_rows,
        attributes=(
            Attribute("contact_name", _("contact person")),
            Attribute("contact_phone", _("mobile number"), PHONE),
        ),
        facts=lambda p: {"prospect": str(p)},
        kept_because=_("The prospect stays in the pipeline without its contact person."),
    )
)
