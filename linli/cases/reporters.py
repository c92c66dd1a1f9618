"""The reporter's side: the secret tracking link of a reporter without an account, and the
reporter's own rating of a closed case (评价)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import notices
from linli.cases.models import Case, CaseEvent, CaseReporter, Satisfaction, State
from linli.cases.routing import dispatchers
from linli.cases.steps import copy_onto, lock
from linli.cases.workflow import InvalidTransition
from linli.core import audit, clock
from linli.core.access import Access
from linli.core.limits import too_long

# A rating's comment: a few sentences, not a letter.
RATING_COMMENT_MAX = 1000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def case_for_tracking_token(token: str) -> Case | None:
    """The case a secret tracking link leads to (following merges to the surviving case)."""
    if not token:
        return None
    reporter = (
        CaseReporter.objects.filter(tracking_token_hash=token_hash(token))
        .select_related("case")
        .first()
    )
    case = reporter.case if reporter is not None else None
    while case is not None and case.merged_into_id is not None:
        case = case.merged_into
    return case


def reporter_of(case: Case, actor: Access, token: str = "") -> CaseReporter | None:
    """The actor's row among the case's reporters: by account, or by secret tracking link."""
    if token:
        return CaseReporter.objects.filter(case=case, tracking_token_hash=token_hash(token)).first()
    if actor.user is None:
        return None
    return CaseReporter.objects.filter(case=case, user=actor.user).first()


def rating_of(case: Case, reporter: CaseReporter) -> CaseEvent | None:
    return (
        CaseEvent.objects.filter(case=case, action="rate", data__reporter=reporter.pk)
        .order_by("at", "id")
        .first()
    )


def rate_case(
    case: Case, *, actor: Access, satisfaction: str, comment: str = "", token: str = ""
) -> CaseEvent:
    """评价: a reporter's own rating of a closed case, once per reporter.

    Apart from the callback (staff asking on the phone), every reporter of the case, merged
    duplicates' reporters included, may say in their own words how it was handled. A
    dissatisfied rating goes to the handlers and the dispatch centre, who may reopen the case.
    """
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("Choose how satisfied you are.")]})
    comment = (comment or "").strip()
    if len(comment) > RATING_COMMENT_MAX:
        raise ValidationError({"comment": [too_long(RATING_COMMENT_MAX, len(comment))]})
    with transaction.atomic():
        fresh = lock(case)
        reporter = reporter_of(fresh, actor, token)
        if reporter is None:
            raise PermissionDenied(_("Only someone who reported this case can rate it."))
        if fresh.state != State.CLOSED:
            raise InvalidTransition(
                _("You can rate the case once it is closed."), code="not_closed"
            )
        if rating_of(fresh, reporter) is not None:
            raise InvalidTransition(_("You have already rated this case."), code="already_rated")
        event = CaseEvent.objects.create(
            subdistrict_id=fresh.subdistrict_id,
            case=fresh,
            at=clock.now(),
            actor=actor.user,
            action="rate",
            from_state=fresh.state,
            to_state=fresh.state,
            organisation_id=fresh.lead_organisation_id,
            outcome=satisfaction,
            note=comment,
            data={"reporter": reporter.pk},
        )
        audit.record(actor, "cases.case.rate", fresh, note=satisfaction)
        if satisfaction == Satisfaction.DISSATISFIED:
            notices.tell_staff(
                fresh,
                notices.handlers_of(fresh) + dispatchers(),
                notices.case_title(fresh, _("the reporter rated it dissatisfied")),
                comment,
            )
        copy_onto(case, fresh)
    return event
