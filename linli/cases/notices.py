"""Who hears about a case, and how: in-app at once; e-mail and SMS once the transaction has
committed, so a refused or rolled-back change never reaches anyone's phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from linli.cases.data_rights import PROGRESS_MESSAGES
from linli.cases.models import Case, CaseReporter
from linli.cases.routing import dispatchers
from linli.core.calendar import local_zone
from linli.core.messaging import (
    Contact,
    Message,
    contact_after_commit,
    email_after_commit,
    notify_each,
)
from linli.core.models import Membership, User
from linli.core.roles import Role


def members(organisation_ids: Iterable[int | None]) -> list[User]:
    ids = {i for i in organisation_ids if i is not None}
    if not ids:
        return []
    return [
        m.user
        for m in Membership.objects.filter(organisation_id__in=ids, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]


def leaders() -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(role=Role.LEADER, user__is_active=True).select_related(
            "user"
        )
    ]


def handlers_of(case: Case) -> list[User]:
    people = members([case.lead_organisation_id])
    if case.assignee is not None:
        people.append(case.assignee)
    return people


def verifiers(case: Case) -> list[User]:
    grid_workers = Membership.objects.filter(role=Role.GRID_WORKER, user__is_active=True)
    if case.grid_id is not None:
        grid_workers = grid_workers.filter(grid_id=case.grid_id)
    return [m.user for m in grid_workers.select_related("user")] + dispatchers()


def approvers() -> list[User]:
    return leaders() + dispatchers()


def case_url(case: Case) -> str:
    """The case page: staff see it whole, reporters in plain words (one link for everyone)."""
    try:
        return reverse("cases:detail", kwargs={"number": case.number})
    except NoReverseMatch:  # a project that does not serve the case pages
        return ""


def tell_staff(case: Case, users: Iterable[User], title: str, body: str = "") -> None:
    """In-app now; e-mail after commit."""
    notify_each(case.subdistrict, to_staff(case, users, title, body))


def tell_reporters(case: Case, title: str, body: str = "") -> None:
    """Every reporter of the case (merged duplicates' reporters included), by every route."""
    notify_each(case.subdistrict, to_reporters(case, title, body))


def to_staff(case: Case, users: Iterable[User], title: str, body: str) -> list[Message]:
    """The in-app message for ``tell_staff``; its e-mails wait for the commit."""
    people = list({u.pk: u for u in users if u is not None}.values())
    if not people:
        return []
    email_after_commit((u.email for u in people), title, body)
    return [Message(people, title, body, case_url(case))]


def to_reporters(
    case: Case, title: str, body: str, reporters: Sequence[CaseReporter] | None = None
) -> list[Message]:
    """The in-app message for ``tell_reporters`` (to ``reporters`` when the caller has them
    already); its e-mails and SMS wait for the commit, and go only to reporters who have not
    withdrawn their consent to progress messages (``cases.data_rights``)."""
    if reporters is None:
        reporters = list(CaseReporter.objects.filter(case=case).select_related("user"))
    users = [r.user for r in reporters if r.user is not None]
    contact_after_commit(
        case.subdistrict_id,
        PROGRESS_MESSAGES,
        (
            Contact(
                r.user_id,
                r.user.email if r.user is not None else r.email,
                r.phone if r.phone_cipher else "",
            )
            for r in reporters
        ),
        title,
        body,
    )
    return [Message(users, title, body, case_url(case))] if users else []


def case_title(case: Case, what: str) -> str:
    return _("Case %(number)s: %(what)s") % {"number": case.number, "what": what}


def local_time(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")
