"""Reporters' phone numbers in the personal-data register (PIPL): why, how long, who sees them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.cases.models import CaseReporter
from linli.core.access import Access
from linli.core.personal_data import PersonalField, register
from linli.core.roles import ADMINS, Role


def may_unmask_reporter_phone(access: Access, reporter: models.Model) -> bool:
    """Those who call reporters back: the dispatch centre, window staff, the case's handlers."""
    from linli.cases import rules

    if not isinstance(reporter, CaseReporter):
        return False
    if access.has_any(ADMINS | {Role.WINDOW_STAFF}) or rules.in_dispatch_centre(access):
        return True
    return rules.is_handler(access, reporter.case)


register(
    PersonalField(
        key="cases.casereporter.phone",
        model=CaseReporter,
        cipher_field="phone_cipher",
        kind="phone",
        purpose=_("Calling the reporter back and texting them the progress of their case."),
        retention=_("Three years after the case is closed."),
        may_unmask=may_unmask_reporter_phone,
    )
)
