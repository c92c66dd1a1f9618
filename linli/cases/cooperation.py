"""Several reports, several organisations: merging a duplicate under the case that stays, and
协办 (co-handling), where another organisation answers for one part of a case."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import notices, rules
from linli.cases.models import Case, CaseEvent, CaseReporter, CoHandler, RejectReason
from linli.cases.steps import (
    begin,
    copy_onto,
    finish,
    is_late,
    lock,
    note_text,
    required_text,
    stop_clock,
)
from linli.cases.workflow import InvalidTransition
from linli.core.access import Access
from linli.core.limits import refuse_overlong
from linli.core.models import Organisation

logger = logging.getLogger(__name__)


def merge_cases(duplicate: Case, into: Case, *, actor: Access, note: str = "") -> Case:
    """Merge a duplicate under another case, which keeps every reporter and tells them all."""
    note = note_text(note)
    if duplicate.pk == into.pk:
        raise ValidationError({"into": [_("A case cannot be merged into itself.")]})
    with transaction.atomic():
        # Lock both rows in id order, so two merges of the same pair cannot deadlock.
        first, second = sorted([duplicate, into], key=lambda c: c.pk)
        lock(first)
        lock(second)
        step = begin(duplicate, "merge", actor)
        target = lock(into)
        if not target.is_open or target.merged_into_id is not None:
            raise InvalidTransition(
                _("Case %(number)s is “%(state)s”; choose an open case to merge into.")
                % {"number": target.number, "state": target.get_state_display()},
                code="target_closed",
            )
        if target.category_id != step.case.category_id:
            logger.info("merging %s into a case of another category", step.case.number)
        fresh = step.case
        late = is_late(fresh, step.now)
        fresh.merged_into = target
        stop_clock(fresh)
        finish(
            step,
            note=note,
            reason=RejectReason.DUPLICATE,
            late=late,
            data={"into": target.number},
            original=duplicate,
        )
        known_users = set(
            CaseReporter.objects.filter(case=target, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
        moved = 0
        for reporter in CaseReporter.objects.filter(case=fresh):
            if reporter.user_id is not None and reporter.user_id in known_users:
                continue
            CaseReporter.objects.create(
                subdistrict_id=target.subdistrict_id,
                case=target,
                user_id=reporter.user_id,
                name=reporter.name,
                phone_cipher=reporter.phone_cipher,
                phone_hash=reporter.phone_hash,
                email=reporter.email,
                tracking_token_hash=reporter.tracking_token_hash,
                from_case=fresh,
                added_at=step.now,
            )
            moved += 1
        CaseEvent.objects.create(
            subdistrict_id=target.subdistrict_id,
            case=target,
            at=step.now,
            actor=actor.user,
            action="absorb",
            from_state=target.state,
            to_state=target.state,
            organisation_id=target.lead_organisation_id,
            note=note,
            data={"duplicate": fresh.number, "reporters_added": moved},
        )
        notices.tell_reporters(
            target,
            notices.case_title(target, _("reports merged")),
            _(
                "Case %(duplicate)s reports the same problem and was merged into this case; "
                "you will get its updates."
            )
            % {"duplicate": fresh.number},
        )
        copy_onto(into, target)
    return target


def add_co_handler(
    case: Case, organisation: Organisation, *, actor: Access, part: str
) -> CoHandler:
    """协办: another organisation answers for one part; the lead organisation keeps the case."""
    part = required_text("part", part, _("Say which part this organisation handles."))
    refuse_overlong(CoHandler, part=part)
    if organisation.subdistrict_id != case.subdistrict_id:
        raise ValidationError({"organisation": [_("Choose an organisation of this sub-district.")]})
    with transaction.atomic():
        step = begin(case, "add_co_handler", actor)
        fresh = step.case
        if organisation.pk == fresh.lead_organisation_id:
            raise ValidationError(
                {"organisation": [_("The lead organisation cannot also be a co-handler.")]}
            )
        if CoHandler.objects.filter(case=fresh, organisation=organisation).exists():
            raise ValidationError(
                {"organisation": [_("This organisation already co-handles the case.")]}
            )
        co_handler = CoHandler.objects.create(
            subdistrict_id=fresh.subdistrict_id,
            case=fresh,
            organisation=organisation,
            part=part,
            added_at=step.now,
        )
        finish(
            step,
            note=part,
            data={"co_handler": co_handler.pk, "organisation": organisation.pk},
            original=case,
        )
        notices.tell_staff(
            fresh,
            notices.members([organisation.pk]),
            notices.case_title(fresh, _("your organisation co-handles a part")),
            part,
        )
    return co_handler


def complete_co_handling(co_handler: CoHandler, *, actor: Access, note: str) -> CoHandler:
    note = note_text(note, required=_("Say what your organisation did."))
    with transaction.atomic():
        step = begin(co_handler.case, "complete_co_handling", actor)
        fresh = step.case
        row = CoHandler.objects.select_for_update().get(pk=co_handler.pk)
        # Which part: the actor's own organisation's (``actions`` checked they have one).
        actor.require(rules.may_complete_co_handling(actor, row))
        if row.state == CoHandler.Progress.DONE:
            raise InvalidTransition(
                _("%(organisation)s has already finished its part.")
                % {"organisation": row.organisation},
                code="already_done",
            )
        row.state = CoHandler.Progress.DONE
        row.note = note
        row.done_at = step.now
        row.save()
        finish(
            step,
            note=note,
            data={"co_handler": row.pk, "organisation": row.organisation_id},
            organisation_id=row.organisation_id,
            original=co_handler.case,
        )
        notices.tell_staff(
            fresh,
            notices.handlers_of(fresh),
            notices.case_title(
                fresh, _("%(organisation)s finished its part") % {"organisation": row.organisation}
            ),
            note,
        )
    return row
