"""Triage: 立案 (register), 不予立案 (reject) and 派遣 (dispatch), by the dispatch centre.

Every verb locks the case, checks the action (``actions``), changes the case in one
transaction, appends its event, audits and tells the people who care (see ``steps``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases import notices
from linli.cases.deadlines import limit_for
from linli.cases.models import Case, Category, RejectReason, Stage
from linli.cases.steps import begin, finish, is_late, note_text, start_clock, stop_clock
from linli.core import clock
from linli.core.access import Access
from linli.core.calendar import WorkCalendar
from linli.core.models import Organisation, User


def register_case(
    case: Case, *, actor: Access, note: str = "", category: Category | None = None
) -> Case:
    """立案: the case is within scope and has enough to act on; it waits for dispatch.

    ``category``: the category the dispatcher files it under, when the reporter's was not the
    right one (an active category of the sub-district that nothing is filed under a child of).
    """
    note = note_text(note)
    if category is not None:
        _check_category(case, category)
    with transaction.atomic():
        step = begin(case, "register", actor)
        late = is_late(step.case, step.now)
        data: dict[str, object] = {}
        if category is not None and category.pk != step.case.category_id:
            data["category"] = {"from": step.case.category.code, "to": category.code}
            step.case.category = category
        start_clock(step.case, Stage.DISPATCH, step.calendar, step.now)
        finish(step, note=note, late=late, data=data, original=case)
        notices.tell_reporters(step.case, notices.case_title(step.case, _("registered")))
    return step.case


def _check_category(case: Case, category: Category) -> None:
    if (
        category.subdistrict_id != case.subdistrict_id
        or not category.active
        or Category.objects.filter(parent=category, active=True).exists()
    ):
        raise ValidationError(
            {"category": [_("Choose one of the categories cases are filed under.")]}
        )


def proposed_resolve_by(case: Case, calendar: WorkCalendar, now: dt.datetime) -> dt.datetime:
    """The resolution deadline the category's time limit gives a case dispatched ``now``, on
    the work calendar: what the dispatch form proposes."""
    return limit_for(case.category, Stage.RESOLVE).after(calendar, now)


def latest_resolve_by(case: Case, calendar: WorkCalendar, now: dt.datetime) -> dt.datetime:
    """The latest resolution deadline a dispatcher may set: the category's limit and the whole
    extension it allows (beyond that, only an approved extension gives more time)."""
    proposed = proposed_resolve_by(case, calendar, now)
    return limit_for(case.category, Stage.EXTENSION).after(calendar, proposed)


def _check_resolve_by(
    fresh: Case, calendar: WorkCalendar, now: dt.datetime, at: dt.datetime
) -> None:
    accept_by = fresh.stage_deadline
    if accept_by is not None and at <= accept_by:
        raise ValidationError(
            {
                "deadline": [
                    _("The deadline must be after the acceptance deadline, %(deadline)s.")
                    % {"deadline": notices.local_time(accept_by)}
                ]
            }
        )
    latest = latest_resolve_by(fresh, calendar, now)
    if at > latest:
        raise ValidationError(
            {
                "deadline": [
                    _(
                        "The deadline can be %(deadline)s at the latest; more time needs an "
                        "approved extension."
                    )
                    % {"deadline": notices.local_time(latest)}
                ]
            }
        )
    if not calendar.is_workday(clock.local(at).date()):
        raise ValidationError({"deadline": [_("The deadline must fall on a working day.")]})


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
    resolve_by: dt.datetime | None = None,
) -> Case:
    """派遣: make an organisation (and optionally one person) answerable for the case.

    ``resolve_by``: the resolution deadline the dispatcher sets (after the acceptance deadline,
    on a working day, within the category's limit and extension); without it the category's
    limit runs from acceptance."""
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
        if resolve_by is not None:
            _check_resolve_by(fresh, step.calendar, step.now, resolve_by)
        fresh.resolve_deadline = resolve_by
        finish(
            step,
            note=note,
            late=late,
            data={"assignee": assignee.pk if assignee else None},
            original=case,
        )
        ask = _("Please accept it by %(deadline)s.") % {
            "deadline": notices.local_time(fresh.stage_deadline)
        }
        if resolve_by is not None:
            ask += " " + _("It is due to be resolved by %(deadline)s.") % {
                "deadline": notices.local_time(resolve_by)
            }
        notices.tell_staff(
            fresh,
            notices.handlers_of(fresh),
            notices.case_title(
                fresh, _("dispatched to %(organisation)s") % {"organisation": organisation}
            ),
            ask,
        )
    return fresh


def register_and_dispatch(
    case: Case,
    organisation: Organisation,
    *,
    actor: Access,
    category: Category | None = None,
    resolve_by: dt.datetime | None = None,
    note: str = "",
) -> Case:
    """立案 and 派遣 in one go, for a new case: the two verbs one after the other in one
    transaction, so the history, audit, clocks and notices are those of the two steps, and a
    dispatch that is refused leaves the case as it was (not even registered)."""
    with transaction.atomic():
        register_case(case, actor=actor, category=category)
        return dispatch_case(case, organisation, actor=actor, note=note, resolve_by=resolve_by)
