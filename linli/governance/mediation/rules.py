"""Who may do what with people's mediation.

- Administrators: every case of the sub-district.
- Committee staff (staff of a neighbourhood committee, ``people.rules.committees_of``): the
  cases of their committee's quarters; they open cases there.
- The mediator (a member of staff named on the case): their own cases.

Each of them reads the case and records its sessions, outcome, agreement, follow-up and
judicial confirmation. Parties' phones are shown masked to everyone: mediation never needs the
full number on a page (the mediator calls from the case file's paper copy or the resident
record, whose unmasking is audited there).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from linli.core import visibility
from linli.core.access import Access
from linli.core.models import Membership
from linli.core.roles import ADMINS, STAFF
from linli.core.visibility import Condition
from linli.governance.mediation.models import MediationCase, Party, Session, SignedScan
from linli.people.rules import committees_of
from linli.registry.models import Quarter


def may_use(access: Access) -> bool:
    """The list: staff (each sees the cases they mediate or their committee's)."""
    return access.has_any(STAFF)


def may_open(access: Access) -> bool:
    return access.has_any(ADMINS) or bool(committees_of(access))


@visibility.policy(MediationCase)
def cases(access: Access, action: str) -> Condition:
    if access.has_any(ADMINS):
        return True
    if not access.has_any(STAFF) or access.user is None:
        return False
    committees = sorted(committees_of(access))
    mine = models.Q(mediator_id=access.user.pk)
    return mine | models.Q(quarter__committee_id__in=committees) if committees else mine


@visibility.policy(Party)
def parties(access: Access, action: str) -> Condition:
    return visibility.through(cases(access, action), "case")


@visibility.policy(Session)
def sessions(access: Access, action: str) -> Condition:
    return visibility.through(cases(access, action), "case")


@visibility.policy(SignedScan)
def scans(access: Access, action: str) -> Condition:
    return visibility.through(cases(access, action), "case")


def quarters(access: Access) -> models.QuerySet[Quarter]:
    """The quarters the person may open a case in."""
    found = Quarter.objects.all()
    if access.has_any(ADMINS):
        return found
    return found.filter(committee_id__in=sorted(committees_of(access)))


def mediators(access: Access) -> models.QuerySet[Membership]:
    """Staff of the sub-district who may be named mediator."""
    return Membership.objects.filter(role__in=sorted(STAFF)).select_related("user")


def may_act(access: Access, case: MediationCase) -> bool:
    return visibility.allows(access, case)


def close_refused(case: MediationCase) -> str | None:
    if case.status != MediationCase.Status.OPEN:
        return _("This case is already closed.")
    return None


def session_refused(case: MediationCase) -> str | None:
    if case.status != MediationCase.Status.OPEN:
        return _("Sessions are recorded while the case is being mediated.")
    return None


def sign_refused(case: MediationCase) -> str | None:
    if case.status != MediationCase.Status.AGREED:
        return _("Only an agreement can be signed.")
    if case.signed_on is not None:
        return _("The agreement is already signed.")
    return None


def follow_up_refused(case: MediationCase) -> str | None:
    if case.signed_on is None:
        return _("The follow-up visit comes after the agreement is signed.")
    if case.followed_up_on is not None:
        return _("The follow-up visit is already recorded.")
    return None


def confirm_refused(case: MediationCase) -> str | None:
    if case.signed_on is None:
        return _("Only a signed agreement can be confirmed by a court.")
    if case.confirmed_on is not None:
        return _("The judicial confirmation is already recorded.")
    return None


def actions(access: Access, case: MediationCase) -> frozenset[str]:
    """What the person may do with the case now (the same refusals the verbs check)."""
    if not may_act(access, case):
        return frozenset()
    checks = {
        "session": session_refused,
        "close": close_refused,
        "sign": sign_refused,
        "follow_up": follow_up_refused,
        "confirm": confirm_refused,
    }
    return frozenset(name for name, refused in checks.items() if refused(case) is None)
