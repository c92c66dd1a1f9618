"""After the work: 核查 (verification on site) or 返工 (rework), 回访 (the callback), 结案 (closure)
and reopening after a dissatisfied callback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import notices
from linli.cases.attachments import Photo, check_photos, save_photos
from linli.cases.deadlines import limit_for
from linli.cases.models import Case, CaseAttachment, Satisfaction, Stage
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


def rework_case(case: Case, *, actor: Access, reason: str) -> Case:
    """返工: verification found the work not done; a rework clock starts."""
    reason = reason_text(reason, _("Say what still needs doing."))
    with transaction.atomic():
        step = begin(case, "rework", actor)
        fresh = step.case
        late = is_late(fresh, step.now)
        fresh.resolve_deadline = limit_for(fresh.category, Stage.REWORK).after(
            step.calendar, step.now
        )
        start_clock(fresh, Stage.REWORK, step.calendar, step.now, fresh.resolve_deadline)
        finish(step, reason=reason, note=reason, late=late, original=case)
        notices.tell_staff(
            fresh,
            notices.handlers_of(fresh),
            notices.case_title(fresh, _("sent back for rework")),
            reason,
        )
    return fresh


def verify_case(case: Case, *, actor: Access, note: str = "", photos: Sequence[Any] = ()) -> Case:
    """核查: someone saw on site that the problem is dealt with; the callback is next."""
    note = note_text(note)
    errors: dict[str, list[str]] = {}
    checked = check_photos(
        [Photo(f, CaseAttachment.Kind.PHOTO) for f in photos], case.keep_location, errors, "photos"
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        step = begin(case, "verify", actor)
        fresh = step.case
        late = is_late(fresh, step.now)
        start_clock(fresh, Stage.CALLBACK, step.calendar, step.now)
        event = finish(step, note=note, late=late, original=case)
        save_photos(fresh, checked, actor, event, step.now)
        notices.tell_staff(
            fresh, dispatchers(), notices.case_title(fresh, _("verified, call the reporter back"))
        )
    return fresh


def record_callback(
    case: Case,
    *,
    actor: Access,
    satisfaction: str,
    resolved: bool | None = None,
    note: str = "",
) -> Case:
    """回访: the reporter says how satisfied they are, and whether the problem is solved."""
    note = note_text(note)
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("Choose how satisfied the reporter is.")]})
    with transaction.atomic():
        step = begin(case, "record_callback", actor)
        fresh = step.case
        late = is_late(fresh, step.now)
        fresh.satisfaction = satisfaction
        fresh.resolved = resolved
        stop_clock(fresh)
        finish(
            step,
            note=note,
            late=late,
            outcome=satisfaction,
            data={"resolved": resolved},
            original=case,
        )
        if satisfaction == Satisfaction.DISSATISFIED:
            notices.tell_staff(
                fresh,
                notices.handlers_of(fresh) + dispatchers(),
                notices.case_title(fresh, _("the reporter is dissatisfied")),
                note,
            )
    return fresh


def close_case(case: Case, *, actor: Access, note: str = "") -> Case:
    """结案. The close event says whether the handling met its deadline (on-time closure)."""
    note = note_text(note)
    with transaction.atomic():
        step = begin(case, "close", actor)
        fresh = step.case
        fresh.closed_at = step.now
        stop_clock(fresh)
        finish(step, note=note, late=fresh.handled_late, original=case)
        notices.tell_reporters(
            fresh,
            notices.case_title(fresh, _("closed")),
            note or _("Thank you for your report. You can rate how it was handled."),
        )
    return fresh


def reopen_case(case: Case, *, actor: Access, reason: str) -> Case:
    """Reopen after a dissatisfied callback: the same organisation re-handles it in 3 days."""
    reason = reason_text(reason, _("Say why the case is reopened."))
    with transaction.atomic():
        # Only after a dissatisfied callback: a condition of the action (``actions``).
        step = begin(case, "reopen", actor)
        fresh = step.case
        fresh.closed_at = None
        fresh.satisfaction = ""
        fresh.resolved = None
        fresh.resolve_deadline = limit_for(fresh.category, Stage.REOPEN).after(
            step.calendar, step.now
        )
        start_clock(fresh, Stage.REOPEN, step.calendar, step.now, fresh.resolve_deadline)
        finish(step, reason=reason, note=reason, original=case)
        notices.tell_staff(
            fresh, notices.handlers_of(fresh), notices.case_title(fresh, _("reopened")), reason
        )
        notices.tell_reporters(fresh, notices.case_title(fresh, _("reopened")), reason)
    return fresh
