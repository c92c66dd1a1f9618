"""Residents' ID and mobile numbers in the personal-data register (PIPL): why, how long, who
sees them in full."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.access import Access
from linli.core.personal_data import PersonalField, register
from linli.people.models import Person
from linli.people.rules import may_unmask_person

RETENTION = _(
    "While the person lives in the sub-district; archived when they move out or die, then "
    "purged after the retention period."
)


def may_unmask_mobile(access: Access, person: models.Model) -> bool:
    return may_unmask_person(access, person, "phone")


def may_unmask_resident_id(access: Access, person: models.Model) -> bool:
    return may_unmask_person(access, person, "resident_id")


register(
    PersonalField(
        key="person.phone",
        model=Person,
        cipher_field="mobile_cipher",
        kind="phone",
        purpose=_("Reaching a resident for visits, care and assistance."),
        retention=RETENTION,
        may_unmask=may_unmask_mobile,
    )
)
register(
    PersonalField(
        key="person.resident_id",
        model=Person,
        cipher_field="resident_id_cipher",
        kind="resident_id",
        purpose=_(
            "Identifying a resident once (duplicates, entitlements checked with other "
            "authorities); sex and date of birth are read from it."
        ),
        retention=RETENTION,
        may_unmask=may_unmask_resident_id,
    )
)
