"""Mediation's part in personal-data rights (``core.data_rights``): a party of a dispute,
found by the resident record or the mobile number they gave."""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import data_rights
from linli.core.data_rights import PHONE, Attribute, Holder, Person
from linli.governance.mediation.models import Party


def party_rows(person: Person) -> models.QuerySet[Any] | None:
    condition = person.matches(phone="phone")
    return None if condition is None else Party.objects.filter(condition)


data_rights.register(
    Holder(
        key="mediation.party",
        label=_("Party of a mediated dispute"),
        model=Party,
        find=party_rows,
        attributes=(
            Attribute("name", _("name")),
            Attribute("phone", _("mobile number"), PHONE),
        ),
        facts=lambda p: {"case": str(cast(Party, p).case), "side": cast(Party, p).side},
        kept_because=_("The mediation file stays, without the party's personal data."),
    )
)
