"""Handling by the lead organisation: 签收 (accept), 退单 (return), 处置 (handle), waiting for the
reporter, extensions, submitting the work for verification and 挂账 (long-term registration)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import notices
from linli.cases.attachments import Photo, check_photos, save_photos
from linli.cases.deadlines import DAYS, limit_for, shift
from linli.cases.models import Case, CaseAttachment, CaseEvent, Category, Stage, State, TimeLimit
from linli.cases.routing import dispatchers
from linli.cases.steps import (
    begin,
    finish,
    is_late,
    note_text,
    reason_text,
    start_clock,
    stop_clock,
)
from linli.core.access import Access


def accept_case(case: Case, *, actor: Access, note: str = "") -> Case:
    """签收: the organisation takes the case; the resolution clock starts now."""
    note = note_text(note)
    with transaction.atomic():
        step = begin(case, "accept", actor)
        fresh = step.case
        late = is_late(fresh, step.now)
        fresh.accepted_at = step.now
        # A deadline the dispatcher set stands; otherwise the category's limit runs from now.
        if fresh.resolve_deadline is None:
            fresh.resolve_deadline = limit_for(fresh.category, Stage.RESOLVE).after(
                step.calendar, step.now
            )
        if fresh.assignee is None and step.actor.user is not None:
            fresh.assignee = step.actor.user
        start_clock(fresh, Stage.FIRST_CONTACT, step.calendar, step.now)
        finish(step, note=note, late=late, original=case)
        notices.tell_reporters(
            fresh,
            notices.case_title(
                fresh, _("accepted by %(organisation)s") % {"organisation": _org(fresh)}
            ),
            _("It is due to be resolved by %(deadline)s.")
            % {"deadline": notices.local_time(fresh.resolve_deadline)},
        )
    return fresh


def _org(case: Case) -> str:
    return str(case.lead_organisation) if case.lead_organisation is not None else ""


def return_case(case: Case, *, actor: Access, reason: str, note: str = "") -> Case:
    """退单: not ours. The case goes back to the dispatcher, with the reason."""
    reason = reason_text(reason, _("Say why the case is returned."))
    note = note_text(note)
    with transaction.atomic():
        step = begin(case, "return", actor)
        fresh = step.case
        late = is_late(fresh, step.now)
        returned_by = fresh.lead_organisation
        fresh.lead_organisation = None
        fresh.assignee = None
        fresh.accepted_at = None
        fresh.resolve_deadline = None
        start_clock(fresh, Stage.DISPATCH, step.calendar, step.now)
        finish(
            step,
            note=note,
            reason=reason,
            late=late,
            organisation_id=step.lead_before,
            original=case,
        )
        notices.tell_staff(
            fresh,
            dispatchers(),
            notices.case_title(
                fresh, _("returned by %(organisation)s") % {"organisation": returned_by}
            ),
            reason,
        )
    return fresh


def start_handling(case: Case, *, actor: Access, note: str = "") -> Case:
    """处置: work starts (after first contact with the reporter, rework, reopening or 挂账)."""
    note = note_text(note)
    with transaction.atomic():
        step = begin(case, "start_handling", actor)
        fresh = step.case
        late = is_late(fresh, step.now)
        if step.from_state == State.ACCEPTED:
            assert fresh.accepted_at is not None  # noqa: S101 - set by accept_case
            start_clock(
                fresh, Stage.RESOLVE, step.calendar, fresh.accepted_at, fresh.resolve_deadline
            )
        elif step.from_state == State.LONG_TERM:
            fresh.resolve_deadline = limit_for(fresh.category, Stage.RESOLVE).after(
                step.calendar, step.now
            )
            start_clock(fresh, Stage.RESOLVE, step.calendar, step.now, fresh.resolve_deadline)
            late = None
        # From rework or reopened the rework/re-handling clock already runs.
        finish(step, note=note, late=late, original=case)
    return fresh


def wait_for_reporter(case: Case, *, actor: Access, note: str) -> Case:
    """Ask the reporter for something; the clock stops until the case is resumed."""
    note = note_text(note, required=_("Say what is needed from the reporter."))
    with transaction.atomic():
        step = begin(case, "wait_for_reporter", actor)
        fresh = step.case
        fresh.paused_since = step.now
        finish(step, note=note, original=case)
        notices.tell_reporters(
            fresh, notices.case_title(fresh, _("we need something from you")), note
        )
    return fresh


def resume_case(case: Case, *, actor: Access, note: str = "") -> Case:
    """The reporter answered: the clock runs again and every deadline moves on by the wait."""
    note = note_text(note)
    with transaction.atomic():
        step = begin(case, "resume", actor)
        fresh = step.case
        assert fresh.paused_since is not None  # noqa: S101 - the action's condition
        paused = step.calendar.working_seconds_between(fresh.paused_since, step.now)
        fresh.paused_seconds += round(paused)
        fresh.paused_since = None
        fresh.stage_deadline = shift(step.calendar, fresh.stage_deadline, paused)
        fresh.reminder_at = shift(step.calendar, fresh.reminder_at, paused)
        fresh.resolve_deadline = shift(step.calendar, fresh.resolve_deadline, paused)
        finish(step, note=note, data={"paused_seconds": round(paused)}, original=case)
    return fresh


def request_extension(case: Case, *, actor: Access, reason: str, days: int | None = None) -> Case:
    """Ask for more time (complex cases: 15 working days in all, with approval)."""
    reason = reason_text(reason, _("Say why more time is needed."))
    with transaction.atomic():
        step = begin(case, "request_extension", actor)
        fresh = step.case
        limit = limit_for(fresh.category, Stage.EXTENSION)
        wanted = limit.amount if days is None else days
        if not 1 <= wanted <= limit.amount:
            raise ValidationError(
                {
                    "days": [
                        _("An extension is between 1 and %(max)s %(unit)s.")
                        % {"max": limit.amount, "unit": _unit_label(limit.unit)}
                    ]
                }
            )
        finish(
            step,
            reason=reason,
            note=reason,
            data={"amount": wanted, "unit": limit.unit},
            original=case,
        )
        notices.tell_staff(
            fresh,
            notices.approvers(),
            notices.case_title(fresh, _("extension requested")),
            reason,
        )
    return fresh


def _unit_label(unit: str) -> str:
    return str(TimeLimit.Unit(unit).label)


def approve_extension(
    case: Case, *, actor: Access, note: str = "", days: int | None = None
) -> Case:
    """The resolution deadline moves on by the extension; a new clock (and reminder) starts."""
    note = note_text(note)
    with transaction.atomic():
        step = begin(case, "approve_extension", actor)
        fresh = step.case
        request = (
            CaseEvent.objects.filter(case=fresh, action="request_extension").order_by("-at", "-id")
        ).first()
        limit = limit_for(fresh.category, Stage.EXTENSION)
        amount = days or (request.data.get("amount") if request else None) or limit.amount
        unit = (request.data.get("unit") if request else None) or limit.unit
        base = fresh.resolve_deadline or step.now
        if unit == DAYS:
            deadline = step.calendar.add_working_days(base, amount)
        else:
            deadline = step.calendar.add_working_hours(base, amount)
        fresh.resolve_deadline = deadline
        start_clock(fresh, Stage.EXTENSION, step.calendar, step.now, deadline)
        finish(step, note=note, data={"amount": amount, "unit": unit}, original=case)
        notices.tell_staff(
            fresh,
            notices.handlers_of(fresh),
            notices.case_title(fresh, _("extension granted")),
            _("The new deadline is %(deadline)s.") % {"deadline": notices.local_time(deadline)},
        )
    return fresh


def deny_extension(case: Case, *, actor: Access, reason: str) -> Case:
    reason = reason_text(reason, _("Say why the extension is refused."))
    with transaction.atomic():
        step = begin(case, "deny_extension", actor)
        finish(step, reason=reason, note=reason, original=case)
        notices.tell_staff(
            step.case,
            notices.handlers_of(step.case),
            notices.case_title(step.case, _("extension refused")),
            reason,
        )
    return step.case


def submit_for_verification(
    case: Case,
    *,
    actor: Access,
    note: str,
    before: Sequence[Any] = (),
    after: Sequence[Any] = (),
) -> Case:
    """The work is done: show it with before/after photos, for someone to check on site."""
    note = note_text(note, required=_("Say what was done."))
    errors: dict[str, list[str]] = {}
    photos = [Photo(f, CaseAttachment.Kind.BEFORE) for f in before] + [
        Photo(f, CaseAttachment.Kind.AFTER) for f in after
    ]
    keep_location = bool(case.keep_location)
    checked = check_photos(photos, keep_location, errors, "photos")
    if case.category.kind == Category.Kind.INCIDENT and not after:
        errors.setdefault("after", []).append(_("Add a photo of the result."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Co-handlers still at work refuse it: a condition of the action (``actions``).
        step = begin(case, "submit_for_verification", actor)
        fresh = step.case
        late = is_late(fresh, step.now)
        fresh.handled_late = fresh.handled_late or bool(late)
        start_clock(fresh, Stage.VERIFY, step.calendar, step.now)
        event = finish(step, note=note, late=late, original=case)
        save_photos(fresh, checked, actor, event, step.now)
        notices.tell_staff(
            fresh,
            notices.verifiers(fresh),
            notices.case_title(fresh, _("ready for verification")),
            note,
        )
    return fresh


def register_long_term(case: Case, *, actor: Access, reason: str) -> Case:
    """挂账: cannot be solved within the period (funding, planning); kept on the books."""
    reason = reason_text(reason, _("Say why this cannot be solved for now."))
    with transaction.atomic():
        step = begin(case, "register_long_term", actor)
        fresh = step.case
        late = is_late(fresh, step.now)
        stop_clock(fresh)
        finish(step, reason=reason, note=reason, late=late, original=case)
        notices.tell_reporters(
            fresh, notices.case_title(fresh, _("registered as long-term")), reason
        )
        notices.tell_staff(
            fresh,
            notices.leaders(),
            notices.case_title(fresh, _("registered as long-term")),
            reason,
        )
    return fresh
