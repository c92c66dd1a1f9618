"""The cases app's part in personal-data rights (``core.data_rights``, ``core.consent``):
reporters, and the consent to progress messages by e-mail and SMS."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.cases.models import CaseReporter
from linli.core import consent, data_rights
from linli.core.data_rights import EMAIL, PHONE, Attribute, Holder, Person

PROGRESS_MESSAGES = "cases.progress_messages"

consent.register(
    consent.Purpose(
        key=PROGRESS_MESSAGES,
        label=_("Progress of my reports by e-mail and SMS"),
        description=_(
            "When you report a problem, linli e-mails and texts you as your case moves on "
            "(received, registered, handled, closed). Your inbox in linli keeps every message "
            "whatever you choose here."
        ),
        given_by_default=True,
    )
)


def reporter_rows(person: Person) -> models.QuerySet[Any] | None:
    condition = person.matches(user="user", phone="phone", email="email")
    if condition is None:
        return None
    return CaseReporter.objects.filter(condition).select_related("case")


def reporter_facts(row: models.Model) -> dict[str, Any]:
    assert isinstance(row, CaseReporter)  # noqa: S101 - registered for CaseReporter only
    case = row.case
    return {
        "case": case.number,
        "title": case.title,
        "description": case.description,
        "address": case.address,
        "state": case.state_label,
        "received_at": case.received_at.isoformat(),
    }


data_rights.register(
    Holder(
        key="cases.reporter",
        label=_("Cases reported"),
        model=CaseReporter,
        find=reporter_rows,
        attributes=(
            Attribute("name", _("name")),
            Attribute("phone", _("mobile number"), PHONE),
            Attribute("email", _("e-mail"), EMAIL),
        ),
        facts=reporter_facts,
        kept_because=_(
            "Cases are records the sub-district must keep; the reporter's name and contact are "
            "removed from them."
        ),
    )
)
