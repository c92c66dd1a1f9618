"""Triage: 立案 (register), 不予立案 (reject) and 派遣 (dispatch), by the dispatch centre.

Every verb locks the case, checks the action (``actions``), changes the case in one
transaction, appends its event, audits and tells the people who care (see ``steps``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import notices
from linli.cases.models import Case, RejectReason, Stage
from linli.cases.steps import begin, finish, is_late, note_text, start_clock, stop_clock
from linli.core.access import Access
from linli.core.models import Organisation, User


def register_case(case: Case, *, actor: Access, note: str = "") -> Case:
    """立案: the case is within scope and has enough to act on; it waits for dispatch."""
    note = note_text(note)
    with transaction.atomic():
        step = begin(case, "register", actor)
        late = is_late(step.case, step.now)
        start_clock(step.case, Stage.DISPATCH, step.calendar, step.now)
        finish(step, note=note, late=late, original=case)
        notices.tell_reporters(step.case, notices.case_title(step.case, _("registered")))
    return step.case


def reject_case(case: Case, *, actor: Access, reason: str, note: str = "") -> Case:
    """不予立案, with one of the reasons the reporter is told."""
    note = note_text(note)
    if reason not in RejectReason.values:
        raise ValidationError({"reason": [_("Choose why the case is not registered.")]})
    with transaction.atomic():
        step = begin(case, "reject", actor)
        late = is_late(step.case, step.now)
        stop_clock(step.case)
        finish(step, note=note, reason=reason, late=late, original=case)
        notices.tell_reporters(
            step.case,
            notices.case_title(step.case, _("not registered")),
            " ".join(filter(None, [str(RejectReason(reason).label), note])),
        )
    return step.case


def dispatch_case(
    case: Case,
    organisation: Organisation,
    *,
    actor: Access,
    assignee: User | None = None,
    note: str = "",
) -> Case:
    """派遣: make an organisation (and optionally one person) answerable for the case."""
    note = note_text(note)
    if organisation.subdistrict_id != case.subdistrict_id:
        raise ValidationError({"organisation": [_("Choose an organisation of this sub-district.")]})
    with transaction.atomic():
        step = begin(case, "dispatch", actor)
        fresh = step.case
        if (
            assignee is None
            and fresh.routed_assignee_id is not None
            and fresh.routed_organisation_id == organisation.pk
        ):
            assignee = fresh.routed_assignee
        late = is_late(fresh, step.now)
        fresh.lead_organisation = organisation
        fresh.assignee = assignee
        fresh.dispatched_at = step.now
        start_clock(fresh, Stage.ACCEPT, step.calendar, step.now)
        finish(
            step,
            note=note,
            late=late,
            data={"assignee": assignee.pk if assignee else None},
            original=case,
        )
        notices.tell_staff(
            fresh,
            notices.handlers_of(fresh),
            notices.case_title(
                fresh, _("dispatched to %(organisation)s") % {"organisation": organisation}
            ),
            _("Please accept it by %(deadline)s.")
            % {"deadline": notices.local_time(fresh.stage_deadline)},
        )
    return fresh
